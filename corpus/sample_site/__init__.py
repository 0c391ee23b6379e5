"""The bundled sample site: generated pages of three real sites, a builder and a local server."""

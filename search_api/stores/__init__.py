"""Storage backends of the search API: embedded SQLite with a tantivy full-text index (default), and
Elasticsearch."""

from __future__ import annotations

from runtime.settings import Settings
from search_api.stores.base import SearchBackend


def open_backend(settings: Settings) -> SearchBackend:
    """Elasticsearch when `THIDUA_ES_URL` is set, else the SQLite file at `settings.db_path`."""
    if settings.es_url:
        from search_api.stores.elastic import ElasticBackend

        return ElasticBackend.from_settings(settings)
    from search_api.stores.sqlite import SqliteBackend  # imported here: it needs the corrections

    return SqliteBackend(settings.db_path)

"""The search, timeline and fact-check API over the archive, with its storage backends."""

"""The article archive: normalised text, dedup, the SQLite store and the evaluation data."""

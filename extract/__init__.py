"""Extraction of emulation-and-commendation facts from Vietnamese article text."""

from extract.pipeline import extract_facts

__all__ = ["extract_facts"]

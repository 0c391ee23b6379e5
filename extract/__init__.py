"""Extraction of emulation-and-commendation facts from Vietnamese article text.

`from extract import extract_facts` loads the extractor (and spaCy) on first use; importing a module
such as `extract.models` loads only that module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extract.pipeline import extract_facts

__all__ = ["extract_facts"]


def __getattr__(name: str) -> Any:
    if name == "extract_facts":
        from extract.pipeline import extract_facts

        return extract_facts
    raise AttributeError(f"module 'extract' has no attribute {name!r}")

"""The layers: `runtime` imports nothing of the project, and package `__init__` files stay light."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROJECT = ("runtime", "thidua", "crawler", "corpus", "extract", "search_api")


def _loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after running `statement`."""
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


def test_runtime_imports_nothing_of_the_project() -> None:
    loaded = _loaded_after("import runtime.settings, runtime.progress, runtime.workers")
    project = {m for m in loaded if m.split(".")[0] in PROJECT and m.split(".")[0] != "runtime"}
    assert not project, project


@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        ("import extract.models", ("extract.pipeline", "spacy", "underthesea")),
        ("import search_api.factdocs", ("extract.pipeline", "spacy")),
        ("import crawler.settings", ("thidua", "extract", "search_api")),
        ("import thidua.cli", ("extract.pipeline", "spacy", "scrapy.crawler")),
    ],
)
def test_a_light_import_does_not_load_the_heavy_modules(statement: str, absent: tuple[str, ...]) -> None:
    loaded = _loaded_after(statement)
    assert not [m for m in absent if m in loaded], statement


def test_extract_facts_stays_importable_from_the_package() -> None:
    from extract import extract_facts
    from extract.pipeline import extract_facts as defined

    assert extract_facts is defined

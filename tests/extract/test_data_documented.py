"""docs/EXTRACTION.md "Language data reference" documents every top-level key of extract/data/*.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from extract.lexicon import DATA_DIR

DOC = Path(__file__).resolve().parents[2] / "docs" / "EXTRACTION.md"
SECTION = "## Language data reference"
FILES = sorted(DATA_DIR.glob("*.yaml"))
_HEADING = re.compile(r"^### `(?P<file>[\w.-]+\.yaml)`\s*$")
_KEY = re.compile(r"^- \*\*`(?P<key>[^`]+)`\*\*")


def _subsections(text: str) -> dict[str, list[str]]:
    """Lines of each "### `<file>.yaml`" subsection of the reference section, by file name."""
    lines = text.splitlines()
    if SECTION not in lines:
        raise AssertionError(f"{DOC.name} has no '{SECTION}' section")
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[lines.index(SECTION) + 1 :]:
        if line.startswith(("## ", "# ")):
            break
        m = _HEADING.match(line)
        if m:
            assert m.group("file") not in out, f"{m.group('file')} documented twice"
            current = out[m.group("file")] = []
        elif line.startswith("### "):
            current = None
        elif current is not None:
            current.append(line)
    return out


def _documented_keys(lines: list[str]) -> list[str]:
    return [m.group("key") for line in lines if (m := _KEY.match(line))]


@pytest.fixture(scope="module")
def reference() -> dict[str, list[str]]:
    return _subsections(DOC.read_text(encoding="utf-8"))


def test_every_data_file_has_one_subsection(reference: dict[str, list[str]]) -> None:
    assert sorted(reference) == [p.name for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_top_level_key_is_documented_in_its_files_subsection(
    path: Path, reference: dict[str, list[str]]
) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = list(data)
    documented = _documented_keys(reference.get(path.name, []))
    assert len(documented) == len(set(documented)), f"{path.name}: a key is documented twice"
    missing = [k for k in keys if k not in documented]
    stale = [k for k in documented if k not in keys]
    assert not missing, f"{path.name}: keys not documented in docs/EXTRACTION.md: {missing}"
    assert not stale, f"{path.name}: documented keys the file no longer has: {stale}"


def test_parser_reads_headings_and_key_bullets() -> None:
    text = "\n".join(
        [
            "# T",
            SECTION,
            "### `a.yaml`",
            "- **`x`** — list.",
            "  continued `y` mention, not a key",
            "- **`z`** — regex.",
            "### `b.yaml`",
            "- **`w`** — mapping.",
            "## Next",
            "### `c.yaml`",
            "- **`v`** — outside the section.",
        ]
    )
    sections = _subsections(text)
    assert sorted(sections) == ["a.yaml", "b.yaml"]
    assert _documented_keys(sections["a.yaml"]) == ["x", "z"]
    assert _documented_keys(sections["b.yaml"]) == ["w"]

"""The committed gold of real reports (corpus/gold/real/*.jsonl): ids, URLs and facts only, never a
page's text; each report annotated once; no held-out page (issue 10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extract.models import FACT_TYPES

REAL = Path(__file__).resolve().parents[2] / "corpus" / "gold" / "real"
HELDOUT_CHECK = Path(__file__).resolve().parents[3] / "shared" / "heldout_check.py"


def _records() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, json.loads(line))
        for path in sorted(REAL.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_a_record_holds_an_id_a_url_and_facts_and_no_text() -> None:
    for name, record in _records():
        assert set(record) == {"id", "url", "facts"}, f"{name} {record.get('id')}: {sorted(record)}"
        assert record["url"].startswith(("http://", "https://")), f"{name} {record['id']}"
        for fact in record["facts"]:
            assert fact["type"] in FACT_TYPES, f"{name} {record['id']}: {fact['type']}"


def test_each_report_is_annotated_once() -> None:
    ids = [record["id"] for _, record in _records()]
    urls = [record["url"].split("://", 1)[1].removeprefix("www.").rstrip("/") for _, record in _records()]
    assert len(ids) == len(set(ids))
    assert len(urls) == len(set(urls))


@pytest.mark.skipif(not HELDOUT_CHECK.exists(), reason="no ../shared/heldout_check.py beside the checkout")
def test_no_report_is_a_held_out_page() -> None:
    urls = "\n".join(record["url"] for _, record in _records())
    done = subprocess.run(
        [sys.executable, str(HELDOUT_CHECK), "-"], input=urls, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout

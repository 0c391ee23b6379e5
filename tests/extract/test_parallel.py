"""Extraction in worker processes: the same output as one worker, in input order, on real sample text
(the batch interface, `thidua extract --workers`, and extraction into the archive)."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from corpus.models import Article
from corpus.store import CorpusStore
from extract.batch import run_batch
from thidua.pipeline import extract_pending

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"
BAD_LINES = ['{"id": "broken", "text": ', "", '{"id": 7}', "[1, 2]"]


def _input_lines() -> list[str]:
    """The five real samples, the constructed passages and a blind set, with bad lines in between."""
    lines = []
    for name in ("articles.jsonl", "constructed_articles.jsonl", "blind_articles.jsonl"):
        lines += [line for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    for n, bad in enumerate(BAD_LINES):
        lines.insert(7 * n + 3, bad)
    return lines


def _batch(lines: list[str], workers: int) -> tuple[str, str]:
    out = io.StringIO()
    stats = run_batch(io.BytesIO("\n".join(lines).encode() + b"\n"), out, workers=workers)
    return out.getvalue(), str(stats)


def test_two_workers_write_what_one_writes_line_for_line() -> None:
    lines = _input_lines()
    one, two = _batch(lines, 1), _batch(lines, 2)
    assert two == one
    output = [json.loads(line) for line in one[0].splitlines()]
    assert len(output) == len(lines)
    assert [o["id"] for o in output if "facts" in o] == [json.loads(x)["id"] for x in lines if '"text"' in x
                                                          and x.endswith("}")]  # fmt: skip
    assert sum(len(o.get("facts", [])) for o in output) > 100, "the samples hold many facts"


def test_thidua_extract_workers_option(tmp_path: Path, thidua_bin: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(_input_lines()) + "\n", encoding="utf-8")
    outputs = []
    for workers in (1, 2):
        target = tmp_path / f"out-{workers}.jsonl"
        command = [thidua_bin, "extract", "--workers", str(workers), str(source), str(target)]
        subprocess.run(command, check=True)
        outputs.append(target.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == len(_input_lines())


def _archive(path: Path) -> Path:
    with CorpusStore(path) as store:
        for name in ("articles.jsonl", "blind_articles.jsonl"):
            for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                url = record.get("url") or f"https://example.org/{record['id']}"
                title = record["text"].split("\n", 1)[0]
                store.upsert_article(Article(url=url, title=title, text=record["text"],
                                             published=record.get("published")))  # fmt: skip
    return path


def _facts(path: Path) -> list[dict[str, object]]:
    with CorpusStore(path) as store:
        return list(store.iter_facts())


def test_extraction_into_the_archive_is_the_same_with_two_workers(tmp_path: Path) -> None:
    one, two = _archive(tmp_path / "one.sqlite3"), _archive(tmp_path / "two.sqlite3")
    with CorpusStore(one) as store:
        assert extract_pending(store, workers=1) == (35, 0)
    with CorpusStore(two) as store:
        assert extract_pending(store, workers=2) == (35, 0)
        assert extract_pending(store, workers=2) == (0, 0), "nothing pending any more"
        assert extract_pending(store, workers=2, again=True) == (35, 0), "re-extraction takes them all"
    assert _facts(two) == _facts(one) and len(_facts(one)) > 50

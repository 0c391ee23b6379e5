"""The batch interface: one output line per input line, errors per line, through run_batch and the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus.normalize import normalize_text
from extract.batch import BatchStats, parse_line, process_line, run_batch

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "gold" / "articles.jsonl"

GOOD = (
    "Chiều 12/3, tại huyện Krông Pắc, Cụm thi đua số 5 tỉnh Đắk Lắk gồm các huyện Krông Pắc, Ea Kar "
    "và M'Đrắk tổ chức ký kết giao ước thi đua năm 2021."
)


def mixed_input() -> list[str]:
    return [
        json.dumps({"id": "a1", "text": GOOD, "published": "2021-03-13", "url": "https://example.org/a1"}),
        "{not json",
        json.dumps({"id": "a3", "published": "2021-03-13"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a5", "text": 42}),
        "",
        json.dumps({"id": 7, "text": "Không có gì."}, ensure_ascii=False),
        json.dumps({"id": "a8", "text": GOOD, "published": 20210313}),
    ]


def test_parse_line_rejects_each_kind_of_bad_line() -> None:
    assert parse_line(json.dumps({"text": "x"}))["text"] == "x"
    for line, message in [
        ("{not json", "invalid JSON"),
        ("[1]", "JSON object"),
        ('{"id": "x"}', "missing 'text'"),
        ('{"id": "x", "text": null}', "missing 'text'"),
        ('{"id": "x", "text": ["a"]}', "must be a string"),
        ('{"id": "x", "text": "a", "url": 3}', "'url' must be"),
        ("   ", "empty line"),
        ('{"text": "\udcff"}', "not valid UTF-8"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_line(line)


def test_a_failing_extractor_loses_only_its_line() -> None:
    def flaky(text: str, **kwargs: Any) -> list[Any]:
        if "boom" in text:
            raise RuntimeError("rule crashed")
        return []

    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate(["ok", "boom", "ok again"])]
    out = io.StringIO()
    stats = run_batch(io.StringIO("\n".join(lines) + "\n"), out, extractor=flaky)
    records = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == [0, 1, 2]
    assert records[0] == {"id": 0, "facts": []} and records[2] == {"id": 2, "facts": []}
    assert "rule crashed" in records[1]["error"] and records[1]["error"].startswith("line 2:")
    assert (stats.lines, stats.ok, stats.errors) == (3, 2, 1)


def test_process_line_keeps_the_id_of_a_bad_line_when_it_can() -> None:
    record = process_line('{"id": "x9", "published": "2020-01-01"}', 4, lambda *a, **k: [])
    assert record == {"id": "x9", "error": "line 4: missing 'text'"}
    truncated = process_line('{"id": "x10", "text": "Chiều 18/2, Cụm thi đua', 5, lambda *a, **k: [])
    assert truncated["id"] == "x10" and truncated["error"].startswith("line 5: invalid JSON")
    assert process_line('{"text": "a", "id": ', 6, lambda *a, **k: [])["id"] is None


def _check_fact_shape(fact: dict[str, Any], text: str, article_id: str | None, url: str | None) -> None:
    """SCHEMA.md's shape: type, fields, evidence pointing into the normalised text, confidence."""
    assert fact["type"] in {"cluster", "member", "chair", "award", "award_count", "slogan", "event", "person"}
    assert 0.0 <= fact["confidence"] <= 1.0
    evidence = fact["evidence"]
    assert evidence["sentence"] and 0 <= evidence["start"] < evidence["end"]
    assert normalize_text(text)[evidence["start"] : evidence["end"]] == evidence["sentence"]
    assert evidence["article_id"] == article_id and evidence["url"] == url


def test_run_batch_with_the_real_extractor_one_line_per_input_line() -> None:
    pytest.importorskip("extract.pipeline")
    lines = mixed_input()
    out = io.StringIO()
    stats = run_batch(io.StringIO("\n".join(lines) + "\n"), out)
    records = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(records) == len(lines)
    assert [r.get("id") for r in records] == ["a1", None, "a3", None, "a5", None, 7, "a8"]
    assert [("error" in r) for r in records] == [False, True, True, True, True, True, False, True]
    assert records[0]["facts"], "a cluster covenant sentence must yield facts"
    for fact in records[0]["facts"]:
        _check_fact_shape(fact, GOOD, "a1", "https://example.org/a1")
    assert records[6]["facts"] == []
    assert isinstance(stats, BatchStats) and (stats.lines, stats.ok, stats.errors) == (8, 2, 6)
    assert stats.facts == len(records[0]["facts"])


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), input=stdin, capture_output=True, cwd=ROOT, timeout=300)


def test_thidua_extract_cli_on_the_samples_and_bad_lines(tmp_path: Path, thidua_bin: str) -> None:
    pytest.importorskip("extract.pipeline")
    samples = SAMPLES.read_text(encoding="utf-8").splitlines()
    infile = tmp_path / "in.jsonl"
    infile.write_text("\n".join([*samples, "{broken", '{"id": "no-text"}']) + "\n", encoding="utf-8")
    outfile = tmp_path / "out.jsonl"
    done = run_cli(thidua_bin, "extract", "--format", "jsonl", str(infile), str(outfile))
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(x) for x in outfile.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [json.loads(s)["id"] for s in samples] + [None, "no-text"]
    assert all("facts" in r for r in records[:5]) and all("error" in r for r in records[5:])
    assert sum(len(r["facts"]) for r in records[:5]) >= 40
    for record, sample in zip(records[:5], samples, strict=True):
        article = json.loads(sample)
        for fact in record["facts"]:
            _check_fact_shape(fact, article["text"], record["id"], article.get("url"))


def test_thidua_extract_cli_fails_only_when_input_is_unreadable(tmp_path: Path, thidua_bin: str) -> None:
    done = run_cli(thidua_bin, "extract", "--format", "jsonl", str(tmp_path / "missing.jsonl"))
    assert done.returncode != 0
    assert b"missing.jsonl" in done.stderr


def test_python_m_batch_turns_invalid_utf8_into_an_error_line(tmp_path: Path) -> None:
    pytest.importorskip("extract.pipeline")
    infile = tmp_path / "in.jsonl"
    good = json.dumps({"id": "ok", "text": GOOD}).encode()
    infile.write_bytes(b'{"id": "bad", "text": "\xff\xfe"}\n' + good + b"\n")
    done = run_cli(sys.executable, "-m", "extract.batch", str(infile))
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert records[0]["id"] is None and "UTF-8" in records[0]["error"]
    assert records[1]["id"] == "ok" and "facts" in records[1]
    missing = run_cli(sys.executable, "-m", "extract.batch", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and b"cannot open" in missing.stderr


def test_thidua_extract_cli_from_stdin_to_stdout(thidua_bin: str) -> None:
    pytest.importorskip("extract.pipeline")
    lines = [json.dumps({"id": "s1", "text": GOOD, "published": "2021-03-13"}, ensure_ascii=False), "[]"]
    done = run_cli(thidua_bin, "extract", "--format", "jsonl", "-", stdin=("\n".join(lines) + "\n").encode())
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == ["s1", None]
    assert records[0]["facts"] and "error" in records[1]

"""The batch interface: one output line per input line, errors per line, through run_batch and the CLI."""

from __future__ import annotations

import io
import json
import os
import subprocess
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
        ('{"id": "x", "text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"id": "x", "text": "a", "n": ' + "1" * 5000 + "}", "invalid JSON"),
        ('{"id": "x\\ud800", "text": "a"}', "'id' holds a lone surrogate"),
        ('{"id": "x", "text": "a \\udc00 b"}', "'text' holds a lone surrogate"),
        ('{"id": "x", "text": "a", "url": "\\udbff"}', "'url' holds a lone surrogate"),
        ('{"id": NaN, "text": "a"}', "cannot be written back"),
        ('{"id": 1e400, "text": "a"}', "cannot be written back"),
        ('{"id": "x", "text": "a\rb"}', "invalid JSON"),
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


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    environ = {**os.environ, **(env or {})}
    return subprocess.run(list(args), input=stdin, capture_output=True, cwd=ROOT, timeout=300, env=environ)


def strict_records(output: bytes) -> list[dict[str, Any]]:
    """The output's lines as JSON objects; fails unless it is strict UTF-8 JSONL (no NaN, no lone
    surrogate, no line break but LF)."""
    text = output.decode("utf-8")  # strict: raises on anything that is not UTF-8
    assert "\r" not in text and text.endswith("\n")
    records = []
    for line in text.split("\n")[:-1]:
        record = json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in output"))
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # a lone surrogate would raise here
        records.append(record)
    return records


def hostile_lines() -> list[tuple[bytes, str | None, str]]:
    """(input line, id expected in the output, what the output holds: facts, error or truncated)."""
    good = json.dumps({"id": "good", "text": GOOD, "published": "2021-03-13"}, ensure_ascii=False).encode()
    tp = json.dumps({"id": "tp", "text": "TP. " * 250_000}).encode()
    dots = json.dumps({"id": "dots", "text": ("Cụm thi đua số 1" + "." * 60 + "12\n") * 12_000}).encode()
    awards = json.dumps({"id": "awards", "text": "Bằng khen Cờ thi đua Giấy khen " * 10_000}).encode()
    return [
        (b'{"id": "deep", "text": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "deep", "error"),
        (b'{"id": "sur\\ud800", "text": "x"}', None, "error"),
        (b'{"id": "s2", "text": "a \\udc00 b"}', "s2", "error"),
        (b'{"id": "cr", "text": "C\xe1\xbb\xa5m thi \xc4\x91ua\rs\xe1\xbb\x91 1"}', "cr", "error"),
        (b'{"id": "cr-between",\r "text": ' + json.dumps(GOOD).encode() + b"}", "cr-between", "facts"),
        (good + b"\r", "good", "facts"),  # a CRLF line end
        (b'{"id": "bytes", "text": "\xff\xfe"}', None, "error"),
        (b'{"id": NaN, "text": "x"}', None, "error"),
        (b"\r", None, "error"),
        (tp, "tp", "truncated"),
        (dots, "dots", "truncated"),
        (awards, "awards", "truncated"),
        (good, "good", "facts"),
    ]


def test_thidua_extract_cli_on_hostile_jsonl(tmp_path: Path, thidua_bin: str) -> None:
    """Issue 15: no line stops the run, every line gets exactly one strict UTF-8 JSON line, in order;
    long hostile articles are cut at THIDUA_EXTRACT_MAX_CHARS and say so."""
    pytest.importorskip("extract.pipeline")
    cases = hostile_lines()
    infile = tmp_path / "hostile.jsonl"
    infile.write_bytes(b"\n".join(line for line, _, _ in cases) + b"\n")
    done = run_cli(
        thidua_bin, "extract", "--format", "jsonl", str(infile), env={"THIDUA_EXTRACT_MAX_CHARS": "20000"}
    )
    assert done.returncode == 0, done.stderr.decode()
    records = strict_records(done.stdout)
    assert [r["id"] for r in records] == [expected for _, expected, _ in cases]
    for record, (_, _, holds) in zip(records, cases, strict=True):
        if holds == "error":
            assert set(record) == {"id", "error"}, record
        else:
            assert isinstance(record["facts"], list) and ("extraction_truncated" in record) == (
                holds == "truncated"
            ), record
    assert records[-1]["facts"], "the line after every hostile one is still extracted"
    assert records[9]["extraction_truncated"].startswith("text of 999,999 characters: read the first 19,")
    assert records[9]["extraction_truncated"].endswith("(max 20,000)")
    assert b"extraction truncated" in done.stderr


def test_run_batch_splits_binary_input_at_lf_only() -> None:
    lines = [b'{"id": "1",\r "text": "a"}', b'{"id": "2", "text": "a\rb"}', b'{"id": "3", "text": "c"}\r']
    out = io.StringIO()
    stats = run_batch(io.BytesIO(b"\n".join(lines)), out, extractor=lambda *a, **k: [])
    records = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["1", "2", "3"]
    assert ["error" in r for r in records] == [False, True, False]
    assert (stats.lines, stats.ok, stats.errors) == (3, 2, 1)


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


def test_thidua_extract_turns_invalid_utf8_into_an_error_line(tmp_path: Path, thidua_bin: str) -> None:
    pytest.importorskip("extract.pipeline")
    infile = tmp_path / "in.jsonl"
    good = json.dumps({"id": "ok", "text": GOOD}).encode()
    infile.write_bytes(b'{"id": "bad", "text": "\xff\xfe"}\n' + good + b"\n")
    done = run_cli(thidua_bin, "extract", str(infile))
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert records[0]["id"] is None and "UTF-8" in records[0]["error"]
    assert records[1]["id"] == "ok" and "facts" in records[1]


def test_thidua_extract_cli_from_stdin_to_stdout(thidua_bin: str) -> None:
    pytest.importorskip("extract.pipeline")
    lines = [json.dumps({"id": "s1", "text": GOOD, "published": "2021-03-13"}, ensure_ascii=False), "[]"]
    done = run_cli(thidua_bin, "extract", "--format", "jsonl", "-", stdin=("\n".join(lines) + "\n").encode())
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == ["s1", None]
    assert records[0]["facts"] and "error" in records[1]

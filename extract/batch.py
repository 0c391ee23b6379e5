"""SCHEMA.md's batch interface: JSONL articles in, one `{"id", "facts"}` or `{"id", "error"}` line out."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from extract.pipeline import extract_facts
from thidua.progress import track

log = logging.getLogger(__name__)

Extractor = Callable[..., list[Any]]
# A broken line still names its article when its id came first and survived: {"id": "a7", "text": "…
_ID_IN_BROKEN_LINE = re.compile(r'^\s*\{\s*"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


@dataclass
class BatchStats:
    """What a batch run did: lines read, articles extracted, error lines, facts written."""

    lines: int = 0
    ok: int = 0
    errors: int = 0
    facts: int = 0

    def __str__(self) -> str:
        return f"{self.lines} lines, {self.ok} extracted, {self.errors} errors, {self.facts} facts"


class LineError(ValueError):
    """One input line that cannot be extracted; `article_id` is its id when one could be read."""

    def __init__(self, message: str, article_id: Any = None) -> None:
        super().__init__(message)
        self.article_id = article_id


def parse_line(line: str) -> dict[str, Any]:
    """Validate one input line: a JSON object with a string `text`; raise LineError otherwise."""
    if any("\udc80" <= ch <= "\udcff" for ch in line):
        raise LineError("line is not valid UTF-8")
    if not line.strip():
        raise LineError("empty line")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        recovered = _ID_IN_BROKEN_LINE.search(line)
        raise LineError(f"invalid JSON: {exc}", recovered.group(1) if recovered else None) from exc
    if not isinstance(record, dict):
        raise LineError(f"expected a JSON object, got {type(record).__name__}")
    article_id = record.get("id")
    text = record.get("text")
    if text is None:
        raise LineError("missing 'text'", article_id)
    if not isinstance(text, str):
        raise LineError(f"'text' must be a string, got {type(text).__name__}", article_id)
    for name in ("published", "url"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise LineError(f"'{name}' must be a string or null", article_id)
    return record


def process_line(line: str, number: int, extractor: Extractor) -> dict[str, Any]:
    """The output record of one input line: its facts, or an error that names the line."""
    try:
        record = parse_line(line)
    except LineError as exc:
        return {"id": exc.article_id, "error": f"line {number}: {exc}"}
    article_id = record.get("id")
    try:
        facts = extractor(
            record["text"],
            published=record.get("published"),
            url=record.get("url"),
            article_id=None if article_id is None else str(article_id),
        )
        return {"id": article_id, "facts": [f.model_dump(mode="json") for f in facts]}
    except Exception as exc:  # an extractor bug on one article must not lose the others
        log.warning("line %d (id %r): extraction failed: %r", number, article_id, exc)
        return {"id": article_id, "error": f"line {number}: extraction failed: {type(exc).__name__}: {exc}"}


def _lines(infile: TextIO) -> Iterator[str]:
    for line in infile:
        yield line.rstrip("\r\n")


def run_batch(infile: TextIO, outfile: TextIO, *, extractor: Extractor | None = None) -> BatchStats:
    """Read JSONL articles from `infile`, write one result line per input line to `outfile`, in order."""
    extract = extractor or extract_facts
    stats = BatchStats()
    for number, line in enumerate(track(_lines(infile), desc="extract"), 1):
        result = process_line(line, number, extract)
        outfile.write(json.dumps(result, ensure_ascii=False) + "\n")
        stats.lines += 1
        if "error" in result:
            stats.errors += 1
        else:
            stats.ok += 1
            stats.facts += len(result["facts"])
    outfile.flush()
    return stats


def main(argv: list[str] | None = None) -> int:
    """`python -m extract.batch IN [OUT]` (`-` for stdin/stdout); non-zero only if IN cannot be read."""
    parser = argparse.ArgumentParser(prog="thidua extract", description=__doc__)
    parser.add_argument("infile", help="JSONL input, or - for stdin")
    parser.add_argument("outfile", nargs="?", default="-", help="JSONL output, default stdout")
    parser.add_argument("--format", choices=["jsonl"], default="jsonl")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        infile = (
            open(args.infile, encoding="utf-8", errors="surrogateescape")
            if args.infile != "-"
            else open(sys.stdin.fileno(), encoding="utf-8", errors="surrogateescape", closefd=False)
        )
        outfile = open(args.outfile, "w", encoding="utf-8") if args.outfile != "-" else sys.stdout
    except OSError as exc:
        print(f"error: cannot open: {exc}", file=sys.stderr)
        return 2
    try:
        stats = run_batch(infile, outfile)
    except OSError as exc:
        print(f"error: cannot read {args.infile}: {exc}", file=sys.stderr)
        return 2
    finally:
        infile.close()
        if outfile is not sys.stdout:
            outfile.close()
    log.info("extract: %s", stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SCHEMA.md's batch interface: JSONL articles in, one `{"id", "facts"}` or `{"id", "error"}` line out."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from extract.pipeline import Extraction, extract_article
from runtime.progress import track
from runtime.workers import ordered_map

log = logging.getLogger(__name__)

# Returns the facts (a list) or an Extraction, which also says when the article was cut short.
Extractor = Callable[..., list[Any] | Extraction]
# A broken line still names its article when its id came first and survived: {"id": "a7", "text": "…
_ID_IN_BROKEN_LINE = re.compile(r'^\s*\{\s*"id"\s*:\s*"((?:[^"\\]|\\.)*)"')
# Bytes that are not UTF-8, as the surrogateescape decoder keeps them.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# A surrogate that a JSON escape ("\\ud800") put into a string: it has no UTF-8 form.
_SURROGATE = re.compile("[\ud800-\udfff]")


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


def _dumps(value: Any) -> str:
    """Strict JSON (no NaN or Infinity) that is valid UTF-8; ValueError otherwise."""
    line = json.dumps(value, ensure_ascii=False, allow_nan=False)
    line.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return line


def _check_id(article_id: Any) -> None:
    """The id is echoed in the output line, so it must have a strict JSON form in UTF-8."""
    if isinstance(article_id, str):
        _check_surrogates("id", article_id, None)
    try:
        _dumps(article_id)
    except (ValueError, RecursionError) as exc:
        raise LineError(f"'id' cannot be written back as UTF-8 JSON: {exc}") from exc


def _check_surrogates(name: str, value: str, article_id: Any) -> None:
    if found := _SURROGATE.search(value):
        at = f"\\u{ord(found.group()):04x} at character {found.start()}"
        raise LineError(f"'{name}' holds a lone surrogate ({at}), which has no UTF-8 form", article_id)


def _check_strings(record: dict[str, Any], article_id: Any) -> None:
    """`text` is a string, `published` and `url` strings or null, none with a lone surrogate."""
    for name in ("text", "published", "url"):
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            wanted = "a string" if name == "text" else "a string or null"
            raise LineError(f"'{name}' must be {wanted}, got {type(value).__name__}", article_id)
        _check_surrogates(name, value, article_id)


def parse_line(line: str) -> dict[str, Any]:
    """Validate one input line: a JSON object with a string `text`; raise LineError otherwise."""
    if _UNDECODABLE.search(line):
        raise LineError("line is not valid UTF-8")
    if not line.strip():
        raise LineError("empty line")
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:  # also an integer of over 4,300 digits, deep nesting
        recovered = _ID_IN_BROKEN_LINE.search(line)
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise LineError(f"invalid JSON: {reason}", recovered.group(1) if recovered else None) from exc
    if not isinstance(record, dict):
        raise LineError(f"expected a JSON object, got {type(record).__name__}")
    article_id = record.get("id")
    _check_id(article_id)
    if record.get("text") is None:
        raise LineError("missing 'text'", article_id)
    _check_strings(record, article_id)
    return record


def process_line(line: str, number: int, extractor: Extractor) -> dict[str, Any]:
    """The output record of one input line: its facts, or an error that names the line."""
    try:
        record = parse_line(line)
    except LineError as exc:
        return {"id": exc.article_id, "error": f"line {number}: {exc}"}
    article_id = record.get("id")
    try:
        result = extractor(
            record["text"],
            published=record.get("published"),
            url=record.get("url"),
            article_id=None if article_id is None else str(article_id),
        )
    except Exception as exc:  # an extractor bug on one article must not lose the others
        log.warning("line %d (id %r): extraction failed: %r", number, article_id, exc)
        return {"id": article_id, "error": f"line {number}: extraction failed: {type(exc).__name__}: {exc}"}
    facts, truncated = (result.facts, result.truncated) if isinstance(result, Extraction) else (result, None)
    out: dict[str, Any] = {"id": article_id, "facts": [f.model_dump(mode="json") for f in facts]}
    if truncated:
        out["extraction_truncated"] = truncated
    return out


def _lines(infile: Iterable[bytes] | Iterable[str]) -> Iterator[str]:
    """The input's lines, split at LF only: a CR inside a line stays there (JSON reads it as white
    space between tokens and rejects it inside a string), so one input line is one output line.
    Bytes are decoded as UTF-8; bytes that are not UTF-8 stay as surrogate escapes for parse_line."""
    for line in infile:
        text = line.decode("utf-8", errors="surrogateescape") if isinstance(line, bytes) else line
        yield text.removesuffix("\n").removesuffix("\r")


def _serialised(result: dict[str, Any], number: int) -> tuple[dict[str, Any], str]:
    """`result` and its line of strict JSON in UTF-8, or an error line when it has no such form."""
    try:
        return result, _dumps(result)
    except (ValueError, RecursionError) as exc:  # parse_line checks every input value; a last resort
        log.warning("line %d: result cannot be written: %r", number, exc)
        error = {"id": None, "error": f"line {number}: result cannot be written as UTF-8 JSON: {exc}"}
        return error, _dumps(error)


# The extractor of a worker process, set once by `_use` (a worker extracts chunks of numbered lines).
_worker_extractor: list[Extractor] = [extract_article]


def _use(extractor: Extractor) -> None:
    _worker_extractor[0] = extractor


def _extract_lines(chunk: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(facts written, or -1 for an error line; the output line) of each numbered input line."""
    out = []
    for number, line in chunk:
        result, output = _serialised(process_line(line, number, _worker_extractor[0]), number)
        out.append((-1 if "error" in result else len(result["facts"]), output))
    return out


def run_batch(
    infile: BinaryIO | TextIO,
    outfile: TextIO,
    *,
    extractor: Extractor | None = None,
    workers: int = 1,
) -> BatchStats:
    """Read JSONL articles from `infile` (binary, or text that splits lines at LF only, such as
    io.StringIO), write one result line per input line to `outfile`, in order. With `workers` > 1 the
    lines are extracted in that many processes; the output is the same as with one."""
    stats = BatchStats()
    numbered = enumerate(track(_lines(infile), desc="extract"), 1)
    setup = (_use, (extractor or extract_article,))
    for facts, output in ordered_map(_extract_lines, numbered, workers=workers, setup=setup):
        outfile.write(output + "\n")
        stats.lines += 1
        if facts < 0:
            stats.errors += 1
        else:
            stats.ok += 1
            stats.facts += facts
    outfile.flush()
    return stats

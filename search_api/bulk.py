"""Bulk exports for researchers: every fact matching the filters (no cap) as CSV, JSON Lines or Parquet,
written as it is read (`thidua export`); the columns are described in docs/DATA.md."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from search_api.catalog import Catalog
from search_api.deps import build_fact_filter
from search_api.export import CSV_FIELDS, csv_lines, flat_row, jsonl_lines
from search_api.schemas import FactOut
from search_api.stores import open_backend

FORMATS = ("csv", "jsonl", "parquet")
ROW_GROUP = 10_000
INT_COLUMNS = frozenset({"year", "count", "start", "end"})
FLOAT_COLUMNS = frozenset({"confidence"})
PARQUET_COLUMNS = [*CSV_FIELDS, "history"]


def write_text(facts: Iterable[FactOut], fmt: str, out: IO[str]) -> int:
    """CSV (formula cells neutralised) or JSON Lines to a text stream; returns the number of facts."""
    count = 0

    def counted() -> Iterator[FactOut]:
        nonlocal count
        for fact in facts:
            count += 1
            yield fact

    for chunk in (csv_lines if fmt == "csv" else jsonl_lines)(counted()):
        out.write(chunk)
    return count


def parquet_row(fact: FactOut) -> dict[str, Any]:
    """A Parquet row: the CSV columns with their values as read (typed, not neutralised), the history
    as JSON."""
    row = flat_row(fact)
    out: dict[str, Any] = {}
    for name in CSV_FIELDS:
        value = row.get(name)
        if name in INT_COLUMNS:
            out[name] = value if isinstance(value, int) and not isinstance(value, bool) else None
        elif name in FLOAT_COLUMNS:
            out[name] = float(value) if isinstance(value, int | float) else None
        else:
            out[name] = None if value is None else str(value)
    history = [entry.model_dump() for entry in fact.history]
    out["history"] = json.dumps(history, ensure_ascii=False) if history else None
    return out


def write_parquet(facts: Iterable[FactOut], path: Path) -> int:
    """Parquet (zstd), one row group per 10,000 facts; returns the number of facts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {n: pa.int64() if n in INT_COLUMNS else pa.float64() if n in FLOAT_COLUMNS else pa.string()
             for n in PARQUET_COLUMNS}  # fmt: skip
    schema = pa.schema([(name, types[name]) for name in PARQUET_COLUMNS])
    count = 0
    iterator = iter(facts)
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        while rows := [parquet_row(f) for f in islice(iterator, ROW_GROUP)]:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            count += len(rows)
    return count


def run_export(settings: Any, fmt: str, output: Path | None, out: IO[str], **filters: Any) -> int:
    """`thidua export`: the facts of the configured store matching the `/facts` filters (names resolved
    as the API resolves them) to `output`, or CSV/JSON Lines to `out`; returns the number of facts."""
    backend = open_backend(settings)
    try:
        catalog = Catalog(backend)
        facts = catalog.iter_all(build_fact_filter(catalog, **filters))
        if fmt == "parquet":
            if output is None:
                raise ValueError("Parquet needs --output FILE")
            return write_parquet(facts, output)
        if output is None:
            return write_text(facts, fmt, out)
        with output.open("w", encoding="utf-8", newline="") as stream:
            return write_text(facts, fmt, stream)
    finally:
        backend.close()

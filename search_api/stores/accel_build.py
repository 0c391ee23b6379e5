"""Build the search accelerator: FTS5's own postings and exact-spelling postings as numpy files."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from search_api.stores.sqlite_schema import connect

# FTS5's bm25() constants.
K1 = 1.2
B = 0.75
# The weights of FTS5's indexed columns (title_f, body_f) in the backend's bm25() call.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
_WORD = re.compile(r"[^\W_]+")
# Bumped whenever the files' layout changes, so an older build is never read.
FORMAT = 4
# Terms in at least this share of the rows also get a dense row of bm25 shares (one float per row), so
# a query reads a candidate's share directly instead of scattering or searching the term's postings;
# the most frequent terms first, within this many bytes.
DENSE_MIN_SHARE = 1 / 16
DENSE_BUDGET_BYTES = 256 * 2**20


def accel_root(db_path: Path) -> Path:
    """The directory holding the accelerator's generations next to the database."""
    return db_path.with_name(db_path.name + ".accel")


def generation_dir(db_path: Path, generation: str) -> Path:
    """Where the accelerator built for `generation` lives (present only once complete)."""
    return accel_root(db_path) / f"v{FORMAT}-g{generation}"


def build(db_path: Path) -> Path:
    """Write the accelerator for the database's current index generation (atomically; once per generation)."""
    conn = connect(db_path, readonly=False)
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.accel_vocab USING fts5vocab(main, search_fts, instance)"
        )
        conn.execute("BEGIN")  # one snapshot: the generation and the rows it stamps
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'generation'").fetchone()
        generation = row[0] if row else "0"
        target = generation_dir(db_path, generation)
        if target.is_dir():
            return target
        tmp = accel_root(db_path) / f"tmp-{os.getpid()}-{generation}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            _write_all(conn, tmp, generation)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
    try:
        tmp.rename(target)
    except OSError:  # another process finished the same generation first
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(accel_root(db_path), keep=target.name)
    return target


def _prune(root: Path, keep: str) -> None:
    """Drop older generations (mapped files stay valid for readers that still hold them)."""
    for child in root.iterdir():
        if child.name != keep and not child.name.startswith("tmp-"):
            shutil.rmtree(child, ignore_errors=True)


def _write_all(conn: sqlite3.Connection, out: Path, generation: str) -> None:
    docs = conn.execute(
        "SELECT d.rowid, d.id, d.province_key, d.site, d.published, f.title, f.body "
        "FROM search_docs d JOIN search_fts f ON f.rowid = d.rowid ORDER BY d.rowid"
    ).fetchall()
    rowids = np.array([r[0] for r in docs], dtype=np.int64)
    arrays: dict[str, npt.NDArray[np.generic]] = {"rowids": rowids, "ids": _strings(r[1] for r in docs)}
    for name, column in (("province", 2), ("site", 3)):
        values, codes = _codes([r[column] for r in docs])
        arrays[f"{name}_values"], arrays[f"{name}_codes"] = values, codes
    published = [r[4] for r in docs]
    arrays["published"] = _strings(p or "" for p in published)
    arrays["has_published"] = np.array([p is not None for p in published], dtype=np.bool_)
    rows = int(conn.execute("SELECT count(*) FROM search_fts").fetchone()[0])
    folded = _folded_postings(conn, rowids, rows)
    arrays.update({f"f_{k}": v for k, v in folded.items()})
    arrays["f_dense_row"], arrays["f_dense"] = dense_rows(folded, len(rowids))
    exact = _exact_postings((r[5], r[6]) for r in docs)
    arrays.update({f"e_{k}": v for k, v in exact.items()})
    for name, array in arrays.items():
        np.save(out / f"{name}.npy", array, allow_pickle=False)
    meta = {"generation": generation, "rows": rows}
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _strings(values: Iterable[str]) -> npt.NDArray[np.str_]:
    return np.array(list(values), dtype=np.str_)


def _codes(values: list[str | None]) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.int32]]:
    """Distinct non-null values (sorted) and each row's index into them (-1 for NULL)."""
    distinct = sorted({v for v in values if v is not None})
    index = {v: i for i, v in enumerate(distinct)}
    codes = np.array([index[v] if v is not None else -1 for v in values], dtype=np.int32)
    return np.array(distinct, dtype=np.str_), codes


def _folded_postings(
    conn: sqlite3.Connection, rowids: npt.NDArray[np.int64], rows: int
) -> dict[str, npt.NDArray[np.generic]]:
    """FTS5's own terms (exactly its tokenizer): term -> sorted doc indexes and each posting's bm25 share."""
    found = conn.execute(
        "SELECT term, doc, sum(col = 'title_f'), sum(col = 'body_f') FROM temp.accel_vocab "
        "GROUP BY term, doc ORDER BY term, doc"
    ).fetchall()
    terms: list[str] = []
    starts: list[int] = []
    for i, r in enumerate(found):
        if not terms or terms[-1] != r[0]:
            terms.append(r[0])
            starts.append(i)
    docs = np.searchsorted(rowids, np.array([r[1] for r in found], dtype=np.int64))
    title = np.array([r[2] for r in found], dtype=np.float64)
    body = np.array([r[3] for r in found], dtype=np.float64)
    lengths = np.bincount(docs, weights=title + body, minlength=len(rowids)).astype(np.float64)
    offsets = np.array([*starts, len(found)], dtype=np.int64)
    hits = np.diff(offsets)
    idf = np.repeat(np.array([_idf(rows, int(n)) for n in hits], dtype=np.float64), hits)
    return {
        "terms": np.array(terms, dtype=np.str_),
        "offsets": offsets,
        "docs": docs,
        "score": bm25_share(
            idf, TITLE_WEIGHT * title + BODY_WEIGHT * body, lengths[docs], float(lengths.sum()) / rows
        )
        if rows
        else np.empty(0, dtype=np.float64),
    }


def dense_rows(
    folded: dict[str, npt.NDArray[np.generic]], size: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """Per term its row in the dense matrix (-1: none) and the matrix: the frequent terms' bm25 shares
    for every doc, 0.0 where the term is absent (a present term's share is always positive)."""
    offsets = folded["offsets"].astype(np.int64)
    hits = np.diff(offsets)
    most = max(0, min(int(DENSE_BUDGET_BYTES // max(size * 8, 1)), hits.size))
    chosen = [int(i) for i in np.argsort(-hits, kind="stable")[:most] if hits[i] >= size * DENSE_MIN_SHARE]
    row = np.full(hits.size, -1, dtype=np.int32)
    dense = np.zeros((len(chosen), size), dtype=np.float64)
    for n, term in enumerate(sorted(chosen)):
        row[term] = n
        lo, hi = offsets[term], offsets[term + 1]
        dense[n, folded["docs"][lo:hi]] = folded["score"][lo:hi]
    return row, dense


def _idf(rows: int, hits: int) -> float:
    """FTS5's idf: never below a tiny positive value (terms in over half the rows)."""
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


def bm25_share(
    idf: npt.NDArray[np.float64],
    freq: npt.NDArray[np.float64],
    lengths: npt.NDArray[np.float64],
    avgdl: float,
) -> npt.NDArray[np.float64]:
    """One phrase's part of FTS5's bm25 per row, operation for operation as fts5Bm25Function computes it."""
    return idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * lengths / avgdl)))


def _exact_postings(texts: Iterable[tuple[str, str]]) -> dict[str, npt.NDArray[np.generic]]:
    """Words as spelled (NFC, lower case) in title and text: term -> sorted doc indexes."""
    ids: dict[str, int] = {}
    term_col: list[int] = []
    doc_col: list[int] = []
    for n, (title, body) in enumerate(texts):
        words = set(_WORD.findall(unicodedata.normalize("NFC", f"{title}\n{body}").lower()))
        term_col.extend(ids.setdefault(w, len(ids)) for w in words)
        doc_col.extend([n] * len(words))
    names = sorted(ids)
    rank = np.empty(len(names), dtype=np.int64)
    rank[[ids[w] for w in names]] = np.arange(len(names))
    term_rank = rank[np.array(term_col, dtype=np.int64)]
    doc_arr = np.array(doc_col, dtype=np.int64)
    order = np.lexsort((doc_arr, term_rank))
    counts = np.bincount(term_rank, minlength=len(names))
    return {
        "terms": np.array(names, dtype=np.str_),
        "offsets": np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        "docs": doc_arr[order],
    }

"""The search accelerator: bm25 top-k over memory-mapped postings, the same ranking as the FTS5 path."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from search_api.query import ArticleSearch, tokens
from search_api.resolve import fold
from search_api.stores.accel_build import generation_dir

# Folded words the accelerator answers for: FTS5 tokenizes them as one term, as written.
_SIMPLE = re.compile(r"[a-z0-9]+")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Ranked:
    """A page of matches: search_docs rowids with their bm25 scores (positive), and the match count."""

    rowids: list[int]
    scores: list[float]
    count: int


class Accelerator:
    """One generation's arrays, mapped read-only; safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.generation: str = meta["generation"]
        # Plain ndarray views of the mapped files (numpy's memmap subclass adds overhead to every index).
        self._a = {
            p.stem: np.asarray(np.load(p, mmap_mode="r", allow_pickle=False)) for p in folder.glob("*.npy")
        }

    def answers(self, query: ArticleSearch) -> bool:
        """Whether every query word folds to a plain term (others go to FTS5)."""
        words = tokens(query.q)
        return bool(words) and all(_SIMPLE.fullmatch(fold(w)) for w in words)

    def search(self, query: ArticleSearch, pool: int) -> Ranked:
        """The top `pool` matches by bm25 re-ranked exact spellings first, sliced to the page."""
        words = tokens(query.q)
        terms = [fold(w) for w in words]
        lists = {t: self._postings("f", t) for t in terms}
        if any(docs.size == 0 for docs, _ in lists.values()):
            return Ranked([], [], 0)
        size = self._a["rowids"].size
        shortest = min(lists, key=lambda t: lists[t][0].size)
        cand = np.asarray(lists[shortest][0])
        dense = {t: _dense(docs, share, size) for t, (docs, share) in lists.items() if t != shortest}
        keep = self._filter(cand, query)
        for shares in dense.values():
            keep &= shares[cand] > 0
        pos = np.flatnonzero(keep)  # where each candidate sits in the shortest list
        cand = cand[pos]
        score = np.zeros(cand.size, dtype=np.float64)
        for t in terms:  # in query order: FTS5 sums the phrases' scores in that order
            score += lists[t][1][pos] if t == shortest else dense[t][cand]
        top = _top(score, cand, pool)
        exact = np.zeros(top.size, dtype=np.int64)
        for w in words:
            docs = self._postings("e", w)[0]
            exact += _contains(docs, cand[top])
        order = np.lexsort((self._a["ids"][cand[top]], -score[top], -exact))  # last key sorts first
        page = top[order[query.offset : query.offset + query.limit]]
        rowids = self._a["rowids"]
        return Ranked([int(rowids[cand[i]]) for i in page], [float(score[i]) for i in page], int(cand.size))

    def _postings(self, space: str, term: str) -> tuple[IntArray, FloatArray]:
        terms = self._a[f"{space}_terms"]
        i = int(np.searchsorted(terms, term))
        if i >= terms.size or str(terms[i]) != term:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        lo, hi = int(self._a[f"{space}_offsets"][i]), int(self._a[f"{space}_offsets"][i + 1])
        share = self._a["f_score"][lo:hi] if space == "f" else np.empty(0, dtype=np.float64)
        return self._a[f"{space}_docs"][lo:hi], share

    def _filter(self, cand: IntArray, query: ArticleSearch) -> npt.NDArray[np.bool_]:
        keep = np.ones(cand.size, dtype=np.bool_)
        for name, value in (("province", query.province_key), ("site", query.site)):
            if value is not None:
                values = self._a[f"{name}_values"]
                i = int(np.searchsorted(values, value))
                code = i if i < values.size and str(values[i]) == value else -2
                keep &= self._a[f"{name}_codes"][cand] == code
        if query.date_from is not None or query.date_to is not None:
            published = self._a["published"][cand]
            keep &= self._a["has_published"][cand]
            if query.date_from is not None:
                keep &= published >= query.date_from
            if query.date_to is not None:
                keep &= published <= query.date_to
        return keep


def _dense(docs: IntArray, share: FloatArray, size: int) -> FloatArray:
    """A posting list scattered over all docs: its bm25 share, 0 where the term is absent."""
    if docs.size == size:  # in every doc: already dense
        return share
    dense = np.zeros(size, dtype=np.float64)
    dense[docs] = share
    return dense


def _contains(docs: IntArray, cand: IntArray) -> npt.NDArray[np.int64]:
    """1 where the candidate is in the sorted posting list, else 0."""
    if docs.size == 0 or cand.size == 0:
        return np.zeros(cand.size, dtype=np.int64)
    pos = np.minimum(np.searchsorted(docs, cand), docs.size - 1)
    return (np.asarray(docs)[pos] == cand).astype(np.int64)


def _top(score: npt.NDArray[np.float64], cand: IntArray, pool: int) -> IntArray:
    """Indexes of the `pool` best scores, ties broken by lower rowid (FTS5's scan order)."""
    if score.size > pool:
        cut = np.partition(-score, pool - 1)[pool - 1]
        better = np.flatnonzero(-score < cut)
        tied = np.flatnonzero(-score == cut)[: pool - better.size]
        chosen = np.concatenate((better, tied))
    else:
        chosen = np.arange(score.size)
    return chosen[np.lexsort((cand[chosen], -score[chosen]))]


class AcceleratorSlot:
    """The accelerator of the current index generation, loaded once per process; None when not built."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._lock = threading.Lock()
        self._accel: Accelerator | None = None

    def get(self, generation: str) -> Accelerator | None:
        accel = self._accel
        if accel is not None and accel.generation == generation:
            return accel
        folder = generation_dir(self._db_path, generation)
        if not folder.is_dir():
            return None
        with self._lock:
            try:
                self._accel = Accelerator(folder)
            except (OSError, ValueError, KeyError):  # pruned or half-written meanwhile: FTS5 answers
                return None
            return self._accel

"""The search accelerator: bm25 top-k over memory-mapped postings, the same ranking as the FTS5 path."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from corpus.textkeys import fold
from search_api.query import ArticleSearch, tokens
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
        """The top `pool` matches by bm25 re-ranked exact spellings first, sliced to the page.

        The candidates are the shortest posting list's docs; every term's bm25 share is read for them
        (0.0 where absent) and summed in query order, as FTS5 sums its phrases' scores."""
        words = tokens(query.q)
        found = [self._term("f", fold(w)) for w in words]
        if any(i < 0 for i in found):
            return Ranked([], [], 0)
        offsets = self._a["f_offsets"]
        spans = [(int(offsets[i]), int(offsets[i + 1])) for i in found]
        lo, hi = min(spans, key=lambda span: span[1] - span[0])
        cand = self._a["f_docs"][lo:hi]
        keep = self._filter(cand, query)
        score = np.zeros(cand.size, dtype=np.float64)
        for i, span in zip(found, spans, strict=True):
            if span == (lo, hi):  # the candidates' own list (or the same term again)
                score += self._a["f_score"][lo:hi]
                continue
            share = self._share(i, span, cand)
            score += share
            keep &= share > 0.0
        pos = np.flatnonzero(keep)  # where each kept candidate sits in the shortest list
        cand, score = cand[pos], score[pos]
        top = _top(score, cand, pool)
        exact = np.zeros(top.size, dtype=np.int64)
        for w in words:
            exact += self._contains("e", w, cand[top])
        order = np.lexsort((self._a["ids"][cand[top]], -score[top], -exact))  # last key sorts first
        page = top[order[query.offset : query.offset + query.limit]]
        rowids = self._a["rowids"]
        return Ranked([int(rowids[cand[i]]) for i in page], [float(score[i]) for i in page], int(cand.size))

    def _term(self, space: str, term: str) -> int:
        """The term's index in the space's sorted vocabulary, -1 when absent."""
        terms = self._a[f"{space}_terms"]
        i = int(np.searchsorted(terms, term))
        return i if i < terms.size and str(terms[i]) == term else -1

    def _share(self, term: int, span: tuple[int, int], cand: IntArray) -> FloatArray:
        """The term's bm25 share in each candidate doc, 0.0 where the term is absent."""
        row = int(self._a["f_dense_row"][term])
        if row >= 0:
            dense: FloatArray = self._a["f_dense"][row][cand]
            return dense
        docs, share = self._a["f_docs"][span[0] : span[1]], self._a["f_score"][span[0] : span[1]]
        at = np.minimum(np.searchsorted(docs, cand), docs.size - 1)
        shares: FloatArray = np.where(docs[at] == cand, share[at], 0.0)
        return shares

    def _contains(self, space: str, term: str, cand: IntArray) -> npt.NDArray[np.int64]:
        """1 where the candidate's doc holds the term (sorted posting lists), else 0."""
        i = self._term(space, term)
        if i < 0 or cand.size == 0:
            return np.zeros(cand.size, dtype=np.int64)
        offsets = self._a[f"{space}_offsets"]
        docs = self._a[f"{space}_docs"][int(offsets[i]) : int(offsets[i + 1])]
        at = np.minimum(np.searchsorted(docs, cand), docs.size - 1)
        hits: npt.NDArray[np.int64] = (docs[at] == cand).astype(np.int64)
        return hits

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


def _top(score: npt.NDArray[np.float64], cand: IntArray, pool: int) -> IntArray:
    """Indexes of the `pool` best scores, ties broken by lower rowid (FTS5's scan order)."""
    if score.size > pool:
        cut = np.partition(score, score.size - pool)[score.size - pool]  # the pool-th best score
        chosen = np.flatnonzero(score >= cut)
        if chosen.size > pool:  # ties at the cut: the lowest rowids (candidates are in rowid order)
            better = chosen[score[chosen] > cut]
            tied = chosen[score[chosen] == cut][: pool - better.size]
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

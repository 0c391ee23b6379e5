"""The Elasticsearch backend: index templates, versioned indices behind aliases, bulk with retries."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from typing import Any, cast

from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import Q, Search

from corpus.textkeys import fold
from runtime.settings import Settings
from search_api.corrections import CorrectionIn, apply, apply_stored, new_entry
from search_api.highlight import highlight
from search_api.query import (
    RETRACTED,
    TOTAL_CAP,
    ArticleSearch,
    EntityFilter,
    FactFilter,
    es_article_query,
    es_fact_query,
    tokens,
)
from search_api.resolve import entity_key, province_key
from search_api.schemas import ArticleHit, EntityOut, FactOut, HistoryEntry
from search_api.stores.base import ArticleDoc, Batch, EntityKind, FactDoc
from search_api.stores.elastic_indices import KINDS, Aliases
from search_api.stores.rows import (
    FactJson,
    Item,
    KeptLists,
    Statement,
    TimelineRow,
    entity_from_tally,
    fact_confidence,
    fact_json,
    fact_out,
    statements_of,
)

_ENTITY_COLUMNS = {"unit": ("unit_id", "unit"), "cluster": ("cluster_id", "cluster")}
# Entity fields indexed for filtering, not part of the API's entity.
_ENTITY_EXTRAS = ("name_f", "province_key", "key")
_SCAN = 5000
# `index.max_result_window` (Elasticsearch's default): no search asks for hits past it.
RESULT_WINDOW = 10_000
log = logging.getLogger("thidua.elastic")


def window(offset: int, limit: int, size: int = RESULT_WINDOW) -> tuple[int, int]:
    """The hits `[start:stop]` of a page kept inside the result window; (0, 0), totals only, past it."""
    start, stop = min(offset, size), min(offset + limit, size)
    return (start, stop) if start < stop else (0, 0)


class ElasticBackend:
    """Three aliases (`<prefix>-articles|facts|entities`) over versioned indices (`…-v<N>`).

    Opening creates nothing: reads of aliases not built yet answer as an empty store; the writing
    methods (`write`, `delete`, `rebuild`) put the templates and create what is missing first."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str) -> None:
        self.es = client
        self.prefix = prefix
        self.indices = Aliases(client, prefix)

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticBackend:
        """A client for `settings.es_url` with the configured auth (retries on timeouts), checked with
        one read: an unreachable cluster or refused credentials raise here, at start-up."""
        auth: dict[str, Any] = {}
        if settings.es_api_key:
            auth["api_key"] = settings.es_api_key
        elif settings.es_username:
            auth["basic_auth"] = (settings.es_username, settings.es_password or "")
        client = Elasticsearch(
            str(settings.es_url),
            verify_certs=settings.es_verify_certs,
            retry_on_timeout=True,
            max_retries=3,
            request_timeout=30,
            **auth,
        )
        backend = cls(client, settings.es_index_prefix)
        try:
            if backend.counts()[0] == 0:
                log.warning("%s is empty or not built: run `thidua index`", backend.alias("articles"))
        except BaseException:
            client.close()
            raise
        return backend

    def alias(self, kind: str) -> str:
        """The alias readers use for one kind of record."""
        return self.indices.alias(kind)

    def prepare(self) -> None:
        """Writers only: the templates up to date and each alias on an index, created if absent."""
        self.indices.prepare()

    def close(self) -> None:
        """Close the client's connections."""
        self.es.close()

    # -- reads ------------------------------------------------------------------------------
    def _search(self, kind: str) -> Search:
        search = Search(using=self.es, index=self.alias(kind)).params(ignore_unavailable=True)
        return search.extra(track_total_hits=TOTAL_CAP + 1)

    def search_articles(self, query: ArticleSearch) -> tuple[list[ArticleHit], int, bool]:
        """Folded match required, exact spellings boosted; newest first without a query."""
        search = self._search("articles").query(es_article_query(query)).source(excludes=["raw_html"])
        words = tokens(query.q)
        order: list[Any] = ["_score"] if words else []
        search = search.sort(*order, {"published": {"order": "desc"}}, "id")
        resp = search[slice(*window(query.offset, query.limit))].execute()
        hits = [
            ArticleHit(
                id=h.id,
                title=h.title,
                url=h.url,
                published=h.published,
                site=h.site,
                province=h.province,
                score=float(h.meta.score or 0.0),
                highlights=highlight(h.text, words) if words else [],
            )
            for h in resp
        ]
        total = _total(resp)
        return hits, min(total, TOTAL_CAP), total <= TOTAL_CAP

    def get_article(self, article_id: str) -> ArticleDoc | None:
        """An indexed article with its text."""
        resp = self.es.options(ignore_status=404).get(
            index=self.alias("articles"), id=article_id, source_excludes=["raw_html"]
        )
        if not resp.body.get("found"):
            return None
        return ArticleDoc(**resp["_source"])

    def raw_html(self, article_id: str) -> str | None:
        """The archived raw HTML stored with the article."""
        resp = self.es.options(ignore_status=404).get(
            index=self.alias("articles"), id=article_id, source_includes=["raw_html"]
        )
        return resp["_source"].get("raw_html") if resp.body.get("found") else None

    def find_facts(self, flt: FactFilter) -> tuple[list[FactOut], int, bool]:
        """Facts matching the filter in date order, one page, with a total capped at TOTAL_CAP."""
        order = ("-date", "-id") if flt.newest_first else ("date", "id")
        search = self._search("facts").query(es_fact_query(flt)).sort(*order)
        if flt.after is not None:
            return self._after(flt, *flt.after), flt.limit, False
        resp = search[slice(*window(flt.offset, flt.limit))].execute()
        total = _total(resp)
        return [fact_out(h.to_dict()) for h in resp], min(total, TOTAL_CAP), total <= TOTAL_CAP

    def _after(self, flt: FactFilter, date: str | None, last: str) -> list[FactOut]:
        """Keyset paging (the export's cursor), past any result window: the facts after (date, id) in
        this backend's order, where the facts without a date come last (by id)."""
        query = es_fact_query(replace(flt, after=None))
        search = self._search("facts")
        if date is None:
            later = Q("range", id={"gt": last})
            search = search.query(Q("bool", filter=[query, later], must_not=[Q("exists", field="date")]))
            search = search.sort("id")
        else:
            search = search.query(query).sort("date", "id").extra(search_after=[date, last])
        return [fact_out(h.to_dict()) for h in search[0 : flt.limit].execute()]

    def generation(self) -> str | None:
        """None: responses are not cached over Elasticsearch (its refreshes are not counted)."""
        return None

    def find_fact_json(self, flt: FactFilter) -> tuple[list[FactJson], int, bool]:
        """`find_facts` with each fact serialised for the response."""
        facts, total, exact = self.find_facts(flt)
        return [fact_json(f) for f in facts], total, exact

    def find_timeline(self, flt: FactFilter) -> tuple[list[TimelineRow], int, bool]:
        """Dated statements: the matching facts (up to TOTAL_CAP) grouped here, each by its lead (the most
        confident, then the first by id, as SQLite marks it), ordered by the leads' date and id."""
        query = es_fact_query(replace(flt, dated_only=True)).to_dict()
        fields = ["id", "group_key", "date", "data.confidence", "correction_status"]
        docs = self._scan(self.alias("facts"), query, fields)
        leads, exact = _leads(doc for _, doc in zip(range(TOTAL_CAP + 1), docs, strict=False))
        page = leads[flt.offset : flt.offset + flt.limit]
        facts = self.get_facts([d["id"] for d in page])
        sources: dict[str, set[str]] = defaultdict(set)
        groups = tuple(d["group_key"] for d in page)
        if groups:  # the sources of the page's statements (those at or above `min_confidence`)
            same = es_fact_query(FactFilter(group_keys=groups, min_confidence=flt.min_confidence))
            for doc in self._scan(self.alias("facts"), same.to_dict(), ["group_key", "article_id"]):
                sources[doc["group_key"]].add(doc["article_id"])
        rows = [TimelineRow(fact_json(f), len(sources[f.group_key]) or 1) for f in facts]
        return rows, min(len(leads), TOTAL_CAP), exact

    def find_statements(self, flt: FactFilter) -> list[Statement]:
        """The matching facts' statements (their key fields only), grouped; one fact past TOTAL_CAP is
        read, so a caller can tell a cut entity (as on SQLite, which reads them all)."""
        fields = ["id", "group_key", "type", "unit_id", "cluster_id", "year", "role", "date", "article_id"]
        docs = self._scan(self.alias("facts"), es_fact_query(flt).to_dict(), [*fields, "data.confidence"])
        return statements_of(doc for _, doc in zip(range(TOTAL_CAP + 1), docs, strict=False))

    def kept_lists(self, kind: EntityKind, entity_id: str) -> KeptLists | None:
        """None: this backend keeps no lists, an entity's page builds them from `find_statements`."""
        return None

    def kept_items(
        self, kind: EntityKind, entity_id: str, name: str, after: tuple[Any, ...] | None, limit: int
    ) -> list[Item]:
        """No list is kept here (see `kept_lists`)."""
        return []

    def get_facts(self, fact_ids: list[str]) -> list[FactOut]:
        """The facts with these ids, in the order asked."""
        if not fact_ids:
            return []
        resp = self.es.mget(index=self.alias("facts"), ids=fact_ids)
        return [fact_out(d["_source"]) for d in resp["docs"] if d.get("found")]

    def list_entities(self, flt: EntityFilter) -> tuple[list[EntityOut], int]:
        """Clusters or units by name (folded words), one page."""
        filters = [Q("term", kind=flt.kind)]
        if flt.province_key:
            filters.append(Q("term", province_key=flt.province_key))
        if flt.key:
            filters.append(Q("term", key=flt.key))
        if flt.ids:
            filters.append(Q("terms", id=list(flt.ids)))
        must = [Q("match", name={"query": flt.q, "operator": "and"})] if flt.q else []
        search = self._search("entities").query(Q("bool", filter=filters, must=must)).sort("name_f", "id")
        resp = search[slice(*window(flt.offset, flt.limit))].execute()
        return [_entity(h.to_dict()) for h in resp], _total(resp)

    def get_entity(self, kind: EntityKind, entity_id: str) -> EntityOut | None:
        """One cluster or unit by id."""
        resp = self.es.options(ignore_status=404).get(index=self.alias("entities"), id=f"{kind}:{entity_id}")
        return _entity(resp["_source"]) if resp.body.get("found") else None

    def counts(self) -> tuple[int, int]:
        """Indexed articles and facts."""
        articles = self.es.count(index=self.alias("articles"), ignore_unavailable=True)["count"]
        facts = self.es.count(index=self.alias("facts"), ignore_unavailable=True)["count"]
        return int(articles), int(facts)

    def _scan(self, index: str, query: Any, fields: list[str]) -> Iterator[dict[str, Any]]:
        """Every matching document's fields, paged with search_after on the `id` keyword."""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": query, "sort": [{"id": "asc"}], "size": _SCAN, "_source": fields}
            if after is not None:
                body["search_after"] = after
            hits = self.es.search(index=index, ignore_unavailable=True, **body)["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            if len(hits) < _SCAN:
                return
            after = hits[-1]["sort"]

    def fingerprints(self) -> dict[str, str]:
        """Article id -> fingerprint of the indexed version; none when an index lacks a field of the
        current mapping (written by an older thidua: strict mappings refuse the new field), so that a
        sync rebuilds it."""
        outdated = [kind for kind in KINDS if self.indices.outdated(kind)]
        if outdated:
            log.warning("%s lack fields of the current mapping: rebuilding", ", ".join(outdated))
            return {}
        docs = self._scan(self.alias("articles"), {"match_all": {}}, ["id", "fingerprint"])
        return {d["id"]: d["fingerprint"] for d in docs}

    # -- writes -----------------------------------------------------------------------------
    def _bulk(self, actions: Iterable[dict[str, Any]]) -> None:
        helpers.bulk(self.es, actions, chunk_size=1000, max_retries=3, initial_backoff=1, refresh=False)

    def _index_batch(self, batch: Batch, indices: dict[str, str]) -> list[FactDoc]:
        """Write the batch with the corrections kept for its facts applied again; its facts as written."""
        ids = [a.id for a in batch.articles]
        self.es.delete_by_query(index=indices["facts"], query={"terms": {"article_id": ids}}, refresh=True)
        stored = self._stored_corrections([f.id for f in batch.facts])
        facts = apply_stored(batch.facts, stored, batch.articles)
        self._bulk(
            [{"_index": indices["articles"], "_id": a.id, "_source": asdict(a)} for a in batch.articles]
            + [{"_index": indices["facts"], "_id": f.id, "_source": _fact_source(f)} for f in facts]
        )
        return facts

    # -- corrections ------------------------------------------------------------------------
    def _stored_corrections(self, fact_ids: list[str]) -> dict[str, list[HistoryEntry]]:
        """The corrections kept for these facts, oldest first."""
        stored: dict[str, list[HistoryEntry]] = {}
        index = self.alias("corrections")  # created by the first correction; absent, none are kept
        for start in range(0, len(fact_ids), 1000):
            query = {"terms": {"fact_id": fact_ids[start : start + 1000]}}
            for doc in self._scan(index, query, ["fact_id", "seq", "entry"]):
                stored.setdefault(doc["fact_id"], []).append(HistoryEntry.model_validate_json(doc["entry"]))
        return stored

    def add_correction(self, fact_id: str, request: CorrectionIn) -> FactOut | None:
        """Apply a maintainer's correction to the fact and keep it (None: no such fact); raises
        `CorrectionError` (or ValueError: the amended fact is invalid) before writing anything."""
        self.prepare()
        found = self.es.options(ignore_status=404).get(index=self.alias("facts"), id=fact_id)
        if not found.body.get("found"):
            return None
        doc = _fact_doc(found["_source"])
        article = self.get_article(doc.article_id)
        if article is None:
            return None
        entry = new_entry(doc, request)
        new = apply(doc, [entry], article)
        seq = len(self._stored_corrections([fact_id]).get(fact_id, []))
        key = f"{fact_id}:{seq:06d}"
        body = {"id": key, "fact_id": fact_id, "seq": seq, "entry": entry.model_dump_json()}
        self.es.index(index=self.indices.corrections(), id=key, document=body, refresh="wait_for")
        self.es.index(index=found["_index"], id=fact_id, document=_fact_source(new), refresh="wait_for")
        for kind in ("unit", "cluster"):
            col = _ENTITY_COLUMNS[kind][0]
            self.refresh_entities(kind, {i for i in (getattr(doc, col), getattr(new, col)) if i})
        return fact_out(_fact_source(new))

    def write(self, batch: Batch) -> None:
        """Upsert articles by id, replace their facts, refresh the entities they touch."""
        self.prepare()
        touched = self._touched([a.id for a in batch.articles])
        facts = self._index_batch(batch, {k: self.alias(k) for k in KINDS})
        self.es.indices.refresh(index=f"{self.alias('articles')},{self.alias('facts')}")
        for kind in ("unit", "cluster"):
            col = _ENTITY_COLUMNS[kind][0]
            ids = touched[kind] | {getattr(f, col) for f in facts if getattr(f, col)}
            self.refresh_entities(kind, ids)

    def settle(self) -> None:
        """Nothing to do: no page list is kept here (see `kept_lists`)."""

    def delete(self, article_ids: Iterable[str]) -> int:
        """Remove articles with their facts and refresh the entities they touched."""
        self.prepare()
        ids = list(article_ids)
        touched = self._touched(ids)
        self.es.delete_by_query(index=self.alias("facts"), query={"terms": {"article_id": ids}}, refresh=True)
        resp = self.es.delete_by_query(
            index=self.alias("articles"), query={"terms": {"id": ids}}, refresh=True
        )
        for kind, entity_ids in touched.items():
            self.refresh_entities(kind, entity_ids)
        return int(resp["deleted"])

    def _touched(self, article_ids: list[str]) -> dict[EntityKind, set[str]]:
        touched: dict[EntityKind, set[str]] = {"unit": set(), "cluster": set()}
        query = {"terms": {"article_id": article_ids}}
        for doc in self._scan(self.alias("facts"), query, ["unit_id", "cluster_id"]):
            if doc.get("unit_id"):
                touched["unit"].add(doc["unit_id"])
            if doc.get("cluster_id"):
                touched["cluster"].add(doc["cluster_id"])
        return touched

    def refresh_entities(
        self, kind: EntityKind, entity_ids: set[str] | None, index: str | None = None
    ) -> None:
        """Recompute entity records from the facts; ids left without facts are removed.

        Raises `BulkIndexError` when records could not be written (removing one that was never
        written is not an error)."""
        id_col, name_col = _ENTITY_COLUMNS[kind]
        facts_index = index.replace("entities", "facts") if index else self.alias("facts")
        target = index or self.alias("entities")
        ids = sorted(entity_ids) if entity_ids is not None else None
        which: dict[str, Any] = {"terms": {id_col: ids}} if ids is not None else {"exists": {"field": id_col}}
        query = {"bool": {"filter": [which], "must_not": [RETRACTED.to_dict()]}}  # retracted facts count not
        tallies: dict[str, dict[tuple[str | None, str | None], int]] = defaultdict(lambda: defaultdict(int))
        for doc in self._scan(facts_index, query, [id_col, name_col, "province"]):
            tallies[doc[id_col]][(doc.get(name_col), doc.get("province"))] += 1
        actions: list[dict[str, Any]] = []
        for entity_id in ids if ids is not None else sorted(tallies):
            tally = [(n, p, c) for (n, p), c in tallies.get(entity_id, {}).items()]
            entity = entity_from_tally(kind, entity_id, tally)
            doc_id = f"{kind}:{entity_id}"
            if entity is None:
                actions.append({"_op_type": "delete", "_index": target, "_id": doc_id})
            else:
                actions.append({"_index": target, "_id": doc_id, "_source": _entity_source(entity)})
        _, errors = helpers.bulk(self.es, actions, max_retries=3, raise_on_error=False, refresh=True)
        failed = [e for e in cast(list[dict[str, Any]], errors) if e.get("delete", {}).get("status") != 404]
        if failed:
            msg = f"{len(failed)} {kind} record(s) not written to {target}; first: {failed[0]}"
            raise helpers.BulkIndexError(msg, failed)

    def rebuild(self, batches: Iterator[Batch]) -> None:
        """Fill new versioned indices, then swap all three aliases in one atomic request and delete
        the old indices. On any failure the new indices are deleted and the aliases stay as they were."""
        self.prepare()
        indices = self.indices.create_version()
        try:
            self._fill(batches, indices)
            old = self.indices.swap(indices)
        except BaseException:
            self.indices.discard(indices)
            raise
        self.indices.drop(old)

    def _fill(self, batches: Iterator[Batch], indices: dict[str, str]) -> None:
        for batch in batches:
            self._index_batch(batch, indices)
        self.es.indices.refresh(index=f"{indices['articles']},{indices['facts']}")
        for kind in ("unit", "cluster"):
            self.refresh_entities(kind, None, index=indices["entities"])


def _total(resp: Any) -> int:
    return int(resp.hits.total.value)


def _fact_doc(source: dict[str, Any]) -> FactDoc:
    """The stored fact of an indexed document (its `confidence` is the one in `data`)."""
    fields = {k: v for k, v in source.items() if k in FactDoc.__dataclass_fields__}
    return FactDoc(**{**fields, "data": json.dumps(source["data"], ensure_ascii=False)})


def _fact_source(fact: FactDoc) -> dict[str, Any]:
    source = asdict(fact)
    source["data"] = json.loads(fact.data)
    source["confidence"] = fact_confidence(source["data"])  # indexed (a float) for `min_confidence`
    return source


def _entity_source(entity: EntityOut) -> dict[str, Any]:
    source = entity.model_dump()
    source["name_f"] = fold(entity.name)
    source["province_key"] = province_key(entity.province) if entity.province else None
    source["key"] = entity_key(entity.id)
    return source


def _entity(source: dict[str, Any]) -> EntityOut:
    return EntityOut.model_validate({k: v for k, v in source.items() if k not in _ENTITY_EXTRAS})


def _leads(docs: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """Each group's lead among the facts read, in date and id order; whether every match was read."""
    best: dict[str, tuple[tuple[float, str], dict[str, Any]]] = {}
    read = 0
    for doc in docs:
        read += 1
        rank = (-fact_confidence(doc.get("data") or {}), str(doc["id"]))
        # a retracted fact (listed with `include_retracted`) is its own item, as on SQLite
        key = f"retracted:{doc['id']}" if doc.get("correction_status") == "retracted" else doc["group_key"]
        current = best.get(key)
        if current is None or rank < current[0]:
            best[key] = (rank, doc)
    leads = sorted((doc for _, doc in best.values()), key=lambda d: (d.get("date") or "", d["id"]))
    return leads, read <= TOTAL_CAP

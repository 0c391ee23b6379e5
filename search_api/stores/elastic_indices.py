"""The Elasticsearch backend's indices: three aliases over versioned indices, with the index templates;
created race-safely and swapped atomically, by writers only."""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, TransportError

_TEMPLATES = Path(__file__).parent.parent / "data" / "elastic.yaml"
KINDS = ("articles", "facts", "entities")
log = logging.getLogger("thidua.elastic")


@lru_cache(maxsize=1)
def _templates() -> dict[str, Any]:
    """Analysis settings and the mapping of each kind, from data/elastic.yaml."""
    return dict(yaml.safe_load(_TEMPLATES.read_text(encoding="utf-8")))


class Aliases:
    """`<prefix>-articles|facts|entities`, each on one versioned index `<alias>-v<N>`."""

    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.prefix = prefix
        self._prepared = False

    def alias(self, kind: str) -> str:
        """The alias readers use for one kind of record."""
        return f"{self.prefix}-{kind}"

    def prepare(self) -> None:
        """The index templates up to date and each alias on an index, created if absent (once)."""
        if self._prepared:
            return
        templates = _templates()
        for kind in KINDS:
            self.es.indices.put_index_template(
                name=self.alias(kind),
                index_patterns=[f"{self.alias(kind)}-v*"],
                template={"settings": templates["settings"], "mappings": templates["mappings"][kind]},
            )
            if not self.es.indices.exists_alias(name=self.alias(kind)):
                self._create_first(kind)
        self._prepared = True

    def corrections(self) -> str:
        """The corrections index (`<prefix>-corrections`, not versioned, outside the aliases a rebuild
        swaps), created when absent."""
        name = self.alias("corrections")
        if not self.es.indices.exists(index=name):
            try:
                mappings = _templates()["mappings"]["corrections"]
                self.es.indices.create(index=name, settings={"number_of_shards": 1}, mappings=mappings)
            except BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise
        return name

    def _create_first(self, kind: str) -> None:
        """Create `<alias>-v1` with its alias in one request; a creator losing the race adopts it."""
        alias = self.alias(kind)
        try:
            self.es.indices.create(index=f"{alias}-v1", aliases={alias: {}})
        except BadRequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise
            if not self.es.indices.exists_alias(name=alias):  # a leftover index without its alias
                self.es.indices.put_alias(index=f"{alias}-v1", name=alias)

    def outdated(self, kind: str) -> bool:
        """Whether the index behind the alias lacks a field the current mapping declares."""
        if not self.es.indices.exists_alias(name=self.alias(kind)):
            return False
        wanted = set(_templates()["mappings"][kind]["properties"])
        found = self.es.indices.get_mapping(index=self.alias(kind)).body
        return any(wanted - set(m.get("mappings", {}).get("properties", {})) for m in found.values())

    def current(self, kind: str) -> list[str]:
        """The indices the alias points at (one, unless something outside thidua changed it)."""
        if not self.es.indices.exists_alias(name=self.alias(kind)):
            return []
        return sorted(self.es.indices.get_alias(name=self.alias(kind)).body)

    def create_version(self) -> dict[str, str]:
        """New empty indices `<alias>-v<epoch ms>` for the three kinds (none left if one fails); a
        version another writer took in the same millisecond is skipped for the next one."""
        version = int(time.time() * 1000)
        for _ in range(100):
            created: dict[str, str] = {}
            try:
                for kind in KINDS:
                    self.es.indices.create(index=f"{self.alias(kind)}-v{version}")
                    created[kind] = f"{self.alias(kind)}-v{version}"
                return created
            except BadRequestError as exc:
                self.discard(created)
                if exc.error != "resource_already_exists_exception":
                    raise
                version += 1
            except BaseException:
                self.discard(created)
                raise
        raise RuntimeError("no free index version after 100 tries")

    def swap(self, indices: dict[str, str]) -> list[str]:
        """Point the three aliases at `indices` in one atomic request; the indices they left.

        Each removal must find its alias (`must_exist`), so a concurrent swap makes the request fail
        as a whole; it is retried over what the aliases point at then."""
        attempts = 3
        while True:
            old = [(k, name) for k in KINDS for name in self.current(k)]
            actions: list[dict[str, Any]] = [
                {"remove": {"index": name, "alias": self.alias(k), "must_exist": True}} for k, name in old
            ]
            actions += [{"add": {"index": indices[k], "alias": self.alias(k)}} for k in KINDS]
            try:
                self.es.indices.update_aliases(actions=actions)
                return [name for _, name in old]
            except NotFoundError:
                attempts -= 1
                if not attempts:
                    raise

    def drop(self, names: list[str]) -> None:
        """Delete indices by name (wildcards are refused by default); gone already is fine."""
        for name in names:
            self.es.indices.delete(index=name, ignore_unavailable=True)

    def discard(self, indices: dict[str, str]) -> None:
        """After a failure: delete these new indices unless an alias points at them (errors logged)."""
        for kind, name in indices.items():
            try:
                if name not in self.current(kind):
                    self.drop([name])
            except (ApiError, TransportError) as exc:
                log.warning(
                    "could not delete index %s of a failed rebuild (%s): delete it by name", name, exc
                )

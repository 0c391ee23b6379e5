"""Where admin jobs are recorded, so that every server process and host answers for every job: a table
in the SQLite archive, or an index next to the Elasticsearch backend's."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from elasticsearch import Elasticsearch, NotFoundError

from corpus.store import connect
from runtime.settings import Settings
from search_api.stores.base import SearchBackend

RUNNING = "running"


class TooManyJobsError(RuntimeError):
    """As many jobs as allowed are running; the message says how many."""


@dataclass
class JobRecord:
    """One background job as recorded: what runs, where (host and process), and how it ended."""

    id: str
    kind: str
    command: list[str]
    log: str
    host: str
    pid: int
    started: float
    state: str = RUNNING  # running, done or failed
    exit_code: int | None = None
    finished: float | None = None
    note: str = field(default="")


class JobStore(Protocol):
    def add(self, record: JobRecord, max_running: int) -> None:
        """Record a new job; TooManyJobsError when `max_running` are running already (it is not recorded)."""

    def update(self, record: JobRecord) -> None:
        """Record what changed about a job (its process id, how it ended)."""

    def get(self, job_id: str) -> JobRecord | None: ...

    def close(self) -> None: ...


def _too_many(running: int, max_running: int) -> TooManyJobsError:
    return TooManyJobsError(f"{running} jobs are running (at most {max_running}); try again later")


class SqliteJobStore:
    """Jobs in the `admin_jobs` table of the archive; the count and the insert in one write transaction."""

    def __init__(self, db_path: Path) -> None:
        self._lock = threading.Lock()  # one connection, used by request threads and reaper threads
        self.conn = connect(db_path)
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS admin_jobs "
            "(id TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL)"
        )
        self.conn.commit()

    def add(self, record: JobRecord, max_running: int) -> None:
        with self._lock:
            self._add(record, max_running)

    def _add(self, record: JobRecord, max_running: int) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            running = self.conn.execute("SELECT COUNT(*) FROM admin_jobs WHERE state = ?", (RUNNING,))
            count = int(running.fetchone()[0])
            if count >= max_running:
                raise _too_many(count, max_running)
            self.conn.execute(
                "INSERT INTO admin_jobs (id, state, data) VALUES (?, ?, ?)",
                (record.id, record.state, json.dumps(asdict(record))),
            )
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def update(self, record: JobRecord) -> None:
        with self._lock, self.conn:
            self.conn.execute(
                "UPDATE admin_jobs SET state = ?, data = ? WHERE id = ?",
                (record.state, json.dumps(asdict(record)), record.id),
            )

    def get(self, job_id: str) -> JobRecord | None:
        with self._lock:
            row = self.conn.execute("SELECT data FROM admin_jobs WHERE id = ?", (job_id,)).fetchone()
        return JobRecord(**json.loads(row[0])) if row else None

    def close(self) -> None:
        with self._lock:
            self.conn.close()


class ElasticJobStore:
    """Jobs as documents of one small index (`<prefix>-admin-jobs`), refreshed on every write; like the
    backend's, the index is created by the first write, not by opening."""

    def __init__(self, client: Elasticsearch, index: str) -> None:
        self.es = client
        self.index = index

    def add(self, record: JobRecord, max_running: int) -> None:
        if not self.es.indices.exists(index=self.index):
            self.es.options(ignore_status=400).indices.create(  # 400: another server created it just now
                index=self.index, mappings={"dynamic": False, "properties": {"state": {"type": "keyword"}}}
            )
        # Two servers may both see one free slot: the limit is a guide there, not a lock.
        count = int(self.es.count(index=self.index, query={"term": {"state": RUNNING}})["count"])
        if count >= max_running:
            raise _too_many(count, max_running)
        self.es.index(index=self.index, id=record.id, document=asdict(record), refresh=True)

    def update(self, record: JobRecord) -> None:
        self.es.index(index=self.index, id=record.id, document=asdict(record), refresh=True)

    def get(self, job_id: str) -> JobRecord | None:
        try:
            found: Any = self.es.get(index=self.index, id=job_id)
        except NotFoundError:
            return None
        return JobRecord(**found["_source"])

    def close(self) -> None:
        """The client belongs to the search backend, which closes it."""


def open_job_store(settings: Settings, backend: SearchBackend) -> JobStore:
    """The job store next to the search backend: its Elasticsearch cluster, or the SQLite archive."""
    if backend.name == "elasticsearch":
        es: Elasticsearch = getattr(backend, "es")  # noqa: B009 - only ElasticBackend has a client
        return ElasticJobStore(es, f"{getattr(backend, 'prefix')}-admin-jobs")  # noqa: B009
    return SqliteJobStore(settings.db_path)

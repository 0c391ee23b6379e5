"""Admin jobs live in the job store (the SQLite archive, or an index beside Elasticsearch's), so every
server process and host answers for every job: `thidua serve --workers 2` over HTTP, both backends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from search_api.job_store import JobRecord, JobStore, TooManyJobsError, open_job_store
from search_api.jobs import Jobs
from search_api.stores import open_backend
from tests.conftest import VENV_BIN
from tests.search_api.conftest import BACKENDS, _wait_http, make_settings
from tests.search_api.test_serve import _connections, _workers
from thidua.settings import Settings

AUTH = {"Authorization": "Bearer s3cret"}
SLEEP = [sys.executable, "-c", "import time; time.sleep(2)"]


@contextmanager
def _job_store(settings: Settings) -> Iterator[JobStore]:
    """The job store a server over `settings` uses (another process's view of the same jobs)."""
    backend = open_backend(settings)
    store = open_job_store(settings, backend)
    try:
        yield store
    finally:
        store.close()
        backend.close()


@contextmanager
def _serve(settings: Settings, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING", "THIDUA_API_TOKEN": "s3cret"}
    env.pop("THIDUA_ES_URL", None)
    if settings.es_url:
        env.update(THIDUA_ES_URL=settings.es_url, THIDUA_ES_INDEX_PREFIX=settings.es_index_prefix)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", "2", "--port", str(port),
           "--data-dir", str(settings.data_dir)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 60, proc), "the server did not start"
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("kind", BACKENDS)
def test_every_worker_of_serve_answers_for_a_job_another_process_started(
    kind: str, tmp_path: Path, es_url: str | None, free_port: Callable[[], int]
) -> None:
    settings = make_settings(kind, tmp_path / "var", es_url)
    port = free_port()
    with _serve(settings, port) as server, _job_store(settings) as store:
        url = f"http://127.0.0.1:{port}"
        workers = _workers(server.pid)
        clients: list[httpx.Client] = []
        try:
            # keep-alive connections until each worker holds one (the workers share the listening socket)
            while len(clients) < 40 and not all(_connections(w, port) >= 1 for w in workers):
                clients.append(httpx.Client(base_url=url, headers=AUTH, timeout=10))
                assert clients[-1].get("/api/v1/admin/jobs/none-such").status_code == 404
            assert len(workers) == 2 and all(_connections(w, port) >= 1 for w in workers)

            job = Jobs(settings.jobs_dir, 2, store).start("test", SLEEP)  # as a third server would
            states = [client.get(f"/api/v1/admin/jobs/{job.id}").json() for client in clients]
            assert [s["state"] for s in states] == ["running"] * len(clients)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and store.get(job.id).state == "running":  # type: ignore[union-attr]
                time.sleep(0.1)
            states = [client.get(f"/api/v1/admin/jobs/{job.id}").json() for client in clients]
            assert [(s["state"], s["exit_code"]) for s in states] == [("done", 0)] * len(clients)
        finally:
            for client in clients:
                client.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_running_limit_holds_across_servers(kind: str, tmp_path: Path, es_url: str | None) -> None:
    settings = make_settings(kind, tmp_path / "var", es_url)
    with _job_store(settings) as one, _job_store(settings) as other:
        jobs = Jobs(settings.jobs_dir, 1, one)
        first = jobs.start("test", SLEEP)
        with pytest.raises(TooManyJobsError, match="1 jobs are running"):
            Jobs(settings.jobs_dir, 1, other).start("test", SLEEP)
        assert other.get(first.id) == one.get(first.id)
        jobs.stop_all()
        assert other.get(first.id).state == "failed"  # type: ignore[union-attr]  # terminated


def test_a_job_whose_server_died_is_reported_failed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with _job_store(settings) as store:
        jobs = Jobs(settings.jobs_dir, 2, store)
        record: Any = JobRecord("abc", "crawl", ["x"], "x.log", jobs.host, gone.pid, time.time())
        store.add(record, 2)  # running, as its server recorded it before it was killed
        lost = jobs.get("abc")
        assert lost is not None and lost.state == "failed" and "stopped first" in lost.note

"""Fixtures: the fixture corpus, noida-db as an Elasticsearch stand-in, the API under real uvicorn."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from search_api.http_limits import LimitedHttpToolsProtocol
from search_api.indexing import sync
from search_api.main import create_app
from tests.conftest import VENV_BIN
from tests.search_api.corpus_fixture import build_corpus
from thidua.settings import Settings


def _wait_http(url: str, seconds: float, proc: subprocess.Popen[bytes] | None = None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (proc is None or proc.poll() is None):
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return True
        except httpx.HTTPError:
            time.sleep(0.2)
    return False


# Why the Elasticsearch tests skip: set when no noida-db server could be started (outside CI).
_NO_SERVER: list[str] = []


def _no_server(reason: str, log: Path | None = None) -> None:
    """No server to test against: the Elasticsearch tests skip with the reason; under CI (`CI` set and
    not `false`/`0`) that would hide a broken backend, so the session fails with the end of the log."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        excerpt = f"\n--- end of {log} ---\n" + log.read_text(errors="replace")[-4000:] if log else ""
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping{excerpt}", pytrace=False)
    _NO_SERVER.append(f"{reason} (log: {log})" if log else reason)


@pytest.fixture(scope="session")
def es_url(tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]) -> Iterator[str | None]:
    """THIDUA_ES_URL when set, else a noida-db server started here (None when it cannot run)."""
    if os.environ.get("THIDUA_ES_URL"):
        yield os.environ["THIDUA_ES_URL"]
        return
    binary = str(VENV_BIN / "noida-db") if (VENV_BIN / "noida-db").exists() else shutil.which("noida-db")
    if binary is None:
        _no_server("noida-db is not installed (pip install -e '.[test]')")
        yield None
        return
    port = free_port()
    data = tmp_path_factory.mktemp("noida")
    cmd = [binary, "start", "--only", "elasticsearch", "--host", "127.0.0.1",
           "--elasticsearch-port", str(port), "--data-dir", str(data)]  # fmt: skip
    log = (data / "noida.log").open("wb")
    # Its own process group: the console script starts the server binary as a child process.
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        if _wait_http(url, 30, proc):
            yield url
        else:
            log.flush()
            _no_server(f"noida-db did not answer on {url} (exit status {proc.poll()})", data / "noida.log")
            yield None
    finally:
        _stop_group(proc)
        log.close()


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process and the children it started (its process group)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            time.sleep(0.2)
        except subprocess.TimeoutExpired:
            continue


def make_settings(kind: str, data_dir: Path, es_url: str | None) -> Settings:
    """Settings for one backend over a private data dir (and a private ES index prefix)."""
    if kind == "elastic":
        if es_url is None:
            pytest.skip(_NO_SERVER[-1] if _NO_SERVER else "no Elasticsearch-compatible server")
        prefix = f"t{uuid.uuid4().hex[:10]}"
        return Settings(data_dir=data_dir, es_url=es_url, es_index_prefix=prefix, api_token="s3cret")
    return Settings(data_dir=data_dir, es_url=None, api_token="s3cret")


BACKENDS = ["sqlite", pytest.param("elastic", marks=pytest.mark.elastic)]


@pytest.fixture(scope="session", params=BACKENDS)
def indexed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, es_url: str | None
) -> Any:
    """(settings, ids) of the fixture corpus indexed into one backend."""
    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    settings = make_settings(request.param, data_dir, es_url)
    ids = build_corpus(settings.db_path)
    sync(settings)
    return settings, ids


class Server:
    """uvicorn serving the app in a thread on a free port of 127.0.0.1."""

    def __init__(self, settings: Settings, port: int, *, fast_path: bool = True) -> None:
        app = create_app(settings, fast_path=fast_path)
        # the protocol `thidua serve` runs: oversized requests are refused before the app (414/431)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", http=LimitedHttpToolsProtocol
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        self.thread.start()
        if not _wait_http(self.url + "/health", 20):
            raise RuntimeError("uvicorn did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def api(
    indexed: Any, free_port: Callable[[], int]
) -> Iterator[tuple[httpx.Client, dict[str, Any], Settings]]:
    """An HTTP client on the running API, the fixture ids and the settings."""
    settings, ids = indexed
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client, ids, settings

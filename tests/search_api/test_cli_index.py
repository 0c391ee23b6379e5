"""`thidua index` from the command line on both stores (a SQLite file; noida-db over HTTP), and its
one-line error when Elasticsearch cannot be reached."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from elasticsearch import Elasticsearch

from search_api.stores import open_backend
from tests.search_api.conftest import BACKENDS, make_settings
from tests.search_api.corpus_fixture import build_corpus
from thidua.cli import cli
from thidua.settings import Settings, get_settings


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Settings], None]]:
    """Point the command's environment at these settings."""

    def apply(settings: Settings) -> None:
        monkeypatch.setenv("THIDUA_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("THIDUA_ES_INDEX_PREFIX", settings.es_index_prefix)
        if settings.es_url:
            monkeypatch.setenv("THIDUA_ES_URL", str(settings.es_url))
        else:
            monkeypatch.delenv("THIDUA_ES_URL", raising=False)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def index(*args: str) -> Result:
    return CliRunner().invoke(cli, ["index", *args])


def counts(settings: Settings) -> tuple[int, int]:
    backend = open_backend(settings)
    try:
        return backend.counts()
    finally:
        backend.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_index_rebuild_fills_the_store(
    kind: str, tmp_path: Path, es_url: str | None, use: Callable[[Settings], None]
) -> None:
    settings = make_settings(kind, tmp_path / "var", es_url)
    build_corpus(settings.db_path)
    use(settings)
    for _ in range(2):  # a second rebuild replaces the first
        result = index("--rebuild")
        assert result.exit_code == 0, result.output
        assert f"backend='{'elasticsearch' if settings.es_url else 'sqlite'}'" in result.stdout
        assert "articles=8" in result.stdout
        articles, facts = counts(settings)
        assert articles == 8 and facts > 40
    result = index()
    assert result.exit_code == 0 and "articles=0" in result.stdout  # nothing changed since
    if settings.es_url:
        with Elasticsearch(str(settings.es_url)) as es:
            aliases = es.indices.get_alias(index=f"{settings.es_index_prefix}-*").body
        assert sorted(len(entry["aliases"]) for entry in aliases.values()) == [1, 1, 1]


@pytest.mark.parametrize("args", [["--rebuild"], []])
def test_an_unreachable_cluster_is_one_clear_line(
    args: list[str], tmp_path: Path, free_port: Callable[[], int], use: Callable[[Settings], None]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = Settings(data_dir=tmp_path / "var", es_url=url)
    build_corpus(settings.db_path)
    use(settings)
    result = index(*args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: Elasticsearch at {url} is unreachable (ConnectionError")
    assert "check THIDUA_ES_URL" in line


def test_an_index_request_the_cluster_refuses_is_one_clear_line(
    tmp_path: Path, es_url: str | None, use: Callable[[Settings], None]
) -> None:
    settings = make_settings("elastic", tmp_path / "var", es_url)
    build_corpus(settings.db_path)
    use(settings.model_copy(update={"es_index_prefix": "Bad,Prefix"}))  # not a valid index name
    result = index("--rebuild")
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: Elasticsearch at {settings.es_url} answered 400 ")
    assert "Bad,Prefix" in line

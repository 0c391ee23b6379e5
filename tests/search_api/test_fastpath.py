"""The direct path (article search, facts, timeline) answers exactly like the FastAPI routes, errors too,
and leaves to them what their models or rules refuse."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.settings import Settings
from search_api.catalog import Catalog
from search_api.fastpath import HANDLERS, answer
from search_api.indexing import sync
from search_api.stores import open_backend
from tests.search_api.conftest import Server, make_settings
from tests.search_api.corpus_fixture import build_corpus

VALUES = {
    "type": ["chair", "member", "award", "event", "chair\n", "boss", ""],
    "unit": ["Đà Lạt", "TP Đà Lạt", "da-lat", "Di Linh", "x" * 201, ""],
    "cluster": ["Cụm thi đua số 1", "lam-dong--cum-thi-dua-so-1", "Cụm 9", ""],
    "province": ["Lâm Đồng", "lam dong", ""],
    "year": ["2022", "2021", "1800", "20x2", "+2022", " 2022", "2022.0", ""],
    "status": ["proposed", "conferred", "maybe"],
    "role": ["chair", "vice_chair", "boss"],
    "limit": ["1", "3", "200", "0", "201", "-1"],
    "offset": ["0", "2", "10000", "10001"],
    "min_confidence": [*"0.6 0.61 0.9 0 1 1.0 000.5 .5 1e-1 -0 -0.1 1.5 nan inf".split(), " 0.7", "0,7", ""],
    "bogus": ["1"],
}
PAIRS = st.sampled_from([(k, v) for k, values in VALUES.items() for v in values])
ARTICLE_VALUES = {
    "q": ["Đà Lạt", "da lat", "cụm trưởng", "thi đua", '"Cụm', "x" * 10_001, "", "tổng kết OR"],
    "province": ["Lâm Đồng", "lam dong", "Nowhere", "x" * 201, ""],
    "site": ["baolamdong.vn", "example.org", ""],
    "date_from": ["2022", "2022-01", "2021-12-31", "2022-1", "2022\n", ""],
    "date_to": ["2023", "2022-06-30", "soon"],
    "limit": ["1", "3", "200", "0", "201", "07"],
    "offset": ["0", "2", "10000", "10001", "-1"],
    "type": ["chair"],
}
ARTICLE_PAIRS = st.sampled_from([(k, v) for k, values in ARTICLE_VALUES.items() for v in values])


@pytest.fixture(scope="module")
def clients(
    tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    config = make_settings("sqlite", Path(tmp_path_factory.mktemp("fastpath")), None)
    build_corpus(config.db_path)
    sync(config)
    with (
        Server(config, free_port(), fast_path=True) as fast,
        Server(config, free_port(), fast_path=False) as plain,
        httpx.Client(base_url=fast.url, timeout=30) as fast_client,
        httpx.Client(base_url=plain.url, timeout=30) as plain_client,
    ):
        yield fast_client, plain_client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(["facts", "timeline"]), pairs=st.lists(PAIRS, max_size=4))
def test_the_direct_path_answers_like_the_routes(
    clients: tuple[httpx.Client, httpx.Client], endpoint: str, pairs: list[tuple[str, str]]
) -> None:
    query = "&".join(f"{k}={quote(v)}" for k, v in pairs)
    fast, plain = (c.get(f"/api/v1/{endpoint}?{query}") for c in clients)
    assert fast.status_code == plain.status_code, query
    assert fast.headers["content-type"] == plain.headers["content-type"]
    assert fast.json() == plain.json(), query


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(ARTICLE_PAIRS, max_size=4))
def test_the_direct_path_searches_articles_like_the_route(
    clients: tuple[httpx.Client, httpx.Client], pairs: list[tuple[str, str]]
) -> None:
    query = "&".join(f"{k}={quote(v)}" for k, v in pairs)
    fast, plain = (c.get(f"/api/v1/articles?{query}") for c in clients)
    assert fast.status_code == plain.status_code, query
    assert fast.headers["content-type"] == plain.headers["content-type"]
    assert fast.json() == plain.json(), query


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Catalog, Settings]]:
    config = make_settings("sqlite", Path(tmp_path_factory.mktemp("fastpath-catalog")), None)
    build_corpus(config.db_path)
    sync(config)
    backend = open_backend(config)
    try:
        yield Catalog(backend), config
    finally:
        backend.close()


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [("facts", b"unit=%C4%90%C3%A0+L%E1%BA%A1t&year=2022&limit=5"), ("facts", b"year=2021&year=2022"),
     ("facts", b"min_confidence=1e-1&bogus=1"), ("facts", b"offset=9800&limit=200"),
     ("facts", b"offset=9800"),
     ("timeline", b"province=L%C3%A2m+%C4%90%E1%BB%93ng"), ("articles", b"q=x&offset=100&limit=20"),
     ("articles", b"q=%C4%90%C3%A0+L%E1%BA%A1t&date_from=2022-01&limit=5")],
)  # fmt: skip
def test_the_direct_path_answers_what_the_models_take(
    catalog: tuple[Catalog, Settings], endpoint: str, query: bytes
) -> None:
    assert answer(HANDLERS[endpoint], *catalog, query) is not None, query


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [("facts", b"unit="), ("facts", b"type=chair%0A"), ("facts", b"limit=201"), ("facts", b"year=1e3"),
     ("facts", b"min_confidence=nan"), ("facts", b"offset=9801&limit=200"), ("facts", b"offset=9951"),
     ("timeline", b"year=2022"), ("articles", b"site="), ("articles", b"date_to=2022%0A"),
     ("articles", b"date_from=2022-02-31"), ("articles", b"q=x&offset=10000&limit=1")],
)  # fmt: skip
def test_the_direct_path_leaves_what_they_refuse_to_the_routes(
    catalog: tuple[Catalog, Settings], endpoint: str, query: bytes
) -> None:
    """Invalid values, pages past the result window (the route's default page size counts) and a timeline
    without a subject: the route answers them (422)."""
    assert answer(HANDLERS[endpoint], *catalog, query) is None, query

"""Bulk data: the API's export pages through every matching fact with a cursor (both stores), and
`thidua export` streams every fact, past 10,000, as CSV, JSON Lines or Parquet with the documented
columns."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from corpus.models import Article
from corpus.store import CorpusStore
from search_api.bulk import PARQUET_COLUMNS
from search_api.export import CSV_FIELDS
from search_api.indexing import sync
from tests.conftest import VENV_BIN
from thidua.settings import Settings

Api = tuple[httpx.Client, dict[str, Any], Any]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "DATA.md"


def _all_facts(client: httpx.Client, **params: Any) -> list[str]:
    page = client.get("/api/v1/facts", params={**params, "limit": 200}).json()
    assert page["total"] < 200
    return [f["id"] for f in page["items"]]


def _next(response: httpx.Response) -> str | None:
    found = re.fullmatch(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return found.group(1) if found else None


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_export_pages_through_every_fact_with_a_cursor(api: Api, fmt: str) -> None:
    client, _, _ = api
    expected = _all_facts(client)
    seen: list[str] = []
    url: str | None = f"/api/v1/export?format={fmt}&limit=7"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        if fmt == "jsonl":
            seen += [json.loads(line)["id"] for line in response.text.splitlines()]
        else:
            seen += [row["id"] for row in csv.DictReader(io.StringIO(response.text))]
        url = _next(response)
        assert (url is None) == (len(seen) == len(expected)), (len(seen), url)
        pages += 1
    assert seen == expected and pages == -(-len(expected) // 7)


def test_a_cursor_keeps_the_filters_and_refuses_an_offset_or_garbage(api: Api) -> None:
    client, _, _ = api
    expected = _all_facts(client, type="member")
    first = client.get("/api/v1/export", params={"type": "member", "limit": 3})
    rest = client.get(_next(first) or "").text.splitlines()  # the link keeps type=member and limit=3
    assert [json.loads(line)["id"] for line in rest] == expected[3:6]
    cursor = first.headers["x-next-cursor"]
    assert client.get("/api/v1/export", params={"cursor": cursor, "offset": 5}).status_code == 422
    assert client.get("/api/v1/export", params={"cursor": "not a cursor"}).status_code == 422


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A SQLite store of 10,500 facts: more than the API's one-page cap."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("bulk") / "var", es_url=None)
    with CorpusStore(settings.db_path) as store:
        for n in range(21):
            text = f"Cụm thi đua số {n + 1} gồm các xã của huyện Đức Trọng."
            article = Article(
                url=f"https://bulk.example/{n}",
                title=f"Cụm {n + 1}",
                text=text,
                published=f"2021-01-{n + 1:02d}",
                province="Lâm Đồng",
                site="bulk.example",
            )
            store.upsert_article(article)
            evidence = {"sentence": text, "start": 0, "end": len(text)}
            facts = [
                {
                    "id": f"b{n:02d}-{i:03d}",
                    "type": "member",
                    "cluster": f"Cụm thi đua số {n + 1}",
                    "member": f"=Xã {i}",
                    "year": 2021,
                    "evidence": evidence,
                }
                for i in range(500)
            ]
            store.replace_facts(article, facts)
    sync(settings)
    return settings


def _export(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIDUA_DATA_DIR": str(settings.data_dir)}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "export", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=True)


def test_thidua_export_streams_every_fact_as_csv_and_jsonl(big_store: Settings) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(big_store, "--format", "csv").stdout)))
    assert len(rows) == 10_500 and list(rows[0]) == CSV_FIELDS
    assert len({r["id"] for r in rows}) == 10_500
    assert all(r["member"].startswith("'=") for r in rows)  # formula cells neutralised
    lines = _export(big_store, "--format", "jsonl", "--cluster", "Cụm thi đua số 3", "--province", "Lâm Đồng")
    facts = [json.loads(line) for line in lines.stdout.splitlines()]
    assert len(facts) == 500 and {f["cluster"] for f in facts} == {"Cụm thi đua số 3"}


def test_thidua_export_writes_parquet_with_the_documented_columns(
    big_store: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "facts.parquet"
    _export(big_store, "--format", "parquet", "--output", str(out))
    table = pq.read_table(out)
    assert table.num_rows == 10_500 and table.column_names == PARQUET_COLUMNS
    assert str(table.schema.field("year").type) == "int64" and table.column("member")[0].as_py() == "=Xã 0"


def test_data_md_describes_every_column() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE))
    assert set(PARQUET_COLUMNS) <= documented

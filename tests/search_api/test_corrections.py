"""Corrections over HTTP on both stores: a maintainer retracts or amends a fact with a reason, the
history keeps who, when and why, retracted facts leave lists, timelines, checks and exports, and
re-extraction or a rebuild never undoes a correction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from corpus.store import CorpusStore
from search_api.feeds import entry_id
from search_api.indexing import rebuild, sync
from tests.search_api.conftest import BACKENDS, Server, make_settings
from tests.search_api.corpus_fixture import build_corpus
from thidua.settings import Settings

TOKEN = {"Authorization": "Bearer s3cret"}  # make_settings configures this token
BAO_LOC_CHAIR = {"type": "chair", "unit": "Bảo Lộc", "year": "2022"}  # the only source of its statement


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path, es_url: str | None) -> Settings:
    settings = make_settings(request.param, tmp_path / "var", es_url)
    build_corpus(settings.db_path)
    sync(settings)
    return settings


@pytest.fixture
def client(settings: Settings, free_port: Callable[[], int]) -> Iterator[httpx.Client]:
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def _one_fact(client: httpx.Client, **params: Any) -> dict[str, Any]:
    page = client.get("/api/v1/facts", params=params).json()
    assert page["total"] == 1, page
    fact: dict[str, Any] = page["items"][0]
    return fact


def _correct(client: httpx.Client, fact_id: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(f"/api/v1/facts/{fact_id}/corrections", json=body, headers=TOKEN)


def test_writing_a_correction_needs_the_token(client: httpx.Client) -> None:
    fact = _one_fact(client, **BAO_LOC_CHAIR)
    body = {"action": "retract", "reason": "Nguồn nhầm năm."}
    url = f"/api/v1/facts/{fact['id']}/corrections"
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get(f"/api/v1/facts/{fact['id']}").json()["correction_status"] == "extracted"


def test_without_a_configured_token_corrections_are_disabled(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    settings = Settings(data_dir=tmp_path / "var", es_url=None, api_token=None)
    build_corpus(settings.db_path)
    sync(settings)
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url) as client:
        fact = _one_fact(client, **BAO_LOC_CHAIR)
        response = _correct(client, fact["id"], {"action": "retract", "reason": "Nguồn nhầm năm."})
        assert response.status_code == 403


def test_a_retracted_fact_leaves_lists_timelines_checks_and_exports(client: httpx.Client) -> None:
    fact = _one_fact(client, **BAO_LOC_CHAIR)
    check = {"unit": "Bảo Lộc", "role": "chair", "year": "2022"}
    assert client.get("/api/v1/check", params=check).json()["verdict"] == "supported"
    timeline = client.get("/api/v1/timeline", params={"unit": "Bảo Lộc"}).json()
    assert fact["id"] in {item["fact"]["id"] for item in timeline["items"]}

    body = {"action": "retract", "reason": "Bài viết nhầm: Cụm trưởng năm 2022 là Đà Lạt.", "by": "Lan"}
    response = _correct(client, fact["id"], body)
    assert response.status_code == 201, response.text
    corrected = response.json()
    assert corrected["correction_status"] == "retracted"
    [entry] = corrected["history"]
    assert (entry["action"], entry["by"], entry["reason"]) == ("retract", "Lan", body["reason"])
    assert entry["at"].endswith("+00:00")

    assert client.get("/api/v1/facts", params=BAO_LOC_CHAIR).json()["total"] == 0
    timeline = client.get("/api/v1/timeline", params={"unit": "Bảo Lộc"}).json()
    assert fact["id"] not in {item["fact"]["id"] for item in timeline["items"]}
    assert client.get("/api/v1/check", params=check).json()["verdict"] != "supported"
    exported = client.get("/api/v1/export", params={"format": "jsonl", "unit": "Bảo Lộc"}).text
    assert fact["id"] not in exported
    assert entry_id(fact["id"]) not in client.get("/feeds/types/chair").text

    shown = client.get(f"/api/v1/facts/{fact['id']}").json()
    assert shown["correction_status"] == "retracted" and shown["history"] == corrected["history"]
    again = _one_fact(client, **BAO_LOC_CHAIR, include_retracted="true")
    assert again["id"] == fact["id"] and again["correction_status"] == "retracted"
    timeline = client.get("/api/v1/timeline", params={"unit": "Bảo Lộc", "include_retracted": "true"}).json()
    assert fact["id"] in {item["fact"]["id"] for item in timeline["items"]}
    csv = client.get(
        "/api/v1/export", params={"format": "csv", "unit": "Bảo Lộc", "include_retracted": "true"}
    )
    assert "retracted" in csv.text


def test_an_amendment_serves_the_new_fields_and_keeps_the_old_ones(client: httpx.Client) -> None:
    fact = _one_fact(client, **BAO_LOC_CHAIR)
    first = _correct(
        client,
        fact["id"],
        {"action": "amend", "reason": "Năm 2021 theo quyết định.", "fields": {"year": 2021}},
    )
    assert first.status_code == 201, first.text
    second = _correct(
        client,
        fact["id"],
        {"action": "amend", "reason": "Là phó cụm trưởng.", "fields": {"role": "vice_chair"}},
    )
    shown = client.get(f"/api/v1/facts/{fact['id']}").json()
    assert second.json() == shown
    assert (shown["correction_status"], shown["year"], shown["role"]) == ("amended", 2021, "vice_chair")
    assert [(e["fields"], e["previous"]) for e in shown["history"]] == [
        ({"year": 2021}, {"year": 2022}),
        ({"role": "vice_chair"}, {"role": "chair"}),
    ]
    assert client.get("/api/v1/facts", params=BAO_LOC_CHAIR).json()["total"] == 0
    moved = _one_fact(client, type="chair", unit="Bảo Lộc", year="2021", role="vice_chair")
    assert moved["id"] == fact["id"] and moved["correction_status"] == "amended"


def test_corrections_that_cannot_apply_are_refused(client: httpx.Client) -> None:
    fact = _one_fact(client, **BAO_LOC_CHAIR)
    unknown_field = {"action": "amend", "reason": "thử", "fields": {"colour": "đỏ"}}
    assert _correct(client, fact["id"], unknown_field).status_code == 422
    invalid = {"action": "amend", "reason": "thử sai", "fields": {"role": "mayor"}}
    assert _correct(client, fact["id"], invalid).status_code == 422
    assert _correct(client, fact["id"], {"action": "amend", "reason": "no fields"}).status_code == 422
    assert _correct(client, "no-such-fact", {"action": "retract", "reason": "gone"}).status_code == 404
    assert _correct(client, fact["id"], {"action": "retract", "reason": "sai nguồn"}).status_code == 201
    assert _correct(client, fact["id"], {"action": "retract", "reason": "lần hai"}).status_code == 409
    assert len(client.get(f"/api/v1/facts/{fact['id']}").json()["history"]) == 1


def _reextract(settings: Settings) -> None:
    """What `thidua run` does to a changed article: its facts extracted again (same ids, new values)."""
    with CorpusStore(settings.db_path) as store:
        for article in store.iter_articles():
            facts = list(store.iter_facts(article.id))
            store.replace_facts(article, [{**f, "confidence": 0.95} for f in facts])


def test_corrections_survive_reextraction_and_rebuilds(settings: Settings, client: httpx.Client) -> None:
    retracted = _one_fact(client, **BAO_LOC_CHAIR)
    amended = client.get("/api/v1/facts", params={"type": "chair", "unit": "Đà Lạt"}).json()["items"][0]
    assert _correct(client, retracted["id"], {"action": "retract", "reason": "sai nguồn"}).status_code == 201
    body = {"action": "amend", "reason": "Tên cụm đầy đủ.", "fields": {"cluster": "Cụm thi đua số 2"}}
    assert _correct(client, amended["id"], body).status_code == 201

    _reextract(settings)
    assert sync(settings).articles > 0
    for _ in range(2):
        assert client.get("/api/v1/facts", params=BAO_LOC_CHAIR).json()["total"] == 0
        again = client.get(f"/api/v1/facts/{amended['id']}").json()
        assert (again["correction_status"], again["cluster"]) == ("amended", "Cụm thi đua số 2")
        assert again["confidence"] == 0.95  # the new extraction, with the amendment applied to it
        assert client.get(f"/api/v1/facts/{retracted['id']}").json()["correction_status"] == "retracted"
        rebuild(settings)

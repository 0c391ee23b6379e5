"""Corrections survive the real pipeline: `thidua run --sample` again (crawl, extract, index) and
`thidua index --rebuild` leave a retracted fact retracted and an amended one amended."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import VENV_BIN
from tests.search_api.conftest import Server
from thidua.settings import Settings

pytestmark = pytest.mark.slow
TOKEN = {"Authorization": "Bearer rerun-token"}


def _thidua(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "THIDUA_DATA_DIR": str(data_dir)}
    env.pop("THIDUA_ES_URL", None)
    proc = subprocess.run(
        [str(VENV_BIN / "thidua"), *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"thidua {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"


def test_corrections_stay_in_force_after_thidua_run_and_a_rebuild(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    data_dir = tmp_path / "var"
    _thidua(data_dir, "run", "--sample")
    settings = Settings(data_dir=data_dir, es_url=None, api_token="rerun-token")
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        chairs = client.get("/api/v1/facts", params={"type": "chair"}).json()["items"]
        retracted, amended = chairs[0]["id"], chairs[1]["id"]
        body = {"action": "retract", "reason": "Kiểm tra lại: câu không nói vậy."}
        assert (
            client.post(f"/api/v1/facts/{retracted}/corrections", json=body, headers=TOKEN).status_code == 201
        )
        body = {"action": "amend", "reason": "Năm theo quyết định.", "fields": {"year": 2019}}
        assert (
            client.post(f"/api/v1/facts/{amended}/corrections", json=body, headers=TOKEN).status_code == 201
        )

    _thidua(data_dir, "run", "--sample")
    _thidua(data_dir, "index", "--rebuild")

    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        ids = {f["id"] for f in client.get("/api/v1/facts", params={"type": "chair"}).json()["items"]}
        assert retracted not in ids and amended in ids
        assert client.get(f"/api/v1/facts/{retracted}").json()["correction_status"] == "retracted"
        again = client.get(f"/api/v1/facts/{amended}").json()
        assert (again["correction_status"], again["year"]) == ("amended", 2019)
        assert [e["action"] for e in again["history"]] == ["amend"]

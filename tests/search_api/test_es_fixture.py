"""When noida-db cannot start, the Elasticsearch tests skip locally with the reason, but fail under CI
(`CI` set) with the end of its log: a CI run must not pass without testing that backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# One Elasticsearch test of the contract suite, run by a nested pytest.
TARGET = "tests/search_api/test_backends.py::test_sync_is_idempotent[elastic]"


def run_pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """The nested run, with a `noida-db` that fails at start-up and no THIDUA_ES_URL."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    fake = venv / "bin" / "noida-db"
    fake.write_text("#!/bin/sh\necho 'noida-db: cannot bind 127.0.0.1: address in use (test)' >&2\nexit 3\n")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "THIDUA_ES_URL", "PYTEST_ADDOPTS")}
    env["VIRTUAL_ENV"] = str(venv)
    if ci is not None:
        env["CI"] = ci
    cmd = [sys.executable, "-m", "pytest", TARGET, "-q", "-rs", "-p", "no:cacheprovider",
           "--basetemp", str(tmp_path / f"run-{ci}")]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("ci", ["true"])
def test_under_ci_a_server_that_cannot_start_fails_the_run_with_its_log(tmp_path: Path, ci: str) -> None:
    result = run_pytest(tmp_path, ci)
    assert result.returncode == 1, result.stdout
    assert "noida-db did not answer" in result.stdout and "exit status 3" in result.stdout
    assert "cannot bind 127.0.0.1: address in use (test)" in result.stdout  # the log excerpt
    assert "1 error" in result.stdout and "skipped" not in result.stdout


@pytest.mark.parametrize("ci", [None])
def test_outside_ci_the_elasticsearch_tests_skip_with_the_reason(tmp_path: Path, ci: str | None) -> None:
    result = run_pytest(tmp_path, ci)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "SKIPPED" in result.stdout and "noida-db did not answer" in result.stdout

"""Fixtures shared by every test package: free ports, a private data dir, the project paths."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """Returns a function giving a TCP port on 127.0.0.1 that nothing listens on right now."""
    return _free_port


@pytest.fixture(scope="session")
def thidua_bin() -> str:
    """The installed `thidua` console script."""
    return str(VENV_BIN / "thidua")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh THIDUA_DATA_DIR for the test, with the settings cache cleared around it."""
    from thidua.settings import get_settings

    path = tmp_path / "var"
    monkeypatch.setenv("THIDUA_DATA_DIR", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()

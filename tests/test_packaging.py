"""The distribution: every package imports from the installed project, and the CLI is declared."""

from __future__ import annotations

import importlib
import importlib.metadata

import pytest

PACKAGES = ["runtime", "thidua", "crawler", "corpus", "extract", "search_api"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_imports_from_the_installed_distribution(name: str) -> None:
    top_level = (importlib.metadata.distribution("thidua").read_text("top_level.txt") or "").split()
    assert name in top_level, f"{name} is not packaged; top-level names: {top_level}"
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"


def test_console_script_is_declared() -> None:
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert any(ep.name == "thidua" and ep.value == "thidua.cli:main" for ep in scripts)


def test_settings_come_from_thidua_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    from thidua.settings import Settings

    monkeypatch.setenv("THIDUA_DATA_DIR", "/tmp/elsewhere")
    monkeypatch.setenv("THIDUA_PORT", "8123")
    settings = Settings()
    assert str(settings.data_dir) == "/tmp/elsewhere"
    assert settings.port == 8123
    assert settings.db_path.name == "thidua.sqlite3"

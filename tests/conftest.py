"""Shared fixtures: no test ever sees the developer's home, config or cache."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_LIBRARY = REPO / "assets" / "library"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point HOME, XDG dirs and the reader's own overrides at a fresh temporary tree."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("READER_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("READER_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("READER_LIBRARY", raising=False)
    yield home


@pytest.fixture
def config_dir(isolated_home: Path) -> Path:
    """The config directory the reader uses in this test."""
    return isolated_home / "config"


@pytest.fixture
def bundled_library(tmp_path: Path) -> Path:
    """A private copy of the bundled library that a test may change."""
    target = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, target)
    return target

"""Shared fixtures: no test ever sees the developer's home, config or cache."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.web_site import WebSite

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
    monkeypatch.setenv("READER_DATA_DIR", str(home / "data"))
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


_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every connection that leaves the machine: tests talk to loopback only."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def allowed(sock: socket.socket, address: Any) -> bool:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return True  # unix sockets (tmux, event loops)
        host = str(address[0])
        return host.startswith(_LOOPBACK)

    def connect(sock: socket.socket, address: Any) -> None:
        if not allowed(sock, address):
            raise ConnectionRefusedError(f"tests may not connect to {address!r}")
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not allowed(sock, address):
            raise ConnectionRefusedError(f"tests may not connect to {address!r}")
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def web_site() -> Iterator[WebSite]:
    """A started loopback web server with no pages yet (see tests/web_site.py)."""
    from tests.web_site import WebSite

    with WebSite() as site:
        yield site

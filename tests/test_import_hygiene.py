"""The headless layers never import Textual (ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize(
    "module",
    [
        "reader.languages",
        "reader.library",
        "reader.library.scan",
        "reader.library.markdown_page",
        "reader.userdata",
        "reader.sanitize",
        "reader.render",
        "reader.cli",
    ],
)
def test_headless_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "False"


def test_plain_commands_do_not_import_textual(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys, io, contextlib\n"
        "from reader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['list', '--json'])\n"
        "print('textual' in sys.modules)\n"
    )
    env = {"READER_CONFIG_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, check=True
    )
    assert result.stdout.strip() == "False"


def test_first_screen_of_the_interface_needs_no_scanner_model_or_catalog(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What the Library's first paint reads: the first page, straight from the file."""
    env = {
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "READER_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(
        [sys.executable, "-m", "reader", "index", "--quiet"], cwd=REPO, env=env, check=True
    )
    code = (
        "import sys\n"
        "from reader.cli import _library\n"
        "from reader.userdata.config import load_config\n"
        "from reader.userdata.paths import resolve_config_dir\n"
        "library = _library(None, load_config(resolve_config_dir()))\n"
        "count, articles = library.first_page()\n"
        "print(count, 'gpu-training-dilemma' in [a.key for a in articles])\n"
        "heavy = ('reader.library.catalog', 'reader.library.scan', 'reader.library.model')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, check=True
    )
    assert result.stdout.splitlines() == ["3 True", "[]"]

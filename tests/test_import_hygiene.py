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

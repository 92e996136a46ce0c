"""The headless layers never import Textual (ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

#: Packages only the interface may import, and those only fetching code may import.
INTERFACE_ONLY = ("textual",)
FETCHING_ONLY = ("httpx", "httpcore", "trafilatura", "lxml", "feedparser")


def _concrete_modules(*packages: str) -> list[str]:
    """Every module of these packages (and the packages), found on disk."""
    found: list[str] = []
    for package in packages:
        path = REPO / package.replace(".", "/")
        if path.is_dir():
            found += [
                ".".join(file.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
                for file in sorted(path.rglob("*.py"))
            ]
        elif path.with_suffix(".py").is_file():
            found.append(package)
    return found


def _imported_after(modules: list[str], watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(' '.join(w for w in {watched!r} if w in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    return result.stdout.split()


def _culprits(modules: list[str], watched: tuple[str, ...]) -> dict[str, list[str]]:
    return {name: loaded for name in modules if (loaded := _imported_after([name], watched))}


@pytest.mark.parametrize(
    ("packages", "watched"),
    [
        # Everything below the interface: neither Textual nor the web.
        (
            (
                "reader.library",
                "reader.userdata",
                "reader.text",
                "reader.languages",
                "reader.sanitize",
                "reader.paths",
                "reader.filters",
                "reader.patterns",
                "reader.cli.render",
                "reader.cli.render_parallel",
            ),
            INTERFACE_ONLY + FETCHING_ONLY,
        ),
        # Bringing articles in from the web: no Textual.
        (("reader.sources",), INTERFACE_ONLY),
        # The command line's modules load the interface and the web only when asked.
        (("reader.cli", "reader.__main__"), INTERFACE_ONLY + FETCHING_ONLY),
    ],
)
def test_headless_modules_do_not_import_the_interface(
    packages: tuple[str, ...], watched: tuple[str, ...]
) -> None:
    """Each concrete module, imported in a fresh interpreter, leaves these out."""
    modules = [name for name in _concrete_modules(*packages) if name != "reader.__main__"]
    if not modules:
        pytest.skip(f"{', '.join(packages)}: not there yet")
    loaded = _imported_after(modules, watched)
    assert not loaded, f"{loaded} imported by {_culprits(modules, watched)}"


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
        "from reader.cli.choices import open_library as _library\n"
        "from reader.userdata.config import load_config\n"
        "from reader.paths import resolve_config_dir\n"
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


def test_text_layer_imports_the_segmenter_only_when_splitting() -> None:
    """sentencex is loaded by the first split, never by importing the text layer."""
    code = (
        "import sys\n"
        "from reader.text.align import align_texts\n"
        "print('sentencex' in sys.modules)\n"
        "align_texts('One. Two.', 'Eins. Zwei.', 'en', 'de')\n"
        "print('sentencex' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    "argv",
    [["search", "GPU"], ["search", "GPU", "--json"], ["list", "--json"], ["--version"]],
)
def test_start_up_and_search_import_nothing_that_fetches(tmp_path, argv) -> None:  # type: ignore[no-untyped-def]
    """httpx, trafilatura and lxml are for `reader add` and its workers only (issue 10)."""
    code = (
        "import sys, io, contextlib\n"
        "from reader.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    main({argv!r})\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FETCHING_ONLY!r}"
        " or m.startswith('reader.sources')))\n"
    )
    env = {
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "READER_CACHE_DIR": str(tmp_path / "cache"),
        "READER_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_interface_module_imports_nothing_that_fetches() -> None:
    assert _imported_after(["reader.tui.app"], (*FETCHING_ONLY, "reader.sources")) == []


@pytest.mark.parametrize(
    "module",
    ["reader.sources.feeds", "reader.sources.feed_refresh", "reader.userdata.feed_state"],
)
def test_feed_modules_import_neither_textual_nor_feedparser(module: str) -> None:
    """Feed code is headless, and feedparser is loaded only when a document is parsed."""
    code = (
        f"import sys, {module}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('textual', 'feedparser', 'defusedxml', 'httpx')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["search", "GPU"], ["list", "--json"], ["feeds", "list"]])
def test_start_up_search_and_listing_feeds_parse_no_feed(tmp_path, argv) -> None:  # type: ignore[no-untyped-def]
    """`reader search` and `reader list` never load the feed code; `feeds list` reads
    feeds.toml without feedparser (only refresh and add parse feeds)."""
    code = (
        "import sys, io, contextlib\n"
        "from reader.cli import main\n"
        "quiet = io.StringIO()\n"
        "with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):\n"
        f"    main({argv!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('feedparser', 'defusedxml')"
        " or m.startswith(('reader.sources', 'reader.userdata.feed'))))\n"
    )
    env = {
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "READER_CACHE_DIR": str(tmp_path / "cache"),
        "READER_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, check=True
    )
    loaded = result.stdout.strip().splitlines()[-1]
    if argv[0] == "feeds":
        assert "feedparser" not in loaded and "defusedxml" not in loaded
        assert "reader.sources.feed_refresh" not in loaded
    else:
        assert loaded == "[]"


def test_script_libraries_load_only_for_the_text_that_needs_them() -> None:
    """ICU, python-bidi and arabic-reshaper load when CJK or right-to-left text is laid
    out, not with the interface (the start-up path) nor for Latin text."""
    code = (
        "import sys\n"
        "import reader.tui.app, reader.tui.screens.article_screen\n"
        "from reader.text.linebreak import line_offsets\n"
        "from reader.text.bidi import display\n"
        "line_offsets('Latin text only, wrapped at spaces. ' * 9, 30)\n"
        "heavy = ('icu4py', 'bidi', 'arabic_reshaper')\n"
        "print(*[name in sys.modules for name in heavy])\n"
        "line_offsets('中文的文本。' * 20, 30)\n"
        "display('سلام', True)\n"
        "print(*[name in sys.modules for name in heavy])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.split("\n")[:2] == ["False False False", "True True True"]

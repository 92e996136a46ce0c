"""Every config.toml setting of the README taking effect (the file read as the reader
reads it, the library built as the reader builds it), and the README's commands whose
plain output, or effect on disk, no other test shows."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from reader.library import bundled_library_path
from reader.tui.app import ReaderApp
from reader.tui.screens.article_screen import ArticleScreen
from reader.userdata import UserData
from reader.userdata.config import load_config
from tests.conftest import REPO
from tests.tui_helpers import screen_lines, settle, status_line, visible_lines, visible_text

GPU = "gpu-training-dilemma"


def configured_app(config_dir: Path, toml: str, *, open_key: str | None = None) -> ReaderApp:
    """The app as ``reader`` starts it: config.toml read from disk, the library built
    from it by the command line's own function."""
    from reader.cli.choices import open_library as _library

    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(toml, encoding="utf-8")
    config = load_config(config_dir)
    return ReaderApp(_library(None, config), UserData(config_dir), config=config, open_key=open_key)


def _library_toml(root: Path) -> str:
    return f"libraries = [{str(root)!r}]\n"


# -- config.toml --------------------------------------------------------------------------


async def test_libraries_relative_to_the_config_file(config_dir: Path) -> None:
    library = config_dir / "my-articles"
    library.mkdir(parents=True)
    (library / "mine.de.md").write_text("# Mein eigener Artikel\n\nText.\n", encoding="utf-8")
    app = configured_app(config_dir, 'libraries = ["my-articles"]\n')
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        rows = visible_text(pilot, "ArticleList")
        assert "Mein eigener Artikel" in rows
        assert "GPU" not in rows  # not the bundled library


async def test_languages_choose_the_titles_and_the_variant_opened(config_dir: Path) -> None:
    app = configured_app(config_dir, 'languages = ["fi", "de"]\n')
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        finnish = app.library.article(GPU).variants["fi"].title  # type: ignore[union-attr]
        assert finnish in visible_text(pilot, "ArticleList")
        app.open_article(GPU)
        await settle(pilot)
        assert "Suomi (fi)" in visible_text(pilot, "#article-header")


@pytest.mark.parametrize(("setting", "shown"), [("", "English (en)"), ("de", "Deutsch (de)")])
async def test_default_language_of_untagged_files(
    config_dir: Path, tmp_path: Path, setting: str, shown: str
) -> None:
    (tmp_path / "note.md").write_text("# Notiz\n\nEin Text ohne Sprache.\n", encoding="utf-8")
    toml = _library_toml(tmp_path) + (f'default_language = "{setting}"\n' if setting else "")
    app = configured_app(config_dir, toml, open_key="note")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert shown in visible_text(pilot, "#article-header")


async def test_theme_is_the_one_drawn_at_start(config_dir: Path) -> None:
    plain = configured_app(config_dir / "plain", "")
    async with plain.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        default_line = pilot.app.screen._compositor.render_strips()[3]
    app = configured_app(config_dir, 'theme = "nord"\n')
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        nord_line = pilot.app.screen._compositor.render_strips()[3]
        assert nord_line.text == default_line.text and nord_line != default_line  # colours


async def test_reading_width_is_the_widest_line_of_text(config_dir: Path) -> None:
    widths = {}
    for width in (50, 100):
        app = configured_app(config_dir / str(width), f"reading_width = {width}\n", open_key=GPU)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            lines = [line.strip(" ▊").rstrip() for line in visible_lines(pilot, "#body")]
            widths[width] = max(len(line) for line in lines)
    # The paragraph's margin mark and padding take 3 of the columns.
    assert 40 < widths[50] <= 50
    assert 85 < widths[100] <= 100


async def test_max_file_kib_cuts_a_larger_file_with_a_notice(
    config_dir: Path, tmp_path: Path
) -> None:
    paragraphs = "\n\n".join(f"Absatz {i} " + "Wort " * 40 for i in range(40))  # ~9 KiB
    (tmp_path / "big.de.md").write_text(f"# Groß\n\n{paragraphs}\n", encoding="utf-8")
    for limit, cut in ((2, True), (64, False)):
        toml = _library_toml(tmp_path) + f"max_file_kib = {limit}\n"
        app = configured_app(config_dir / str(limit), toml, open_key="big")
        async with app.run_test(size=(120, 32)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            total = int(status_line(pilot).split("/")[1].split()[0])
            shown = "\n".join(screen_lines(pilot))
            if cut:
                assert total < 40
                assert "⚠" in shown and "KiB" in shown
            else:
                assert total == 40 and "⚠" not in shown


async def test_a_key_remapped_by_binding_id(config_dir: Path) -> None:
    """The README's form: ``"article.bookmark" = "m"`` under ``[keys]``."""
    app = configured_app(config_dir, '[keys]\n"article.bookmark" = "m"\n', open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert " m Bookmark " in screen_lines(pilot)[-1]
        await pilot.press("J", "m")
        await settle(pilot)
        assert "★ bookmarked" in status_line(pilot)
        await pilot.press("b")  # no longer the bookmark key
        await settle(pilot)
        assert "★ bookmarked" in status_line(pilot)
    assert [b.paragraph for b in UserData(config_dir).bookmarks.all()] == [1]


# -- commands ---------------------------------------------------------------------------


def _reader(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        READER_CONFIG_DIR=str(tmp_path / "config"),
        READER_CACHE_DIR=str(tmp_path / "cache"),
        LANG="C.UTF-8",
    )
    return environment


def test_plain_bookmarks_and_notes_listings(env: dict[str, str], tmp_path: Path) -> None:
    assert _reader(env, "bookmarks", "add", GPU, "--lang", "ru", "--paragraph", "3").returncode == 0
    assert _reader(env, "notes", "add", GPU, "Zahlen prüfen", "--lang", "de").returncode == 0
    bookmarks = _reader(env, "bookmarks")
    assert bookmarks.returncode == 0 and bookmarks.stderr == ""
    title = "Дилемма"
    [line] = bookmarks.stdout.splitlines()
    key, language, paragraph, shown_title = line.split("\t")
    assert (key, language, paragraph) == (GPU, "ru", "¶3") and title in shown_title
    notes = _reader(env, "notes")
    assert notes.returncode == 0
    [line] = notes.stdout.splitlines()
    assert line.split("\t")[0] == GPU and line.split("\t")[1] == "de"
    assert line.endswith("Zahlen prüfen")


def test_bookmarks_remove_one_paragraph_or_all(env: dict[str, str], tmp_path: Path) -> None:
    for paragraph in ("1", "3", "5"):
        added = _reader(env, "bookmarks", "add", GPU, "--lang", "de", "--paragraph", paragraph)
        assert added.returncode == 0, added.stderr
    removed = _reader(env, "bookmarks", "remove", GPU, "--paragraph", "3")
    assert removed.returncode == 0, removed.stderr
    saved = tomllib.loads((tmp_path / "config" / "bookmarks.toml").read_text(encoding="utf-8"))
    assert [b["paragraph"] for b in saved["bookmark"]] == [0, 4]  # stored from 0
    again = _reader(env, "bookmarks", "remove", GPU, "--paragraph", "3")
    assert again.returncode != 0 and len(again.stderr.splitlines()) == 1
    assert _reader(env, "bookmarks", "remove", GPU).returncode == 0
    assert _reader(env, "bookmarks").stdout == ""


def _run_in_a_terminal(env: dict[str, str], *args: str) -> str:
    """Run ``reader ARGS`` with its output on a pseudo-terminal; everything it wrote."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color", "COLUMNS": "100"},
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_index_draws_a_progress_bar_in_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    for index in range(300):
        (library / f"p{index:03}.de.md").write_text(f"# T {index}\n\nText.\n", encoding="utf-8")
    drawn = _run_in_a_terminal(env, "index", str(library))
    assert "Indexing" in drawn and "300/300" in drawn and "━" in drawn
    assert "300 articles" in drawn
    quiet = _run_in_a_terminal(env, "index", str(library), "--quiet")
    assert "Indexing" not in quiet and "300 articles" in quiet
    piped = _reader(env, "index", str(library))
    assert piped.returncode == 0 and "Indexing" not in piped.stderr + piped.stdout


@pytest.mark.slow
def test_the_wheel_ships_the_bundled_library(tmp_path: Path) -> None:
    """``pip install .`` installs what ``reader`` opens by default: the bundled library."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {p.name for p in bundled_library_path().iterdir()}
    shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith("reader/_bundled/library/")}
    assert bundled and shipped == bundled
    assert "reader/tui/app.tcss" in names
    assert "reader/tui/screens/article_screen.tcss" in names


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_open_starts_on_the_article_in_a_real_terminal(env: dict[str, str], tmp_path: Path) -> None:
    from tests.tmux_driver import Tmux

    terminal = {**env, "TERM": "xterm-256color"}
    with Tmux(tmp_path, width=120, height=40, env=terminal) as tmux:
        tmux.start([sys.executable, "-m", "reader", "--open", GPU, "--lang", "el"], cwd=REPO)
        screen = tmux.wait_for("¶ 1/6", "Ελληνικά (el)")
        assert "Library" not in screen.splitlines()[0]
        tmux.send_keys("Escape")  # back: the Library is under it
        tmux.wait_for("q Quit", gone=["¶ 1/6"])
        tmux.send_keys("q")
        assert tmux.wait_for_exit() == 0

"""Slips found by reading the code (issue 11, item 5): each test failed before its fix."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reader.library import bundled_library_path
from reader.tui.article_variants import READ_NOW_BYTES
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.userdata.state import ReadingState
from tests.tmux_driver import TMUX, Tmux
from tests.tui_helpers import make_app, record_notices, screen_text, settle

REPO = Path(__file__).resolve().parent.parent

GPU_DE_START = "Mit der fortschreitenden globalen Wirtschaftsintegration"


@pytest.mark.parametrize("key", ["right_square_bracket", "left_square_bracket", "l", "p"])
async def test_a_key_on_an_article_a_rescan_removed_goes_back_with_a_notice(
    config_dir: Path, bundled_library: Path, key: str
) -> None:
    app = make_app(bundled_library, config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(120, 32)) as pilot:
        notices = record_notices(app)
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        for page in bundled_library.glob("gpu-training-dilemma.*"):
            page.unlink()
        app.rescan()
        await settle(pilot)
        # What was read stays readable until the reader asks for more of the article.
        assert isinstance(app.screen, ArticleScreen)
        assert GPU_DE_START in screen_text(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert (
            notices.count("This article is no longer in the library (gpu-training-dilemma).") == 1
        ), notices
        assert "GPU-Trainingsdilemma" not in screen_text(pilot)
        assert "Jen-Hsun Huang, Zuckerberg" in screen_text(pilot)


async def test_a_page_over_64_kib_says_once_that_a_language_is_missing(
    config_dir: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    paragraph = "Ein Absatz, der lang genug ist, um die Seite groß zu machen. " * 20
    text = "Eine große Seite\n\n" + "\n\n".join([paragraph] * 80)
    (library / "big.de.txt").write_text(text, encoding="utf-8")
    assert (library / "big.de.txt").stat().st_size > READ_NOW_BYTES  # read in a worker
    app = make_app(library, config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        notices = record_notices(app)
        await settle(pilot)
        app.open_article("big", "ko")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.language == "de"
        assert "Eine große Seite" in screen_text(pilot)
        assert notices.count("No ko variant; showing another language.") == 1, notices


async def test_the_app_gives_back_the_interpreters_switch_interval(
    config_dir: Path, bundled_library: Path
) -> None:
    outside = sys.getswitchinterval()
    sys.setswitchinterval(0.004)  # what the process had before the app ran
    try:
        app = make_app(bundled_library, config_dir)
        async with app.run_test(size=(120, 32)) as pilot:
            await settle(pilot)
            assert sys.getswitchinterval() < 0.004  # short while the app runs
            await pilot.press("q")
        assert sys.getswitchinterval() == 0.004
    finally:
        sys.setswitchinterval(outside)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_open_with_an_explicit_lang_wins_over_the_remembered_language(tmp_path: Path) -> None:
    """`reader --open KEY --lang en` in a real terminal, where state.toml remembers
    German at ¶ 3: English it is, at ¶ 3."""
    config = tmp_path / "config"
    config.mkdir()
    ReadingState(config / "state.toml").set_position("gpu-training-dilemma", "de", 2)
    env = dict(os.environ)
    env.update(
        READER_CONFIG_DIR=str(config),
        READER_CACHE_DIR=str(tmp_path / "cache"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    command = [sys.executable, "-m", "reader", "--library", str(bundled_library_path())]
    with Tmux(tmp_path, width=120, height=40, env=env) as tmux:
        tmux.start([*command, "--open", "gpu-training-dilemma", "--lang", "en"], cwd=REPO)
        screen = tmux.wait_for("The GPU Training Dilemma", "¶ 3/6")
        assert "GPU-Trainingsdilemma" not in screen
        tmux.send_keys("q")
        tmux.wait_for("q Quit")
        tmux.send_keys("q")
        assert tmux.wait_for_exit() == 0
    assert ReadingState(config / "state.toml").position("gpu-training-dilemma") == ("en", 2)


async def test_side_by_side_of_a_variant_a_rescan_removed_shows_another_with_a_notice(
    config_dir: Path, bundled_library: Path
) -> None:
    app = make_app(bundled_library, config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(140, 32)) as pilot:
        notices = record_notices(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.language == "de"
        (bundled_library / "gpu-training-dilemma.de.txt").unlink()
        app.rescan()
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is screen
        assert screen.parallel and screen.language != "de" and screen.right_language != "de"
        assert any(n.startswith("The Deutsch variant is no longer in the library") for n in notices)
        assert GPU_DE_START not in screen_text(pilot)

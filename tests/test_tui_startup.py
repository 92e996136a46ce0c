"""Start-up on a catalog: what shows before the library is loaded, and the key bar."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from reader.library import Library, bundled_library_path
from reader.library.catalog import Catalog
from reader.tui.app import ReaderApp
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.help_screen import HelpScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.tui.widgets.key_bar import KeyBar
from reader.userdata import UserData
from tests.tui_helpers import screen_text, settle, wait_for

GPU_DE_START = "Mit der fortschreitenden globalen Wirtschaftsintegration"


class HeldLibrary(Library):
    """A library whose catalog load waits until the test lets it go on."""

    def __init__(self, roots: list[Path], catalog: Catalog) -> None:
        super().__init__(roots, name="held library", catalog=catalog)
        self.release = threading.Event()

    def load_cached(self, checkpoint: Callable[[], None] | None = None) -> bool:
        assert self.release.wait(10), "the test never released the load"
        return super().load_cached(checkpoint)


def _indexed_catalog(tmp_path: Path) -> tuple[list[Path], Path]:
    roots = [bundled_library_path()]
    path = tmp_path / "catalog.sqlite"
    Library(roots, catalog=Catalog(path)).refresh()
    return roots, path


async def test_open_shows_the_article_before_the_library_is_loaded(
    config_dir: Path, tmp_path: Path
) -> None:
    roots, path = _indexed_catalog(tmp_path)
    library = HeldLibrary(roots, Catalog(path))
    app = ReaderApp(
        library, UserData(config_dir), languages=("de",), open_key="gpu-training-dilemma"
    )
    async with app.run_test(size=(120, 32)) as pilot:
        assert await wait_for(
            pilot,
            lambda: isinstance(app.screen, ArticleScreen) and app.screen.document is not None,
        )
        assert not library.scanned  # the full load has not even started
        assert isinstance(app.screen, ArticleScreen)
        assert GPU_DE_START in screen_text(pilot)
        library.release.set()
        await settle(pilot)
        assert library.scanned
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.sub_title == "held library · 3 articles"


async def test_enter_on_the_first_page_opens_while_the_library_loads(
    config_dir: Path, tmp_path: Path
) -> None:
    roots, path = _indexed_catalog(tmp_path)
    library = HeldLibrary(roots, Catalog(path))
    app = ReaderApp(library, UserData(config_dir), languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        # The first page, from the catalog, while the full load is held.
        assert await wait_for(pilot, lambda: "GPU-Trainingsdilemma" in screen_text(pilot))
        assert "loading the rest of the list" in screen_text(pilot)
        await pilot.press("down", "enter")
        assert await wait_for(
            pilot,
            lambda: isinstance(app.screen, ArticleScreen) and app.screen.document is not None,
        )
        assert not library.scanned
        assert GPU_DE_START in screen_text(pilot)
        library.release.set()
        await settle(pilot)


def _bar_text(app: ReaderApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return "".join(bar.render_line(0).text)


async def test_key_bar_shows_the_screens_keys_and_a_click_presses_one(config_dir: Path) -> None:
    library = Library([bundled_library_path()], name="test library")
    app = ReaderApp(library, UserData(config_dir), languages=("de",))
    async with app.run_test(size=(140, 32)) as pilot:
        await settle(pilot)
        text = _bar_text(app)
        for entry in ("⏎ Open", "/ Filter", "q Quit", "? Help", "s Search", "^p Palette"):
            assert entry in text
        help_x = text.index("? Help") + 1
        await pilot.click(KeyBar, offset=(help_x, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        text = _bar_text(app)
        assert "b Bookmark" in text and "p Side by side" in text
        assert "q Quit" not in text

"""The search screen: any script, language filter, highlighted snippets, opening a hit."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from reader.library import Library, bundled_library_path
from reader.library.catalog import Catalog
from reader.tui.app import ReaderApp
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.search_screen import SearchScreen
from reader.userdata import UserData
from tests.tui_helpers import (
    first_visible_after_wait,
    screen_text,
    settle,
    status_line,
    variant_paragraphs,
)


def _app(config_dir: Path, cache: Path) -> ReaderApp:
    roots = [bundled_library_path()]
    library = Library(roots, name="bundled library", catalog=Catalog.for_roots(roots, cache))
    return ReaderApp(library, UserData(config_dir), languages=("de",))


async def _search(pilot, text: str) -> SearchScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await pilot.press(*text)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def test_search_in_greek_opens_the_greek_variant_at_the_paragraph(
    config_dir: Path, tmp_path: Path
) -> None:
    app = _app(config_dir, tmp_path / "cache")
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await _search(pilot, "αβεβαιοτητα")  # without the tonos: αβεβαιότητα
        assert screen.hits
        hit = screen.hits[0]
        assert (hit.key, hit.language) == ("gpu-training-dilemma", "el")
        prompt = str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Ελληνικά (el) · ¶ 2" in prompt
        assert "αβεβαιότητα" in prompt
        assert "1 result" in screen_text(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        article = app.screen
        assert isinstance(article, ArticleScreen)
        assert article.language == "el"
        greek = variant_paragraphs(app, hit.key, "el")
        assert await first_visible_after_wait(pilot, greek, hit.paragraph) == hit.paragraph
        assert status_line(pilot).startswith(f"¶ {hit.paragraph + 1}/6")


async def test_search_with_language_filter_and_chinese_substring(
    config_dir: Path, tmp_path: Path
) -> None:
    app = _app(config_dir, tmp_path / "cache")
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await _search(pilot, "开源 lang:zh")
        assert screen.hits
        assert {hit.language for hit in screen.hits} == {"zh"}
        assert all(
            hit.snippet[start:end] == "开源" for hit in screen.hits for start, end in hit.highlights
        )


async def test_no_match_says_so(config_dir: Path, tmp_path: Path) -> None:
    app = _app(config_dir, tmp_path / "cache")
    async with app.run_test(size=(120, 32)) as pilot:
        await _search(pilot, "qqxyzzy")
        assert "No match in any language." in screen_text(pilot)

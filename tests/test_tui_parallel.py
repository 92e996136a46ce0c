"""Side-by-side reading, find in article, and notes shown in every language."""

from __future__ import annotations

from pathlib import Path

from textual.containers import Horizontal

from reader.library import bundled_library_path
from reader.tui.screens.article_screen import ArticleScreen
from tests.tui_helpers import (
    first_visible_after_wait,
    make_app,
    screen_text,
    settle,
    status_line,
    variant_paragraphs,
)


async def _open_parallel(pilot, width: int) -> ArticleScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def test_side_by_side_at_140_columns_aligns_rows(config_dir: Path) -> None:
    app = make_app(
        bundled_library_path(), config_dir, languages=("de", "el"), open_key="gpu-training-dilemma"
    )
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_parallel(pilot, 140)
        assert (screen.language, screen.right_language) == ("de", "el")
        rows = screen.query(".pair").nodes
        assert len(rows) == 6
        for index, row in enumerate(rows):
            assert isinstance(row, Horizontal)
            left, right = row.children
            # Paragraph i beside paragraph i, on the same screen row, in one scroll.
            assert left.region.y == right.region.y
            assert left.region.x < right.region.x
            assert (left.index, right.index) == (index, index)  # type: ignore[attr-defined]
        text = screen_text(pilot)
        assert "Deutsch (de) ⇄ Ελληνικά (el)" in text
        await pilot.press("J", "J")
        await settle(pilot)
        german = variant_paragraphs(app, "gpu-training-dilemma", "de")
        greek = variant_paragraphs(app, "gpu-training-dilemma", "el")
        assert await first_visible_after_wait(pilot, german, 2) == 2
        assert await first_visible_after_wait(pilot, greek, 2) == 2
        await pilot.press("p")
        await settle(pilot)
        assert not screen.parallel
        assert await first_visible_after_wait(pilot, german, 2) == 2
        assert await first_visible_after_wait(pilot, greek, None) is None
        assert status_line(pilot).startswith("¶ 3/6")
        assert not screen.query(".pair")


async def test_side_by_side_interleaves_at_90_columns(config_dir: Path) -> None:
    app = make_app(
        bundled_library_path(), config_dir, languages=("de",), open_key="gpu-training-dilemma"
    )
    async with app.run_test(size=(90, 40)) as pilot:
        screen = await _open_parallel(pilot, 90)
        assert screen.right_language == "en"
        assert not screen.query(".pair")
        blocks = [w for w in screen.query_one("#body").children if w.has_class("block")]
        assert [w.has_class("right") for w in blocks[:4]] == [False, True, False, True]
        assert [w.index for w in blocks[:4]] == [0, 0, 1, 1]  # type: ignore[attr-defined]
        assert blocks[0].region.y < blocks[1].region.y


async def test_right_side_switches_with_braces(config_dir: Path) -> None:
    app = make_app(
        bundled_library_path(), config_dir, languages=("de",), open_key="gpu-training-dilemma"
    )
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_parallel(pilot, 140)
        first = screen.right_language
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert screen.right_language not in (first, "de")
        assert screen.language == "de"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.language not in ("de", screen.right_language)


async def test_note_on_paragraph_three_in_german_shows_beside_greek(config_dir: Path) -> None:
    app = make_app(
        bundled_library_path(), config_dir, languages=("de",), open_key="gpu-training-dilemma"
    )
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J", "a", *"Vergleiche Absatz drei", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.switch_language("el")
        await settle(pilot)
        body = list(screen.query_one("#body").children)
        third = body.index(screen.query("Paragraph").nodes[2])
        assert "Vergleiche Absatz drei" in str(body[third + 1].render())
        await pilot.press("p")
        await settle(pilot)
        rows = screen.query(".pair").nodes
        body = list(screen.query_one("#body").children)
        assert "Vergleiche Absatz drei" in str(body[body.index(rows[2]) + 1].render())


async def test_find_in_article_counts_and_moves(config_dir: Path) -> None:
    app = make_app(
        bundled_library_path(), config_dir, languages=("de",), open_key="gpu-training-dilemma"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zusammenarbeit")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        total = len(screen.find.matches)
        assert total >= 3
        assert f"1/{total}" in screen_text(pilot)
        await pilot.press("enter")  # next match, focus back to the text
        await pilot.press("n")
        await settle(pilot)
        assert f"3/{total}" in screen_text(pilot)
        await pilot.press("N")
        assert f"2/{total}" in screen_text(pilot)
        paragraph = screen.query("Paragraph").nodes[screen.find.matches[1][0]]
        spans = [s for s in paragraph.render().spans if "reverse" in str(s.style)]  # type: ignore[attr-defined]
        assert spans
        await pilot.press("escape")
        assert "find" not in screen_text(pilot).split("¶")[-1]
        assert not screen.find.matches
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ArticleScreen)

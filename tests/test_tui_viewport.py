"""Where the reader lands, as seen on screen: the first paragraph in the article's viewport
after a language switch, the side-by-side view, opening a bookmark, a note or a search
hit, in the expected language, with a status line that agrees.

These read the rendered screen (``tests/tui_helpers.visible_*``), not the screen's
``current_paragraph``: that is set before any scrolling happens, so a lost scroll would
go unnoticed by it.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from reader.library import Library, bundled_library_path
from reader.library.catalog import Catalog
from reader.tui.app import ReaderApp
from reader.tui.screens.article_screen import ArticleScreen
from reader.userdata import UserData
from tests.tui_helpers import (
    first_visible_after_wait,
    make_app,
    settle,
    status_line,
    variant_paragraphs,
    visible_lines,
    wait_for,
    wheel,
)

GPU = "gpu-training-dilemma"


async def test_next_and_previous_language_show_the_same_paragraph(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        de = variant_paragraphs(app, GPU, "de")
        pt = variant_paragraphs(app, GPU, "pt")
        assert await first_visible_after_wait(pilot, de, 0) == 0
        await pilot.press("J", "J", "J")
        await settle(pilot)
        assert await first_visible_after_wait(pilot, de, 3) == 3
        assert status_line(pilot).startswith("¶ 4/6")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert await first_visible_after_wait(pilot, pt, 3) == 3
        assert await first_visible_after_wait(pilot, de, None) is None  # no German left on screen
        assert status_line(pilot).startswith("¶ 4/6")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert await first_visible_after_wait(pilot, de, 3) == 3
        assert status_line(pilot).startswith("¶ 4/6")


async def test_german_to_chinese_lands_on_the_paragraph(config_dir: Path) -> None:
    """CJK text wraps without spaces and takes two cells a character: the helper still
    finds the paragraph, and the switch still lands on it."""
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J", "J", "J")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.switch_language("zh")
        await settle(pilot)
        zh = variant_paragraphs(app, GPU, "zh")
        assert await first_visible_after_wait(pilot, zh, 4) == 4
        assert status_line(pilot).startswith("¶ 5/6")


async def test_the_language_picker_lands_on_the_paragraph(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J")
        await pilot.press("l")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, label in enumerate(labels) if "(el)" in label)
        await pilot.press("enter")
        await settle(pilot)
        el = variant_paragraphs(app, GPU, "el")
        assert await first_visible_after_wait(pilot, el, 2) == 2
        assert status_line(pilot).startswith("¶ 3/6")


async def test_side_by_side_shows_both_languages_at_the_paragraph(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J", "J")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.right_language is not None
        left = variant_paragraphs(app, GPU, "de")
        right = variant_paragraphs(app, GPU, screen.right_language)
        assert await first_visible_after_wait(pilot, left, 3) == 3
        assert await first_visible_after_wait(pilot, right, 3) == 3
        assert status_line(pilot).startswith("¶ 4/6")
        assert f"side by side: de | {screen.right_language}" in status_line(pilot)
        await pilot.press("p")  # back to one column, still at the paragraph
        await settle(pilot)
        assert await first_visible_after_wait(pilot, left, 3) == 3
        assert await first_visible_after_wait(pilot, right, None) is None


async def test_a_bookmark_opens_at_its_paragraph_in_its_language(config_dir: Path) -> None:
    UserData(config_dir).bookmarks.add(GPU, "ru", 4, "Дилемма")
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        ru = variant_paragraphs(app, GPU, "ru")
        assert await first_visible_after_wait(pilot, ru, 4) == 4
        assert status_line(pilot).startswith("¶ 5/6")
        assert "★ bookmarked" in status_line(pilot)


async def test_a_note_opens_at_its_paragraph(config_dir: Path) -> None:
    UserData(config_dir).notes.add(GPU, "fr", "Important", paragraph=2, quote="De plus")
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        fr = variant_paragraphs(app, GPU, "fr")
        assert await first_visible_after_wait(pilot, fr, 2) == 2
        assert status_line(pilot).startswith("¶ 3/6")
        assert "✎ 1 note" in status_line(pilot)


async def test_a_search_hit_opens_at_its_paragraph(config_dir: Path, tmp_path: Path) -> None:
    roots = [bundled_library_path()]
    library = Library(roots, name="bundled", catalog=Catalog.for_roots(roots, tmp_path / "c"))
    app = ReaderApp(library, UserData(config_dir), languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"Llama")
        await settle(pilot)
        hits = app.screen.hits  # type: ignore[attr-defined]
        assert hits and hits[0].language == "de" and hits[0].paragraph > 0
        hit = hits[0]
        await pilot.press("enter", "enter")
        await settle(pilot)
        paragraphs = variant_paragraphs(app, hit.key, hit.language)
        assert await first_visible_after_wait(pilot, paragraphs, hit.paragraph) == hit.paragraph
        assert status_line(pilot).startswith(f"¶ {hit.paragraph + 1}/")


def _numbered(count: int, word: str) -> str:
    """A titled page of ``count`` long paragraphs, each naming its number."""
    return f"{word}s\n\n" + "\n\n".join(
        f"{word} {index} " + " ".join(f"{word}{index}x{n}" for n in range(60))
        for index in range(count)
    )


async def test_a_switch_to_a_variant_with_fewer_paragraphs_maps_the_position(
    tmp_path: Path, config_dir: Path
) -> None:
    """Ten German paragraphs, an English translation that made each two one: German ¶ 7
    (index 6) is in English index 3 (the paragraph alignment), and back in German 6.
    (English words as long as the German ones: the alignment goes by length.)"""
    (tmp_path / "page.de.txt").write_text(_numbered(10, "Absatz"), encoding="utf-8")
    merged = _numbered(10, "Clause").split("\n\n")
    english = [merged[0]] + [f"{a} {b}" for a, b in zip(merged[1::2], merged[2::2], strict=True)]
    (tmp_path / "page.en.txt").write_text("\n\n".join(english), encoding="utf-8")
    app = make_app(tmp_path, config_dir, open_key="page")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"JJJJJJ")
        await settle(pilot)
        de = variant_paragraphs(app, "page", "de")
        en = variant_paragraphs(app, "page", "en")
        assert len(en) == 5
        assert await first_visible_after_wait(pilot, de, 6) == 6
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.switch_language("en")
        await settle(pilot)
        assert await first_visible_after_wait(pilot, en, 3) == 3
        assert status_line(pilot).startswith("¶ 4/5")
        screen.switch_language("de")
        await settle(pilot)
        assert await first_visible_after_wait(pilot, de, 6) == 6
        assert status_line(pilot).startswith("¶ 7/10")


async def test_library_rows_on_screen_follow_the_cursor(tmp_path: Path, config_dir: Path) -> None:
    """The list's visible rows (not its model): G shows the last titles, g the first."""
    from tests.tui_helpers import visible_text

    for index in range(60):
        (tmp_path / f"a{index:02}.md").write_text(f"# Title {index:02}\n", encoding="utf-8")
    app = make_app(tmp_path, config_dir)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        rows = visible_text(pilot, "ArticleList")
        assert "Title 00" in rows and "Title 59" not in rows
        await pilot.press("G")
        await settle(pilot)
        rows = visible_text(pilot, "ArticleList")
        assert "Title 59" in rows and "Title 00" not in rows
        await pilot.press("g")
        await settle(pilot)
        rows = visible_text(pilot, "ArticleList")
        assert "Title 00" in rows and "Title 59" not in rows


async def test_the_mouse_wheel_scrolls_the_article_and_the_status_follows(
    config_dir: Path,
) -> None:
    """The wheel scrolls the body; the status line names the paragraph now at the top,
    also after ``J`` went to a paragraph (which holds it at the top until the reader
    scrolls), and that paragraph is where the article opens next time."""
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        de = variant_paragraphs(app, GPU, "de")
        assert await first_visible_after_wait(pilot, de, 0) == 0
        assert status_line(pilot).startswith("¶ 1/6 · 0%")
        await wheel(pilot, "#body", 8)
        await settle(pilot)
        assert await first_visible_after_wait(pilot, de, 1) == 1
        assert status_line(pilot).startswith("¶ 2/6")
        await pilot.press("J")
        await settle(pilot)
        assert await first_visible_after_wait(pilot, de, 2) == 2
        assert status_line(pilot).startswith("¶ 3/6")
        await wheel(pilot, "#body", -2)
        await settle(pilot)
        assert await first_visible_after_wait(pilot, de, 1) == 1
        assert status_line(pilot).startswith("¶ 2/6")
        await pilot.press("q")
        await settle(pilot)
    assert UserData(config_dir).state.position(GPU) == ("de", 1)


async def test_the_mouse_wheel_scrolls_the_library_and_a_click_opens_the_row_shown(
    tmp_path: Path, config_dir: Path
) -> None:
    """The wheel moves the list's rows on screen; a double click then opens the article
    on the row clicked, not the one that was there before the wheel."""
    for index in range(60):
        (tmp_path / f"a{index:02}.md").write_text(f"# Title {index:02}\n", encoding="utf-8")
    app = make_app(tmp_path, config_dir)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)

        def rows() -> list[str]:
            return [line.split()[1] for line in visible_lines(pilot, "ArticleList") if line.strip()]

        assert rows()[:3] == ["00", "01", "02"]
        await wheel(pilot, "ArticleList", 3)
        assert await wait_for(pilot, lambda: rows()[0] != "00")
        await wheel(pilot, "ArticleList", -3)
        assert await wait_for(pilot, lambda: rows()[0] == "00")
        await wheel(pilot, "ArticleList", 3)
        assert await wait_for(pilot, lambda: rows()[0] != "00")
        shown = rows()
        first = int(shown[0])
        assert shown == [f"{index:02}" for index in range(first, first + len(shown))]
        await pilot.double_click("ArticleList", offset=(5, 2))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.key == f"a{shown[2]}"

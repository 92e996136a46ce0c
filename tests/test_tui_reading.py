"""Pilot tests of the reading loop: what the user sees and what is kept on disk."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from reader.library import bundled_library_path
from reader.tui.modals.language_picker import LanguagePicker
from reader.tui.modals.note_editor import NoteEditor
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.bookmarks_screen import BookmarksScreen
from reader.tui.screens.help_screen import HelpScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.tui.screens.notes_screen import NotesScreen
from reader.tui.widgets.article_list import ArticleList
from tests.tui_helpers import (
    first_visible_after_wait,
    make_app,
    screen_text,
    settle,
    status_line,
    variant_paragraphs,
    wait_for,
)

GPU_DE = "GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung"


async def test_library_lists_titles_in_the_preferred_language(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        text = screen_text(pilot)
        assert GPU_DE in text
        assert "Jen-Hsun Huang, Zuckerberg" in text
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.sub_title == "test library · 3 articles"


async def test_filter_then_enter_opens_the_match_in_german(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"GPU-Training")
        assert app.screen.query_one(ArticleList).row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        text = screen_text(pilot)
        assert GPU_DE in text
        assert "Mit der fortschreitenden globalen Wirtschaftsintegration" in text
        assert "¶ 1/6" in text


async def test_filter_matches_titles_in_any_language(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"扎克伯格")  # Zuckerberg, in the Chinese title
        article_list = app.screen.query_one(ArticleList)
        assert article_list.row_count == 1
        assert article_list.highlighted is not None
        assert article_list.highlighted.key == "huang-zuckerberg-open-source"
        await pilot.press("escape")
        assert article_list.row_count == 3


@pytest.mark.parametrize("how", ["tab", "click"])
async def test_the_filter_is_reached_by_tab_and_by_a_click(config_dir: Path, how: str) -> None:
    """Before its first use the filter is a placeholder line; tab and a click reach it
    as they reach an input, and typing filters at once."""
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert "/ filter by title in any language" in screen_text(pilot)
        if how == "tab":
            await pilot.press("shift+tab")
        else:
            await pilot.click("#filter-hint")
        await settle(pilot)
        await pilot.press(*"扎克伯格")
        article_list = app.screen.query_one(ArticleList)
        assert article_list.row_count == 1
        assert "1 match" in screen_text(pilot)
        await pilot.press("escape")
        assert article_list.row_count == 3


async def test_the_list_takes_a_new_theme_and_shows_when_it_has_lost_the_focus(
    config_dir: Path,
) -> None:
    """The list's line styles are worked out once per change of styles: a theme
    change and the focus leaving the list both show on its lines."""
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)

        def cursor_line() -> tuple[str, list[object]]:
            strip = article_list.render_line(0)
            return strip.text, [segment.style for segment in strip]

        focused = cursor_line()
        await pilot.press("slash")  # the filter takes the focus
        await settle(pilot)
        blurred = cursor_line()
        assert blurred[0] == focused[0] and blurred[1] != focused[1]
        await pilot.press("escape")
        await settle(pilot)
        assert cursor_line() == focused
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await settle(pilot)
        themed = cursor_line()
        assert themed[0] == focused[0] and themed[1] != focused[1]


async def test_a_page_that_grew_after_the_scan_opens_with_its_new_text(
    config_dir: Path, bundled_library: Path
) -> None:
    app = make_app(bundled_library, config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        page = bundled_library / "gpu-training-dilemma.de.txt"
        grown = "Ein neuer letzter Absatz. " * 3000  # ~78 KB: read in a worker now
        page.write_text(page.read_text(encoding="utf-8") + "\n\n" + grown, encoding="utf-8")
        app.open_article("gpu-training-dilemma")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert "Mit der fortschreitenden globalen Wirtschaftsintegration" in screen_text(pilot)
        assert "¶ 1/7" in screen_text(pilot)


async def test_language_picker_shows_endonyms_and_switches(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LanguagePicker)
        from textual.widgets import OptionList

        options = picker.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Ελληνικά (el)" in label and "✓ 6 ¶" in label for label in labels)
        assert any("संस्कृतम् (sa)" in label for label in labels)
        options.highlighted = next(i for i, label in enumerate(labels) if "(el)" in label)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.language == "el"
        assert "Ελληνικά (el)" in screen_text(pilot)


async def test_bookmark_and_note_are_kept_and_listed(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("J", "b")
        await settle(pilot)
        assert "★ bookmarked" in screen_text(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Zahlen prüfen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert "✎ Zahlen prüfen" in screen_text(pilot)
    bookmarks = tomllib.loads((config_dir / "bookmarks.toml").read_text(encoding="utf-8"))
    notes = tomllib.loads((config_dir / "notes.toml").read_text(encoding="utf-8"))
    assert bookmarks["bookmark"][0]["key"] == "gpu-training-dilemma"
    assert bookmarks["bookmark"][0]["paragraph"] == 1
    assert notes["note"][0]["text"] == "Zahlen prüfen"
    assert notes["note"][0]["quote"].startswith("Das Streben nach technologischen")


async def test_note_follows_the_paragraph_into_another_language(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J", "a", *"Absatz drei", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.switch_language("el")
        await settle(pilot)
        assert screen.language == "el"
        paragraphs = screen.query("Paragraph").nodes
        body = list(screen.query_one("#body").children)
        third = body.index(paragraphs[2])
        assert "Absatz drei" in str(body[third + 1].render())


async def test_escape_in_the_note_editor_asks_before_throwing_text_away(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"draft", "escape")
        await settle(pilot)
        assert "Throw away this note?" in screen_text(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
    assert not (config_dir / "notes.toml").exists()


async def test_bookmarks_screen_opens_at_the_paragraph_and_language(config_dir: Path) -> None:
    from reader.userdata import UserData

    UserData(config_dir).bookmarks.add("gpu-training-dilemma", "ru", 4, "Дилемма")
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        prompt = str(app.screen.query_one("OptionList").get_option_at_index(0).prompt)
        assert "Дилемма" in prompt and "Русский (ru) · ¶ 5" in prompt
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.language == "ru"
        russian = variant_paragraphs(app, "gpu-training-dilemma", "ru")
        assert await first_visible_after_wait(pilot, russian, 4) == 4
        assert status_line(pilot).startswith("¶ 5/6")


async def test_notes_screen_shows_quote_and_opens_article(config_dir: Path) -> None:
    from reader.userdata import UserData

    UserData(config_dir).notes.add(
        "gpu-training-dilemma", "de", "Wichtig", paragraph=2, quote="Darüber hinaus"
    )
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        from textual.widgets import OptionList

        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Wichtig" in prompt and "“Darüber hinaus”" in prompt and "¶ 3" in prompt
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        german = variant_paragraphs(app, "gpu-training-dilemma", "de")
        assert await first_visible_after_wait(pilot, german, 2) == 2
        assert status_line(pilot).startswith("¶ 3/6")


async def test_position_and_language_are_remembered_across_runs(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key="gpu-training-dilemma")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J", "right_square_bracket")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    again = make_app(bundled_library_path(), config_dir, open_key="gpu-training-dilemma")
    async with again.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.language == "pt"
        portuguese = variant_paragraphs(again, "gpu-training-dilemma", "pt")
        assert await first_visible_after_wait(pilot, portuguese, 2) == 2
        assert status_line(pilot).startswith("¶ 3/6")


async def test_help_lists_keys_and_files(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(pilot)
        assert "language picker" in text and "bookmarks.toml" in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_theme_choice_is_remembered(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    again = make_app(bundled_library_path(), config_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
    assert 'theme = "nord"' in (config_dir / "state.toml").read_text(encoding="utf-8")


async def test_q_on_the_library_quits(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_palette_jumps_to_an_article_by_a_title_in_another_language(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Дилемма")
        from textual.command import CommandList

        results = app.screen.query_one(CommandList)
        assert await wait_for(pilot, lambda: results.option_count > 0)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.key == "gpu-training-dilemma"
        assert screen.language == "ru"


async def test_language_filter_keeps_articles_in_that_language(
    tmp_path: Path, config_dir: Path
) -> None:
    (tmp_path / "a.fi.md").write_text("# Suomeksi\n", encoding="utf-8")
    (tmp_path / "a.de.md").write_text("# Auf Deutsch\n", encoding="utf-8")
    (tmp_path / "b.de.md").write_text("# Nur Deutsch\n", encoding="utf-8")
    app = make_app(tmp_path, config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # All, Deutsch (preferred), Suomi
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        assert article_list.row_count == 1
        assert article_list.highlighted is not None and article_list.highlighted.key == "a"
        assert "lang:fi" in app.screen.query_one("#filter").value  # type: ignore[attr-defined]


async def test_problems_screen_lists_skipped_files(tmp_path: Path, config_dir: Path) -> None:
    (tmp_path / "good.md").write_text("# Good\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\x00\x01binary")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "pipe.md")
    app = make_app(tmp_path, config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert "2 files with problems" in screen_text(pilot)
        await pilot.press("P")
        await settle(pilot)
        from textual.widgets import DataTable

        table = app.screen.query_one(DataTable)
        assert [[str(c) for c in table.get_row_at(row)][:2] for row in range(2)] == [
            ["bad.md", "binary file (contains NUL bytes)"],
            ["sub/pipe.md", "not a regular file"],
        ]


async def test_library_marks_bookmarked_and_noted_articles_after_reading(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, languages=("de",))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        assert article_list.select_key("gpu-training-dilemma")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b", "a", *"x", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        line = next(line for line in screen_text(pilot).splitlines() if GPU_DE[:30] in line)
        assert line.lstrip().startswith("★✎")

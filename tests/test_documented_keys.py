"""Every key of the README's Keys table, and the Bookmarks and Notes screens' keys, shown
doing what the README says, on the rendered screen or on disk."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rich.segment import Segment

from reader.library import bundled_library_path
from reader.tui.modals.confirm_screen import ConfirmScreen
from reader.tui.modals.language_picker import LanguagePicker
from reader.tui.modals.note_editor import NoteEditor
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.bookmarks_screen import BookmarksScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.tui.screens.notes_screen import NotesScreen
from reader.userdata import UserData
from tests.tui_helpers import (
    first_visible_after_wait,
    make_app,
    record_notices,
    screen_lines,
    settle,
    status_line,
    variant_paragraphs,
    visible_lines,
    visible_text,
    wait_for,
)

GPU = "gpu-training-dilemma"


def _titles(root: Path, count: int) -> Path:
    for index in range(count):
        (root / f"a{index:02}.md").write_text(f"# Title {index:02}\n\nText.\n", encoding="utf-8")
    return root


# -- Library ----------------------------------------------------------------------------


async def test_library_j_and_k_move_the_cursor_that_enter_opens(
    tmp_path: Path, config_dir: Path
) -> None:
    app = make_app(_titles(tmp_path, 3), config_dir)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "k", "enter")
        await settle(pilot)
        assert "Title 01" in visible_text(pilot, "#article-header")
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert "Title 02" in visible_text(pilot, "#article-header")
        await pilot.press("escape", "up", "up", "enter")
        await settle(pilot)
        assert "Title 00" in visible_text(pilot, "#article-header")


async def test_library_page_keys_show_the_next_and_previous_page(
    tmp_path: Path, config_dir: Path
) -> None:
    app = make_app(_titles(tmp_path, 60), config_dir)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        first = visible_text(pilot, "ArticleList")
        assert "Title 00" in first and "Title 40" not in first
        # The first page key takes the cursor to the foot of the page, the next scrolls.
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        second = visible_text(pilot, "ArticleList")
        assert "Title 00" not in second
        await pilot.press("space")
        await settle(pilot)
        third = visible_text(pilot, "ArticleList")
        assert third != second and "Title 18" not in third
        await pilot.press("pageup", "pageup", "pageup", "pageup")
        await settle(pilot)
        assert "Title 00" in visible_text(pilot, "ArticleList")


# -- Article: moving --------------------------------------------------------------------


async def test_article_j_and_k_scroll_one_line(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        before = visible_lines(pilot, "#body")
        await pilot.press("j")
        assert await wait_for(pilot, lambda: visible_lines(pilot, "#body")[:-1] == before[1:])
        await pilot.press("down")  # the arrows scroll smoothly: wait for them to arrive
        assert await wait_for(pilot, lambda: visible_lines(pilot, "#body")[:-2] == before[2:])
        await pilot.press("k", "up")
        assert await wait_for(pilot, lambda: visible_lines(pilot, "#body") == before)


async def test_article_page_keys_and_g_and_shift_g(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        de = variant_paragraphs(app, GPU, "de")
        height = len(visible_lines(pilot, "#body"))
        before = visible_lines(pilot, "#body")
        await pilot.press("space")
        await settle(pilot)
        after = visible_lines(pilot, "#body")
        # A page less two lines of overlap: the last lines of before are now on top (the
        # current paragraph's margin mark moves: compare the text).
        assert [line.replace("▊", " ") for line in after[:2]] == [
            line.replace("▊", " ") for line in before[-2:]
        ]
        assert height > 4
        await pilot.press("pagedown")
        await settle(pilot)
        assert visible_lines(pilot, "#body") != after
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        assert visible_lines(pilot, "#body") == before
        await pilot.press("G")
        assert await first_visible_after_wait(pilot, de, 5) == 5
        assert status_line(pilot).startswith("¶ 6/6")
        await pilot.press("g")
        assert await first_visible_after_wait(pilot, de, 0) == 0
        assert status_line(pilot).startswith("¶ 1/6")
        await pilot.press("end")
        assert await first_visible_after_wait(pilot, de, 5) == 5
        await pilot.press("home")
        assert await first_visible_after_wait(pilot, de, 0) == 0


async def test_article_shift_k_goes_back_a_paragraph(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        de = variant_paragraphs(app, GPU, "de")
        await pilot.press("J", "J", "J", "K")
        assert await first_visible_after_wait(pilot, de, 2) == 2
        assert status_line(pilot).startswith("¶ 3/6")
        await pilot.press("K", "K", "K")  # not past the first
        assert await first_visible_after_wait(pilot, de, 0) == 0
        assert status_line(pilot).startswith("¶ 1/6")


# -- Article: the right-hand language ---------------------------------------------------


async def test_braces_change_the_right_hand_language(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        notices = record_notices(app)
        await pilot.press("right_curly_bracket")  # not side by side yet: says so
        await settle(pilot)
        assert notices[-1] == "Press p for the side-by-side view first."
        await pilot.press("J", "p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        first_right = screen.right_language
        assert first_right is not None
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        second_right = screen.right_language
        assert second_right not in (None, first_right, "de")
        assert second_right is not None
        shown = variant_paragraphs(app, GPU, second_right)
        assert await first_visible_after_wait(pilot, shown, 1) == 1
        assert f"side by side: de | {second_right}" in status_line(pilot)
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert f"side by side: de | {first_right}" in status_line(pilot)
        shown = variant_paragraphs(app, GPU, first_right)
        assert await first_visible_after_wait(pilot, shown, 1) == 1


async def test_shift_l_picks_the_right_hand_language(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("J", "J", "L")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LanguagePicker)
        from textual.widgets import OptionList

        options = picker.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, label in enumerate(labels) if "(el)" in label)
        await pilot.press("enter")
        await settle(pilot)
        assert "side by side: de | el" in status_line(pilot)
        greek = variant_paragraphs(app, GPU, "el")
        german = variant_paragraphs(app, GPU, "de")
        assert await first_visible_after_wait(pilot, greek, 2) == 2
        assert await first_visible_after_wait(pilot, german, 2) == 2


async def test_the_picker_flags_an_incomplete_translation(tmp_path: Path, config_dir: Path) -> None:
    body = "\n\n".join(f"Absatz {i}." for i in range(5))
    (tmp_path / "page.de.md").write_text(f"# Seite\n\n{body}\n", encoding="utf-8")
    (tmp_path / "page.fr.md").write_text(f"# Page\n\n{body}\n", encoding="utf-8")
    (tmp_path / "page.en.md").write_text("# Page\n\nOnly one.\n\nAnd two.\n", encoding="utf-8")
    app = make_app(tmp_path, config_dir, open_key="page")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        shown = "\n".join(screen_lines(pilot))
        english = next(line for line in shown.splitlines() if "(en)" in line)
        french = next(line for line in shown.splitlines() if "(fr)" in line)
        assert "⚠ 2 ¶, others have 5" in english
        assert "✓ 5 ¶" in french and "⚠" not in french


# -- Article: bookmarks -----------------------------------------------------------------


async def test_b_again_removes_the_bookmark(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir, open_key=GPU)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        notices = record_notices(app)
        await pilot.press("J", "b")
        await settle(pilot)
        assert "★ bookmarked" in status_line(pilot)
        assert len(UserData(config_dir).bookmarks.all()) == 1
        await pilot.press("b")
        await settle(pilot)
        assert "★ bookmarked" not in status_line(pilot)
        assert notices[-1] == "Bookmark at ¶ 2 removed."
    saved = tomllib.loads((config_dir / "bookmarks.toml").read_text(encoding="utf-8"))
    assert saved.get("bookmark", []) == []


# -- Bookmarks and Notes screens --------------------------------------------------------


def _dimmed(pilot, description: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the key bar (the screen's last line) draws ``description`` dimmed: in
    another colour than ``Help`` (always there, always enabled). Textual blends dim text
    into its background colour as it renders, so the colour is what shows."""
    strip = pilot.app.screen._compositor.render_strips()[-1]

    def colour(text: str) -> object:
        segments: list[Segment] = [s for s in strip if s.text.strip() == text]
        assert segments, f"{text!r} is not in the key bar: {strip.text!r}"
        return segments[0].style.color if segments[0].style else None

    return colour(description) != colour("Help")


async def test_bookmarks_screen_d_removes_and_dims_when_empty(config_dir: Path) -> None:
    UserData(config_dir).bookmarks.add(GPU, "ru", 4, "Дилемма")
    UserData(config_dir).bookmarks.add(GPU, "de", 1, "Dilemma")
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        assert not _dimmed(pilot, "Remove")
        await pilot.press("d")
        await settle(pilot)
        assert len(UserData(config_dir).bookmarks.all()) == 1
        await pilot.press("delete")
        await settle(pilot)
        assert UserData(config_dir).bookmarks.all() == []
        assert "No bookmarks yet: press b while reading." in "\n".join(screen_lines(pilot))
        assert await wait_for(pilot, lambda: _dimmed(pilot, "Remove"))  # nothing to remove
        assert not _dimmed(pilot, "Back")


async def test_notes_screen_e_edits_and_d_deletes_after_asking(config_dir: Path) -> None:
    UserData(config_dir).notes.add(GPU, "de", "Erst", paragraph=2, quote="Darüber hinaus")
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("end", *" und dann", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert "Erst und dann" in "\n".join(screen_lines(pilot))
        [note] = UserData(config_dir).notes.all()
        assert note.text == "Erst und dann"
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # changed my mind: kept
        await settle(pilot)
        assert len(UserData(config_dir).notes.all()) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        assert UserData(config_dir).notes.all() == []
        assert await wait_for(pilot, lambda: _dimmed(pilot, "Edit") and _dimmed(pilot, "Delete"))


# -- The app: palette, theme, broken files ----------------------------------------------


async def test_a_theme_chosen_in_the_palette_is_drawn_and_kept(config_dir: Path) -> None:
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        background_before = app.screen._compositor.render_strips()[5]
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"theme")
        from textual.command import CommandList

        results = app.screen.query_one(CommandList)
        assert await wait_for(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")  # "Theme": the theme list
        await settle(pilot)
        await pilot.press(*"nord")
        assert await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord"
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen._compositor.render_strips()[5] != background_before
    assert 'theme = "nord"' in (config_dir / "state.toml").read_text(encoding="utf-8")


async def test_a_broken_bookmarks_file_is_offered_to_be_moved_aside(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    broken = b"[[bookmark]\nkey = 'x'\n"
    (config_dir / "bookmarks.toml").write_bytes(broken)
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        shown = "\n".join(screen_lines(pilot))
        assert "bookmarks.toml" in shown and "Move it aside" in shown
        assert "Keep read-only" in shown
        await pilot.click("#yes")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
    moved = [p for p in config_dir.iterdir() if p.name.startswith("bookmarks.toml.corrupt-")]
    assert [p.read_bytes() for p in moved] == [broken]  # kept, byte for byte
    assert not (config_dir / "bookmarks.toml").exists()


async def test_keeping_a_broken_file_read_only_leaves_it_alone(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    broken = b"[[note]\n"
    (config_dir / "notes.toml").write_bytes(broken)
    app = make_app(bundled_library_path(), config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#no")
        await settle(pilot)
        app.open_article(GPU)
        await settle(pilot)
        await pilot.press("a", *"x", "ctrl+s")  # cannot be saved: said, file untouched
        await settle(pilot)
    assert (config_dir / "notes.toml").read_bytes() == broken
    assert not [p for p in config_dir.iterdir() if p.name.startswith("notes.toml.corrupt")]

"""Key bindings as one source of truth: ``[keys]`` remaps, the help lists every binding."""

from __future__ import annotations

from pathlib import Path

from reader.tui.keymap import check_keymap, keyed_classes
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.help_screen import HelpScreen
from reader.tui.widgets.key_bar import KeyBar
from reader.userdata.config import load_config
from tests.conftest import BUNDLED_LIBRARY
from tests.tui_helpers import make_app, screen_text, settle


def _write_config(config_dir: Path, text: str) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(text, "utf-8")


def _key_bar_text(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    bar = app.screen.query_one(KeyBar)
    return bar.render_line(0).text


async def test_a_remapped_key_works_and_shows_in_key_bar_and_help(config_dir: Path) -> None:
    _write_config(config_dir, '[keys]\n"article.bookmark" = "m"\n')
    app = make_app(BUNDLED_LIBRARY, config_dir, config=load_config(config_dir))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert " m Bookmark " in _key_bar_text(app)
        assert " b Bookmark " not in _key_bar_text(app)
        await pilot.press("b")  # the old key no longer bookmarks
        await settle(pilot)
        assert not (config_dir / "bookmarks.toml").exists()
        await pilot.press("m")
        await settle(pilot)
        saved = (config_dir / "bookmarks.toml").read_text("utf-8")
        assert 'key = "reader-guide"' in saved and "paragraph = 0" in saved
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = [line.strip() for line in screen_text(pilot).splitlines()]
        assert any(row.startswith("m ") and "bookmark the current paragraph" in row for row in rows)
        assert not any(
            row.startswith("b ") and "bookmark the current paragraph" in row for row in rows
        )


async def test_a_bad_keys_entry_is_one_line_and_the_rest_applies(config_dir: Path) -> None:
    _write_config(
        config_dir,
        'theme = "nord"\n[keys]\n"article.bookmark" = "m"\n"artcle.note" = "x"\n'
        '"app.help" = "ctrl+shfit+h"\n"article.find" = 3\n',
    )
    app = make_app(BUNDLED_LIBRARY, config_dir, config=load_config(config_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [str(notification.message) for notification in app._notifications]
        assert app.theme == "nord"
        assert app.keymap == {"article.bookmark": "m"}
        assert any("'artcle.note' is no binding id" in message for message in messages)
        assert any("'ctrl+shfit+h' is not a key" in message for message in messages)
        assert any("[keys] article.find must be a key name" in message for message in messages)
        assert all("\n" not in message for message in messages)
        await pilot.press("question_mark")  # help keeps its key: its remap was refused
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


def test_a_key_taken_by_another_binding_of_the_screen_is_reported() -> None:
    usable, problems = check_keymap({"article.note": "b"})
    assert usable == {"article.note": "b"}
    assert problems == ["[keys] article.bookmark and article.note both answer to 'b'"]
    # A key freed by another remap is no collision; a key of another screen is none either.
    assert check_keymap({"article.note": "b", "article.bookmark": "m"})[1] == []
    assert check_keymap({"article.note": "e"})[1] == []  # `e` edits in the Notes screen


def test_the_help_lists_every_binding_of_every_screen() -> None:
    """Each binding of each screen, with its description, is a row of the help."""
    from reader.tui.keymap import help_sections

    sections = dict(help_sections({}, lambda key: key))
    for keyed in keyed_classes():
        described = {row.binding_id: row.what for row in sections[keyed.section]}
        for binding in keyed.bindings:
            assert binding.id, f"{keyed.name}: a binding without an id cannot be remapped"
            assert described.get(binding.id), f"{binding.id} is missing from the help"


async def test_the_help_screen_shows_every_screens_keys(config_dir: Path) -> None:
    app = make_app(BUNDLED_LIBRARY, config_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(pilot)
        for keyed in keyed_classes():
            assert keyed.section in text
            for binding in keyed.bindings:
                assert (binding.tooltip or binding.description) in text, binding.id
        # Keys the hand-written help had lost.
        for row in (
            "side by side: two languages",
            "side by side: next language on the right",
            "keep articles available in a language",
            "files skipped or degraded",
            "find in the article",
            "next match",
            "search every variant",
        ):
            assert row in text

"""The word list in the interface: w saves a word of a sentence, W lists, enter, d."""

from __future__ import annotations

from pathlib import Path

from reader.tui.modals.word_picker import SentenceCursor, WordPicker
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.words_screen import WordsScreen
from reader.userdata import UserData
from tests.conftest import BUNDLED_LIBRARY
from tests.tui_helpers import make_app, settle

GPU = "gpu-training-dilemma"


def shown(pilot) -> str:  # type: ignore[no-untyped-def]
    """The screen as the terminal shows it (the compositor's lines)."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


async def _wait_for(pilot, condition, rounds: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


async def test_w_saves_a_picked_word_with_the_sentence_and_its_translation(
    config_dir: Path,
) -> None:
    app = make_app(BUNDLED_LIBRARY, config_dir, languages=("de", "en"), open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("w")
        await _wait_for(pilot, lambda: isinstance(app.screen, WordPicker))
        picker = app.screen
        cursor = picker.query_one(SentenceCursor)
        # The first sentence of the article, with its English translation beside it.
        assert cursor.sentence.startswith(
            "Mit der fortschreitenden globalen Wirtschaftsintegration"
        )
        assert "As global economic integration advances" in shown(pilot)
        assert cursor.selected == "Mit"
        await pilot.press("l", "l", "L")  # the third word, widened to a phrase of two
        assert cursor.selected == "fortschreitenden globalen"
        assert "fortschreitenden globalen" in shown(pilot)
        await pilot.press("enter")  # on to the meaning
        await pilot.press(*"advancing global")
        await pilot.press("enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        saved = UserData(config_dir).words.all()
        assert [(w.word, w.meaning, w.paragraph, w.sentence) for w in saved] == [
            ("fortschreitenden globalen", "advancing global", 0, 0)
        ]
        assert saved[0].translation_language == "en"
        assert saved[0].translation.startswith("As global economic integration advances")
        text = (config_dir / "words.toml").read_text("utf-8")
        assert 'word = "fortschreitenden globalen"' in text


async def test_a_typed_phrase_wins_and_escape_saves_nothing(config_dir: Path) -> None:
    app = make_app(BUNDLED_LIBRARY, config_dir, languages=("de",), open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await _wait_for(pilot, lambda: isinstance(app.screen, WordPicker))
        await pilot.press("escape")
        await _wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        assert not (config_dir / "words.toml").exists()
        await pilot.press("w")
        await _wait_for(pilot, lambda: isinstance(app.screen, WordPicker))
        await pilot.press("tab")  # into the word field: type it instead
        field = app.screen.query_one("#word-text")
        field.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"Technologie", "enter", "ctrl+s")
        await _wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        assert [w.word for w in UserData(config_dir).words.all()] == ["Technologie"]


async def test_the_words_screen_lists_filters_opens_and_removes(config_dir: Path) -> None:
    words = UserData(config_dir).words
    words.add("Wettbewerbsdruck", "de", GPU, 1, 2, "Der Wettbewerbsdruck.", "en", "The pressure.")
    words.add("训练", "zh", GPU, 0, 1, "GPU训练技术。", "", "", "training")
    app = make_app(BUNDLED_LIBRARY, config_dir, languages=("de",))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await _wait_for(pilot, lambda: isinstance(app.screen, WordsScreen))
        text = shown(pilot)
        assert "Wettbewerbsdruck" in text and "The pressure. (en)" in text
        assert "训练 — training" in text
        await pilot.press("L")  # one language at a time: de first
        assert "训练" not in shown(pilot) and "Wettbewerbsdruck" in shown(pilot)
        await pilot.press("L", "L")  # zh, then all again
        assert "训练" in shown(pilot) and "Wettbewerbsdruck" in shown(pilot)
        await pilot.press("j", "d")  # remove 训练
        await _wait_for(pilot, lambda: "训练" not in shown(pilot))
        assert [w.word for w in UserData(config_dir).words.all()] == ["Wettbewerbsdruck"]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert (screen.key, screen.language, screen.current_paragraph) == (GPU, "de", 1)

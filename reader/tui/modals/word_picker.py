"""The word picker: choose a word or phrase of the current sentence and say what it means."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.text.tokens import word_spans
from reader.tui.widgets.key_bar import KeyBar


class SentenceCursor(Static, can_focus=True):
    """The sentence, with a cursor on one word that ``h`` / ``l`` move.

    ``H`` / ``L`` narrow or widen the selection by a word (a phrase, or several
    characters of Chinese). Each move posts the selected text to the picker.
    """

    HELP_SECTION = "Word picker"

    BINDINGS = [
        Binding("h,left", "move(-1)", "Word ◂", tooltip="previous word", id="word_picker.left"),
        Binding("l,right", "move(1)", "Word ▸", tooltip="next word", id="word_picker.right"),
        Binding(
            "L,shift+right",
            "widen(1)",
            "Wider",
            tooltip="add the next word",
            id="word_picker.widen",
        ),
        Binding(
            "H,shift+left",
            "widen(-1)",
            "Narrower",
            tooltip="drop the last word",
            id="word_picker.narrow",
        ),
    ]

    DEFAULT_CSS = """
    SentenceCursor { height: auto; padding: 0 0 1 0; }
    SentenceCursor:focus { background: $boost; }
    """

    class Moved(Message):
        """The selection changed."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    first: reactive[int] = reactive(0)
    last: reactive[int] = reactive(0)

    def __init__(self, sentence: str, *, start_at: str = "") -> None:
        super().__init__(markup=False)
        self.sentence = sentence
        self.spans = word_spans(sentence)
        if start_at:
            folded = start_at.casefold()
            for index, (start, end) in enumerate(self.spans):
                if sentence[start:end].casefold() == folded:
                    self.set_reactive(SentenceCursor.first, index)
                    self.set_reactive(SentenceCursor.last, index)
                    break

    @property
    def selected(self) -> str:
        """The text of the selected words (with what lies between them)."""
        if not self.spans:
            return ""
        return self.sentence[self.spans[self.first][0] : self.spans[self.last][1]]

    def render(self) -> Content:
        if not self.spans:
            return Content(self.sentence)
        start, end = self.spans[self.first][0], self.spans[self.last][1]
        return Content.assemble(
            self.sentence[:start],
            (self.sentence[start:end], "reverse bold"),
            self.sentence[end:],
        )

    def action_move(self, step: int) -> None:
        if not self.spans:
            return
        width = self.last - self.first
        first = min(max(self.first + step, 0), len(self.spans) - 1 - width)
        self.first, self.last = first, first + width
        self.post_message(SentenceCursor.Moved(self.selected))

    def action_widen(self, step: int) -> None:
        if not self.spans:
            return
        self.last = min(max(self.last + step, self.first), len(self.spans) - 1)
        self.post_message(SentenceCursor.Moved(self.selected))


class WordPicker(ModalScreen[tuple[str, str] | None]):
    """Pick a word (cursor or typing) and its meaning; dismisses with ``(word, meaning)``.

    Args:
        sentence: The sentence the word is in (already cleaned).
        translation: Its aligned translation, shown for reference (may be ``""``).
        start_at: The word to put the cursor on first, if it is in the sentence.
    """

    HELP_SECTION = "Word picker"

    DEFAULT_CSS = """
    WordPicker { align: center middle; }
    WordPicker > Vertical {
        width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    WordPicker #word-translation { color: $text-muted; text-style: italic; height: auto; }
    WordPicker .word-label { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="save the word", id="word.save"),
        Binding("escape", "cancel", "Cancel", priority=True, tooltip="cancel", id="word.cancel"),
    ]

    def __init__(self, sentence: str, translation: str = "", *, start_at: str = "") -> None:
        super().__init__()
        self.sentence = sentence
        self.translation = translation
        self.start_at = start_at

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Save a word"
            frame.border_subtitle = "h/l word · H/L phrase · enter · ctrl+s save · esc cancel"
            yield SentenceCursor(self.sentence, start_at=self.start_at)
            if self.translation:
                yield Static(Content(self.translation), id="word-translation")
            yield Static("Word or phrase", classes="word-label")
            yield Input(id="word-text", placeholder="type it, or pick it above with h / l")
            yield Static("Meaning (optional)", classes="word-label")
            yield Input(id="word-meaning", placeholder="what it means")
        yield KeyBar()

    def on_mount(self) -> None:
        cursor = self.query_one(SentenceCursor)
        self.query_one("#word-text", Input).value = cursor.selected
        cursor.focus()

    def on_sentence_cursor_moved(self, message: SentenceCursor.Moved) -> None:
        self.query_one("#word-text", Input).value = message.text

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and isinstance(self.focused, SentenceCursor):
            self.query_one("#word-meaning", Input).focus()
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "word-text":
            self.query_one("#word-meaning", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        word = " ".join(self.query_one("#word-text", Input).value.split())
        if not word:
            self.notify("Pick or type a word first.", severity="warning")
            return
        meaning = self.query_one("#word-meaning", Input).value.strip()
        self.dismiss((word, meaning))

    def action_cancel(self) -> None:
        self.dismiss(None)

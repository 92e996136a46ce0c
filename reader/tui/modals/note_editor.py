"""The note editor: a modal TextArea anchored to a paragraph."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.tui.widgets.key_bar import KeyBar


class NoteEditor(ModalScreen[str | None]):
    """Write or edit a note. ``ctrl+s`` saves; ``escape`` cancels (asking first if text
    would be thrown away). Dismisses with the text, or ``None``."""

    HELP_SECTION = "Note editor"

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 84; max-width: 95%; height: 20; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    NoteEditor #note-quote { color: $text-muted; text-style: italic; height: auto; max-height: 4; }
    NoteEditor TextArea { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="save the note", id="note.save"),
        Binding("escape", "cancel", "Cancel", priority=True, tooltip="cancel", id="note.cancel"),
    ]

    def __init__(self, *, quote: str = "", paragraph: int | None = None, text: str = "") -> None:
        super().__init__()
        self.quote = quote
        self.paragraph = paragraph
        self.initial_text = text

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            where = f"¶ {self.paragraph + 1}" if self.paragraph is not None else "article"
            frame.border_title = f"Note on {where}"
            frame.border_subtitle = "ctrl+s save · escape cancel"
            yield Static(Content(f"“{self.quote}”" if self.quote else ""), id="note-quote")
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        """What is typed now."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text.strip() == self.initial_text.strip():
            self.dismiss(None)
            return
        from reader.tui.modals.confirm_screen import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Throw away this note?", yes="Discard", no="Keep editing"), answer
        )

"""The Notes screen: every note with the quote, in the language it was written against."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from reader.languages import describe
from reader.sanitize import clean, clean_line
from reader.tui.base import reader_app
from reader.userdata import UserDataError
from reader.userdata.notes import Note


class NotesScreen(Screen[None]):
    """List, open, edit and delete notes."""

    DEFAULT_CSS = """
    NotesScreen OptionList { height: 1fr; border: none; }
    NotesScreen #empty { color: $text-muted; padding: 1 2; }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="notes.back"),
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d,delete", "delete", "Delete", id="notes.delete"),
        Binding("j", "down", "Down", show=False, id="notes.down"),
        Binding("k", "up", "Up", show=False, id="notes.up"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield OptionList(id="note-list")
        yield Static("", id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Notes"
        self.refresh_list()
        self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        """Reload the notes from disk."""
        app = reader_app(self)
        notes = app.userdata.notes.all()
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        for note in notes:
            article = app.library.article(note.key)
            title = note.key
            if article is not None:
                variant = article.variants.get(note.language) or next(
                    iter(article.variants.values())
                )
                title = variant.title
            where = f"¶ {note.paragraph + 1}" if note.paragraph is not None else "article"
            label = Content.assemble(
                ("✎ ", "$warning"),
                (clean_line(note.text), "bold"),
                "\n  ",
                (clean_line(title), ""),
                (f" · {describe(note.language)} · {where} · {note.updated[:10]}", "$text-muted"),
            )
            if note.quote:
                label = Content.assemble(
                    label, "\n  ", (f"“{clean_line(note.quote)}”", "italic $text-muted")
                )
            option_list.add_option(Option(label, id=f"n{note.id}"))
        self._notes = notes
        if notes:
            option_list.highlighted = 0
        error = app.userdata.notes.error
        empty = self.query_one("#empty", Static)
        if error is not None:
            empty.update(str(error))
        else:
            empty.update("" if notes else "No notes yet: press a while reading.")

    def _highlighted(self) -> Note | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self._notes):
            return None
        return self._notes[index]

    @on(OptionList.OptionSelected)
    def open_note(self, event: OptionList.OptionSelected) -> None:
        note = self._notes[event.option_index]
        app = reader_app(self)
        self.dismiss()
        app.open_article(note.key, note.language, note.paragraph)

    def action_edit(self) -> None:
        note = self._highlighted()
        if note is None:
            return
        from reader.tui.note_editor import NoteEditor

        def saved(text: str | None) -> None:
            if text is None or not text.strip():
                return
            try:
                reader_app(self).userdata.notes.update(note.id, text.strip())
            except (UserDataError, KeyError) as error:
                self.notify(clean(str(error)), severity="error", timeout=8, markup=False)
                return
            self.refresh_list()

        self.app.push_screen(
            NoteEditor(quote=clean(note.quote), paragraph=note.paragraph, text=note.text), saved
        )

    def action_delete(self) -> None:
        note = self._highlighted()
        if note is None:
            return
        from reader.tui.confirm_screen import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                reader_app(self).userdata.notes.delete(note.id)
            except UserDataError as error:
                self.notify(str(error), severity="error", timeout=8, markup=False)
                return
            self.refresh_list()

        self.app.push_screen(ConfirmScreen("Delete this note?", yes="Delete"), answer)

    def action_back(self) -> None:
        self.dismiss()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

"""The Notes screen: every note with the quote, in the language it was written against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content

from reader.languages import describe
from reader.sanitize import clean, clean_line
from reader.tui.screens.entry_list_screen import EntryListScreen
from reader.userdata import UserDataError
from reader.userdata.notes import Note

if TYPE_CHECKING:
    from reader.library import Library
    from reader.userdata import UserData


class NotesScreen(EntryListScreen[Note]):
    """List, open, edit and delete notes."""

    HELP_SECTION = "Notes"

    BINDINGS = [
        Binding("e", "edit", "Edit", tooltip="edit the note", id="notes.edit"),
        Binding("d,delete", "delete", "Delete", tooltip="remove the note", id="notes.delete"),
    ]
    ENTRY_ACTIONS = frozenset({"edit", "delete"})
    ICON = "✎"
    SCREEN_TITLE = "Notes"
    EMPTY_TEXT = "No notes yet: press a while reading."

    def __init__(self, library: Library, userdata: UserData) -> None:
        super().__init__()
        self.library = library
        self.userdata = userdata

    def load_entries(self) -> list[Note]:
        return self.userdata.notes.all()

    def file_error(self) -> UserDataError | None:
        return self.userdata.notes.error

    def location(self, entry: Note) -> tuple[str, str, int | None]:
        return entry.key, entry.language, entry.paragraph

    def label(self, entry: Note) -> Content:
        article = self.library.article(entry.key)
        title = entry.key
        if article is not None:
            variant = article.variants.get(entry.language) or next(iter(article.variants.values()))
            title = variant.title
        where = f"¶ {entry.paragraph + 1}" if entry.paragraph is not None else "article"
        label = Content.assemble(
            ("✎ ", "$warning"),
            (clean_line(entry.text), "bold"),
            "\n  ",
            (clean_line(title), ""),
            (f" · {describe(entry.language)} · {where} · {entry.updated[:10]}", "$text-muted"),
        )
        if entry.quote:
            label = Content.assemble(
                label, "\n  ", (f"“{clean_line(entry.quote)}”", "italic $text-muted")
            )
        return label

    def action_edit(self) -> None:
        note = self.highlighted_entry()
        if note is None:
            return
        from reader.tui.modals.note_editor import NoteEditor

        def saved(text: str | None) -> None:
            if text is None or not text.strip():
                return
            try:
                self.userdata.notes.update(note.id, text.strip())
            except (UserDataError, KeyError) as error:
                self.report(error)
                return
            self.refresh_list()

        self.app.push_screen(
            NoteEditor(quote=clean(note.quote), paragraph=note.paragraph, text=note.text), saved
        )

    def action_delete(self) -> None:
        note = self.highlighted_entry()
        if note is None:
            return
        from reader.tui.modals.confirm_screen import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.userdata.notes.delete(note.id)
            except UserDataError as error:
                self.report(error)
                return
            self.refresh_list()

        self.app.push_screen(ConfirmScreen("Delete this note?", yes="Delete"), answer)

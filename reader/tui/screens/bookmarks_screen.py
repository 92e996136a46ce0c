"""The Bookmarks screen: every bookmark; opening one goes to its paragraph and language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content

from reader.languages import describe
from reader.sanitize import clean_line
from reader.tui.screens.entry_list_screen import EntryListScreen
from reader.userdata import UserDataError
from reader.userdata.bookmarks import Bookmark

if TYPE_CHECKING:
    from reader.library import Library
    from reader.userdata import UserData


class BookmarksScreen(EntryListScreen[Bookmark]):
    """List, open and remove bookmarks."""

    HELP_SECTION = "Bookmarks"

    BINDINGS = [
        Binding(
            "d,delete", "remove", "Remove", tooltip="remove the bookmark", id="bookmarks.remove"
        )
    ]
    ENTRY_ACTIONS = frozenset({"remove"})
    ICON = "★"
    SCREEN_TITLE = "Bookmarks"
    EMPTY_TEXT = "No bookmarks yet: press b while reading."

    def __init__(self, library: Library, userdata: UserData) -> None:
        super().__init__()
        self.library = library
        self.userdata = userdata

    def load_entries(self) -> list[Bookmark]:
        return self.userdata.bookmarks.all()

    def file_error(self) -> UserDataError | None:
        return self.userdata.bookmarks.error

    def location(self, entry: Bookmark) -> tuple[str, str, int | None]:
        return entry.key, entry.language, entry.paragraph

    def label(self, entry: Bookmark) -> Content:
        missing = "" if self.library.article(entry.key) else "  (not in this library)"
        return Content.assemble(
            ("★ ", "$warning"),
            (clean_line(entry.title) or clean_line(entry.key), "bold"),
            (f"  {describe(entry.language)} · ¶ {entry.paragraph + 1}", "$text-muted"),
            (f" · {entry.created[:10]}{missing}", "$text-muted"),
        )

    def action_remove(self) -> None:
        bookmark = self.highlighted_entry()
        if bookmark is None:
            return
        try:
            self.userdata.bookmarks.remove(bookmark.key, bookmark.paragraph)
        except UserDataError as error:
            self.report(error)
            return
        self.notify("Bookmark removed.")
        self.refresh_list()

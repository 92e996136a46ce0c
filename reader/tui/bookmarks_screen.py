"""The Bookmarks screen: every bookmark; opening one goes to its paragraph and language."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from reader.languages import describe
from reader.sanitize import clean_line
from reader.tui.base import reader_app
from reader.userdata import UserDataError


class BookmarksScreen(Screen[None]):
    """List, open and remove bookmarks."""

    DEFAULT_CSS = """
    BookmarksScreen OptionList { height: 1fr; border: none; }
    BookmarksScreen #empty { color: $text-muted; padding: 1 2; }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="bookmarks.back"),
        Binding("d,delete", "remove", "Remove", id="bookmarks.remove"),
        Binding("j", "down", "Down", show=False, id="bookmarks.down"),
        Binding("k", "up", "Up", show=False, id="bookmarks.up"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="★")
        yield OptionList(id="bookmark-list")
        yield Static("", id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Bookmarks"
        self.refresh_list()
        self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        """Reload the bookmarks from disk."""
        app = reader_app(self)
        bookmarks = app.userdata.bookmarks.all()
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        for number, bookmark in enumerate(bookmarks):
            article = app.library.article(bookmark.key)
            missing = "" if article else "  (not in this library)"
            label = Content.assemble(
                ("★ ", "$warning"),
                (clean_line(bookmark.title) or clean_line(bookmark.key), "bold"),
                (f"  {describe(bookmark.language)} · ¶ {bookmark.paragraph + 1}", "$text-muted"),
                (f" · {bookmark.created[:10]}{missing}", "$text-muted"),
            )
            option_list.add_option(Option(label, id=f"b{number}"))
        self._bookmarks = bookmarks
        if bookmarks:
            option_list.highlighted = 0
        error = app.userdata.bookmarks.error
        empty = self.query_one("#empty", Static)
        if error is not None:
            empty.update(str(error))
        else:
            empty.update("" if bookmarks else "No bookmarks yet: press b while reading.")

    @on(OptionList.OptionSelected)
    def open_bookmark(self, event: OptionList.OptionSelected) -> None:
        bookmark = self._bookmarks[event.option_index]
        app = reader_app(self)
        self.dismiss()
        app.open_article(bookmark.key, bookmark.language, bookmark.paragraph)

    def action_remove(self) -> None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or index >= len(self._bookmarks):
            return
        bookmark = self._bookmarks[index]
        try:
            reader_app(self).userdata.bookmarks.remove(bookmark.key, bookmark.paragraph)
        except UserDataError as error:
            self.notify(str(error), severity="error", timeout=8, markup=False)
            return
        self.notify("Bookmark removed.")
        self.refresh_list()

    def action_back(self) -> None:
        self.dismiss()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

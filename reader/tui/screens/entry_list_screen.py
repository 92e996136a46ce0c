"""A screen listing the user's entries (bookmarks or notes): open, move, go back."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.sanitize import clean
from reader.tui.messages import OpenArticle
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.title_bar import TitleBar
from reader.userdata import UserDataError

Entry = TypeVar("Entry")


class EntryListScreen(Screen[None], Generic[Entry]):
    """Shared by the Bookmarks and Notes screens: a list of entries from one file.

    ``enter`` opens an entry's article at its paragraph in its language. Subclasses say
    where the entries come from and how one looks.
    """

    DEFAULT_CSS = """
    EntryListScreen OptionList { height: 1fr; border: none; }
    EntryListScreen #empty { color: $text-muted; padding: 1 2; }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", tooltip="back", id="entries.back"),
        Binding("j", "down", "Down", show=False, tooltip="move down", id="entries.down"),
        Binding("k", "up", "Up", show=False, tooltip="move up", id="entries.up"),
    ]

    #: Actions that need an entry under the cursor: dimmed in the key bar (and answered
    #: with a bell when clicked) while the list is empty.
    ENTRY_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    ICON: ClassVar[str] = "•"
    SCREEN_TITLE: ClassVar[str] = ""
    EMPTY_TEXT: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(self.ICON)
        yield OptionList()
        yield Static("", id="empty", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.SCREEN_TITLE
        self.refresh_list()
        self.query_one(OptionList).focus()

    # -- what subclasses provide --------------------------------------------------------

    def load_entries(self) -> list[Entry]:
        """Read the entries from disk."""
        raise NotImplementedError

    def label(self, entry: Entry) -> Content:
        """How one entry looks in the list (untrusted text cleaned)."""
        raise NotImplementedError

    def location(self, entry: Entry) -> tuple[str, str, int | None]:
        """Where an entry points: article key, language, paragraph."""
        raise NotImplementedError

    def file_error(self) -> UserDataError | None:
        """Why the entries' file cannot be used, if it cannot."""
        raise NotImplementedError

    # -- shared behaviour ---------------------------------------------------------------

    def refresh_list(self) -> None:
        """Reload the entries from disk and redraw the list."""
        self.entries = self.load_entries()
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options([Option(self.label(entry)) for entry in self.entries])
        if self.entries:
            option_list.highlighted = 0
        self.refresh_bindings()
        error = self.file_error()
        empty = self.query_one("#empty", Static)
        if error is not None:
            empty.update(str(error))
        else:
            empty.update("" if self.entries else self.EMPTY_TEXT)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``None`` (shown dimmed) for an entry's action while there is no entry."""
        if action in self.ENTRY_ACTIONS and not self.entries:
            return None
        return True

    def highlighted_entry(self) -> Entry | None:
        """The entry under the cursor."""
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.entries):
            return None
        return self.entries[index]

    @on(OptionList.OptionSelected)
    def open_entry(self, event: OptionList.OptionSelected) -> None:
        key, language, paragraph = self.location(self.entries[event.option_index])
        app = self.app
        self.dismiss()
        # To the app itself: this screen is closing.
        app.post_message(OpenArticle(key, language, paragraph))

    def report(self, error: Exception) -> None:
        """Show a failed change (never as markup)."""
        self.notify(clean(str(error)), severity="error", timeout=8, markup=False)

    def action_back(self) -> None:
        self.dismiss()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

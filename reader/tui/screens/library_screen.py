"""The Library screen: every article, its languages and marks, with a live filter."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.filters import LANGUAGE_FILTER_PREFIX, split_language_filter
from reader.sanitize import clean_line
from reader.tui.messages import OpenArticle
from reader.tui.rows import ArticleRow, library_rows, make_row
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from reader.library import Library
    from reader.library.catalog import PeekArticle
    from reader.tui.preferences import Preferences
    from reader.userdata import UserData


#: What the empty filter says.
FILTER_PLACEHOLDER = "/ filter by title in any language · lang:fi for articles in Finnish"


class FilterHint(Static):
    """The filter before its first use: the same line, and focusable, but a ``Static``.

    Textual's ``Input`` (its module, rules and cursor) is about a twentieth of the
    Library's first paint; it takes this place when the filter is first focused (``/``,
    a click, or ``tab``).
    """

    can_focus = True

    def on_focus(self) -> None:
        screen = self.screen
        if isinstance(screen, LibraryScreen):
            screen.call_later(screen.focus_filter_input)

    def on_click(self) -> None:
        self.focus()


class LibraryScreen(Screen[None]):
    """The article list with its filter and status line."""

    HELP_SECTION = "Library"

    # The list, not the first focusable widget (the filter's hint, which would turn
    # into the filter at once).
    AUTO_FOCUS = "ArticleList"

    BINDINGS = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            tooltip="filter by title in any language (enter opens; lang:fi: Finnish only)",
            id="library.filter",
        ),
        Binding(
            "L",
            "filter_language",
            "Language filter",
            tooltip="keep articles available in a language",
            id="library.language",
        ),
        Binding(
            "P",
            "app.problems",
            "Problems",
            tooltip="files skipped or degraded, and why",
            id="library.problems",
        ),
        Binding(
            "R",
            "app.refresh_feeds",
            "Refresh feeds",
            show=False,
            tooltip="refresh the feeds; new articles get a •",
            id="library.refresh_feeds",
        ),
        Binding(
            "plus",
            "app.add_article",
            "Add",
            show=False,  # the key bar is full at 100 columns; help and palette list it
            tooltip="add an article from the web (a URL, with all its languages)",
            id="library.add",
        ),
        Binding("q", "quit", "Quit", tooltip="quit", id="library.quit"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="clear the filter",
            id="library.clear",
        ),
    ]

    def __init__(self, library: Library, userdata: UserData, preferences: Preferences) -> None:
        super().__init__()
        self.library = library
        self.userdata = userdata
        self.preferences = preferences
        self._typed_for_filter: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar("≡")
        yield FilterHint(FILTER_PLACEHOLDER, id="filter-hint", markup=False)
        yield ArticleList(reorder=self.preferences.reorder, id="articles")
        yield Static("", id="library-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{clean_line(self.library.name)} · scanning…"
        self.query_one(ArticleList).focus()
        library = self.library
        if library.scanned:
            self.reload()
            return
        self.query_one("#library-status", Static).update("Reading the library…")
        # The first screen comes from one small catalog row (about a millisecond), drawn
        # with the first frame; building every article takes about a second per 100,000
        # variants and happens in the app's worker.
        peek = library.first_page()
        if peek is not None:
            self.show_first_page(*peek)

    def on_screen_resume(self) -> None:
        if self.library.scanned:
            # Back from an article: only the ★ and ✎ marks can have changed.
            userdata = self.userdata
            self.query_one(ArticleList).update_marks(
                userdata.bookmarks.keys(), userdata.notes.keys(), userdata.new_marks.keys()
            )
        if not isinstance(self.focused, Input):
            self.query_one(ArticleList).focus()

    def show_progress(self, done: int, total: int = 0) -> None:
        """Show how far a running scan or index has got."""
        of = f"/{total}" if total else ""
        self.query_one("#library-status", Static).update(f"Reading the library… {done}{of} files")

    def show_status(self, *, scanning: bool = False) -> None:
        """Show the library's totals (and problems) in the status line; ``scanning``: a
        scan is still checking for changes."""
        library = self.library
        count = len(library.articles)
        status = f"{count} articles · {len(library.languages())} languages"
        if library.problems:
            problems = len(library.problems)
            status += (
                f" · {problems} file{'s' if problems != 1 else ''} with problems (P shows them)"
            )
        if scanning:
            status += " · checking for changes…"
        self.query_one("#library-status", Static).update(status)

    def show_first_page(self, count: int, articles: list[PeekArticle]) -> None:
        """Draw the first articles before the whole library is loaded."""
        userdata = self.userdata
        bookmarked = userdata.bookmarks.keys()
        noted = userdata.notes.keys()
        new = userdata.new_marks.keys()
        preference = [*self.preferences.languages, "en"]
        rows = [
            make_row(article.key, article.date, article.titles, preference, bookmarked, noted, new)
            for article in articles
        ]
        self.query_one(ArticleList).set_rows(rows)
        name = clean_line(self.library.name)
        self.sub_title = f"{name} · {count} article{'s' if count != 1 else ''}"
        self.query_one("#library-status", Static).update(
            f"{count} articles · loading the rest of the list…"
        )

    def reload(self, rows: list[ArticleRow] | None = None, *, scanning: bool = False) -> None:
        """Show the library's rows (built here unless a worker built them already);
        ``scanning``: a scan is still checking for changes."""
        library = self.library
        if rows is None:
            rows = library_rows(library, self.userdata, self.preferences.languages)
        self.query_one(ArticleList).set_rows(rows)
        count = len(rows)
        self.sub_title = f"{clean_line(library.name)} · {count} article{'s' if count != 1 else ''}"
        self.show_status(scanning=scanning)

    # -- filter -------------------------------------------------------------------------

    def _filter(self) -> Input | None:
        """The filter's input, if it was ever used."""
        found = self.query("#filter").results(Input)
        return next(found, None)

    async def filter_input(self) -> Input:
        """The filter's input, mounted in place of its hint on first use."""
        field = self._filter()
        if field is None:
            field = Input(placeholder=FILTER_PLACEHOLDER, id="filter")
            hint = self.query_one("#filter-hint", FilterHint)
            await self.mount(field, before=hint)
            await hint.remove()
        return field

    async def focus_filter_input(self) -> None:
        """Move the focus to the filter (mounting it first if need be), with whatever was
        typed since `/`."""
        field = await self.filter_input()
        self.set_focus(field)
        typed, self._typed_for_filter = self._typed_for_filter, None
        if typed:
            field.insert_text_at_cursor("".join(typed))

    async def action_focus_filter(self) -> None:
        await self.focus_filter_input()

    def action_clear_filter(self) -> None:
        field = self._filter()
        if field is not None:
            field.value = ""
        self.query_one(ArticleList).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        text = unicodedata.normalize("NFC", event.value)
        article_list = self.query_one(ArticleList)
        article_list.set_filter(text)
        shown = article_list.row_count
        self.query_one("#library-status", Static).update(
            f"{shown} match{'es' if shown != 1 else ''}" if text.strip() else ""
        )

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        article_list = self.query_one(ArticleList)
        article_list.focus()
        article_list.action_select()

    def on_key(self, event: Key) -> None:
        field = self._filter()
        if field is not None and field.has_focus:
            if event.key == "down":
                self.query_one(ArticleList).focus()
                event.stop()
            elif event.is_printable and event.character:
                # Typed in the burst that began with `/`, before the filter had the focus:
                # the input consumes what is typed in it, so this came by way of the list.
                field.insert_text_at_cursor(event.character)
                event.stop()
                event.prevent_default()
        elif self._typed_for_filter is not None:
            if event.is_printable and event.character:
                self._typed_for_filter.append(event.character)
                event.stop()
                event.prevent_default()
        elif self._is_filter_key(event.key):
            # Textual hands each key to the widget that has the focus when it reads the
            # key: the keys sent with `/` (a script, a fast typist) reach the list, whose
            # bindings would act on them (`P` opens the Problems screen). Until the filter
            # has the focus, what is printable is kept for it (a second at most).
            self._typed_for_filter = []
            self.set_timer(1.0, self._stop_keeping_keys)

    def _is_filter_key(self, key: str) -> bool:
        """Whether ``key`` focuses the filter (``/``, unless config.toml remapped it)."""
        active = self.active_bindings.get(key)
        return active is not None and active.binding.action == "focus_filter"

    def _stop_keeping_keys(self) -> None:
        self._typed_for_filter = None

    @on(ArticleList.Selected)
    def open_selected(self, event: ArticleList.Selected) -> None:
        self.post_message(OpenArticle(event.key))

    def action_filter_language(self) -> None:
        """Keep only articles available in a language (``lang:xx`` in the filter)."""
        from reader.tui.modals.language_filter import LanguageFilter

        counts: dict[str, int] = {}
        for article in self.library.articles.values():
            for tag in article.variants:
                counts[tag] = counts.get(tag, 0) + 1

        async def chosen(language: str | None) -> None:
            if language is None:
                return
            filter_input = await self.filter_input()
            words, _ = split_language_filter(filter_input.value)
            if language:
                words.append(f"{LANGUAGE_FILTER_PREFIX}{language}")
            filter_input.value = " ".join(words)
            self.query_one(ArticleList).focus()

        self.app.push_screen(LanguageFilter(counts, self.preferences.languages), chosen)

    def show_feed_progress(self, line: str) -> None:
        """Show how a feed refresh is going in the status line."""
        self.query_one("#library-status", Static).update(line)

    def action_quit(self) -> None:
        self.app.exit()

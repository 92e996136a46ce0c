"""The Textual application: screens, global keys, the palette and the library scan."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.screen import Screen

from reader.library import Library
from reader.text.bidi import resolve_mode
from reader.tui.messages import OpenArticle
from reader.tui.preferences import Preferences
from reader.userdata import UserData, UserDataError
from reader.userdata.config import Config

if TYPE_CHECKING:
    from reader.tui.rows import ArticleRow
    from reader.tui.screens.library_screen import LibraryScreen


def _article_commands() -> type[Provider]:
    from reader.tui.article_commands import ArticleCommands

    return ArticleCommands


#: Background work pauses until no key or click came for this long.
INPUT_QUIET_SECONDS = 0.15
#: It pauses at most this long at a time, then does a stretch of work.
MAX_PAUSE_SECONDS = 1.0
#: How long each pause lasts before the worker looks again.
PAUSE_STEP_SECONDS = 0.01
#: How long a thread runs before another one waiting for the interpreter gets it.
SWITCH_INTERVAL_SECONDS = 0.001
#: The Article screen's stylesheet, next to its module (relative to this one).
ARTICLE_CSS = "screens/article_screen.tcss"
#: The progress of a scan is shown at most this often.
PROGRESS_SECONDS = 0.1


_INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


def _freeze_long_lived_objects() -> None:
    """Keep the cyclic garbage collector from walking the library's objects again.

    A library of 100,000 variants is over a million objects that live as long as the app;
    every full collection would walk them all (100-300 ms, on whichever thread it
    happens, the UI's included). Frozen, they are left alone; reference counting still
    frees them when a refresh replaces them. The price: whatever else is alive at that
    moment is never freed by the cycle collector either (a few screens at most).
    """
    import gc

    gc.freeze()


class ReaderApp(App[None]):
    """Polyglot Reader's terminal UI.

    Args:
        library: The library to read (not yet scanned is fine: the app scans it in a
            worker and draws the first screen at once).
        userdata: Bookmarks, notes and reading state.
        config: The user's configuration.
        languages: Preferred languages in order (``--lang`` first, then ``config.toml``).
        open_key: Open this article as soon as the library is known.
    """

    HELP_SECTION = "Everywhere"

    TITLE = "Polyglot Reader"
    # The screens' rules belong to the app: a screen with a CSS_PATH of its own makes
    # Textual re-parse the whole stylesheet when it is first shown (on `enter`). The
    # Article screen's are added just after the first paint (see load_article_css).
    CSS_PATH = ["app.tcss", "screens/library_screen.tcss"]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_article_commands}

    BINDINGS = [
        Binding("question_mark", "help", "Help", tooltip="this help", id="app.help"),
        Binding("B", "bookmarks", "Bookmarks", tooltip="bookmarks", id="app.bookmarks"),
        Binding("A", "notes", "Notes", tooltip="notes", id="app.notes"),
        Binding(
            "W",
            "words",
            "Words",
            show=False,
            tooltip="your word list (with each word's sentence and translation)",
            id="app.words",
        ),
        Binding(
            "s",
            "search",
            "Search",
            tooltip="search every variant in every language (lang:el: Greek only)",
            id="app.search",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            tooltip="command palette: actions, themes, jump to an article",
            id="app.palette",
        ),
    ]

    def __init__(
        self,
        library: Library,
        userdata: UserData,
        *,
        config: Config | None = None,
        languages: Iterable[str] = (),
        open_key: str | None = None,
        open_language: str | None = None,
        import_library: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.import_library = import_library
        self.userdata = userdata
        self.config = config or Config()
        preferred = list(dict.fromkeys([*languages, *self.config.languages]))
        #: What the screens are handed: the languages in order (never empty), the
        #: reading width, and who puts right-to-left lines in display order.
        self.preferences = Preferences(
            languages=preferred or ["en"],
            reading_width=self.config.reading_width,
            bidi_mode=resolve_mode(self.config.bidi, os.environ),
        )
        self.open_key = open_key
        self.open_language = open_language
        self.scanning = False
        self._rescan_after_scan = False
        self._open_after_scan: str | None = None
        self._theme_restored = False
        self._warmed_up = False
        self._article_css_loaded = False
        self._last_input = 0.0
        self._switch_interval: float | None = None
        #: The user's ``[keys]`` (binding id -> keys): as given until checked, then
        #: only the entries that name a binding and a key.
        self.keymap: dict[str, str] = dict(self.config.keys)
        self._catalog_problems_told: set[str] = set()

    # -- start-up -----------------------------------------------------------------------

    def on_mount(self) -> None:
        # Workers load and refresh the library while keys arrive. A thread waiting for the
        # interpreter gets it after the switch interval (5 ms by default), and answering a
        # key takes several turns (read it, handle it, write the screen): 1 ms keeps
        # those turns short. Given back when the app ends (see on_unmount): it is the
        # whole process's setting.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        theme = self.config.theme or self.userdata.state.ui("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        self._theme_restored = True
        if self.config.keys:
            # Applied at once so that the first key pressed obeys it; checked against
            # the bindings (which imports every screen) just after the first paint.
            self.set_keymap(self.keymap)
            self.call_after_refresh(self._check_keymap)
        for problem in self.config.key_problems:
            self.notify(f"config.toml: {problem}", severity="warning", timeout=10)
        # Reading three files to check them can wait until the first screen is up, and
        # so can parsing the rules of a screen not shown yet.
        self.call_after_refresh(self._report_userdata_problems)
        self.call_after_refresh(self.load_article_css)
        if self.library.scanned:
            self._library_ready()
        else:
            self.scanning = True
            if self.open_key is not None and self.library.article(self.open_key) is not None:
                # `--open KEY`: the catalog has the article; no need to wait for the rest.
                key, self.open_key = self.open_key, None
                self.open_article(key, self.open_language)
            # After the first frame: the worker's Python work competes for the GIL.
            self.call_after_refresh(self.scan_library)

    def on_unmount(self) -> None:
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    def _check_keymap(self) -> None:
        """Keep only the ``[keys]`` entries that name a binding and a key; say what is off."""
        from reader.tui.keymap import check_keymap

        usable, problems = check_keymap(self.config.keys)
        if usable != self.keymap:
            self.keymap = usable
            self.set_keymap(usable)
        for problem in problems:
            self.notify(f"config.toml: {problem}", severity="warning", timeout=10)

    def load_article_css(self) -> None:
        """Add the Article screen's rules to the stylesheet (once).

        Parsing them is ~15 ms of the first paint if done with the app's own CSS, so it
        is done right after it (or when an article opens first). They all start with
        ``ArticleScreen``: no widget already on screen needs its styles applied again.
        """
        if self._article_css_loaded:
            return
        self._article_css_loaded = True
        self.stylesheet.read(Path(__file__).parent / ARTICLE_CSS)
        self.stylesheet.parse()

    def get_default_screen(self) -> Screen[Any]:
        """The Library screen is the bottom of the stack (one screen fewer to draw at start)."""
        from reader.tui.screens.library_screen import LibraryScreen

        return LibraryScreen(self.library, self.userdata, self.preferences)

    # Not exclusive: `scanning` keeps scans apart, and a rescan asked for while one ran
    # starts from its last call (_scan_finished); an exclusive worker would cancel the
    # scan that is handing over its result.
    @work(thread=True, group="scan")
    def scan_library(self) -> None:
        """Show the catalog's view at once, then bring it up to date, in a thread.

        The Library screen shows progress meanwhile and stays usable: this work pauses
        whenever the user presses a key (see :meth:`yield_to_input`).
        """
        library = self.library
        from reader.tui.rows import library_rows

        self._warm_up()
        if not library.scanned and library.load_cached(self.yield_to_input):
            rows = library_rows(
                library, self.userdata, self.preferences.languages, self.yield_to_input
            )
            library.languages()  # counted here, not on the interface's thread
            _freeze_long_lived_objects()
            self.call_from_thread(self._library_ready, rows)

        shown = 0.0

        def progress(done: int, total: int, path: str) -> None:
            nonlocal shown
            self.yield_to_input()
            now = time.monotonic()
            if now - shown >= PROGRESS_SECONDS:
                shown = now
                self.call_from_thread(self._scan_progress, done, total)

        try:
            report = library.refresh(progress)
        except Exception as error:
            self.call_from_thread(self._scan_failed, str(error))
            return
        finally:
            self.call_from_thread(self._tell_catalog_problem)
        changes = report.read + report.removed
        new_rows: list[ArticleRow] | None = None
        if changes or self.open_key is not None:
            new_rows = library_rows(
                library, self.userdata, self.preferences.languages, self.yield_to_input
            )
        library.languages()
        _freeze_long_lived_objects()
        self.call_from_thread(self._scan_finished, new_rows)

    def _warm_up(self) -> None:
        """Pay first-use costs in the worker, before the first `enter` needs them: the
        Markdown parser (~45 ms), TOML front matter, the plain-text page module, the
        Article screen's modules and Textual's scroll bars (~8 ms of `enter` together)."""
        if self._warmed_up:
            return
        self._warmed_up = True
        import textual.scrollbar  # noqa: F401

        from reader.library import text_page  # noqa: F401
        from reader.library.markdown_page import parse_markdown_page
        from reader.tui.screens import article_screen  # noqa: F401
        from reader.tui.widgets import blocks  # noqa: F401

        parse_markdown_page('+++\ntitle = "warm-up"\n+++\n# warm-up\n\n*text*\n')
        if any(tag.split("-")[0] in ("zh", "ja", "yue") for tag in self.preferences.languages):
            # ICU breaks CJK lines; loading it takes 25-90 ms, better here than on `enter`.
            from reader.text.linebreak import line_offsets

            line_offsets("中文，日本語。", 8, self.preferences.languages[0])

    def yield_to_input(self) -> None:
        """Wait while the user is pressing keys; background work calls this now and then.

        Python runs one thread at a time: a worker building 100,000 variants would make
        every key wait for its turn. Pausing the worker for a moment after each key or
        click gives the interface the whole interpreter (at most :data:`MAX_PAUSE_SECONDS`
        at a time, so that holding a key down never stops the work for good).
        """
        paused = 0.0
        while time.monotonic() - self._last_input < INPUT_QUIET_SECONDS:
            if paused >= MAX_PAUSE_SECONDS:
                return
            time.sleep(PAUSE_STEP_SECONDS)
            paused += PAUSE_STEP_SECONDS

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _INPUT_EVENTS):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _scan_progress(self, done: int, total: int) -> None:
        screen = self.library_screen
        if screen is not None:
            screen.show_progress(done, total)

    def _tell_catalog_problem(self) -> None:
        """Say once what is wrong with the catalog cache (the library works all the same:
        rebuilt, or read into memory)."""
        problem = self.library.catalog_problem
        if problem is not None and problem not in self._catalog_problems_told:
            self._catalog_problems_told.add(problem)
            from reader.sanitize import clean_line

            message = clean_line(problem[0].upper() + problem[1:] + ".")
            self.notify(message, severity="warning", timeout=10, markup=False)

    def _scan_failed(self, message: str) -> None:
        self.scanning = False
        self._open_after_scan = None
        self.notify(f"Could not read the library: {message}", severity="error", markup=False)

    def _scan_finished(self, rows: list[ArticleRow] | None) -> None:
        self.scanning = False
        if self._rescan_after_scan:  # files arrived (a feed refresh) while it ran
            self._rescan_after_scan = False
            self.rescan()
        if rows is not None:
            self._library_ready(rows)
        else:
            self.show_library_status()
        if self._open_after_scan is not None and not self.scanning:
            key, self._open_after_scan = self._open_after_scan, None
            self.open_article(key)

    def _library_ready(self, rows: list[ArticleRow] | None = None) -> None:
        screen = self.library_screen
        if screen is not None:
            screen.reload(rows, scanning=self.scanning)
        if self.open_key is not None:
            key, self.open_key = self.open_key, None
            if self.library.article(key) is None:
                self.notify(f"No article with key {key!r}.", severity="error", markup=False)
            else:
                self.open_article(key, self.open_language)

    @property
    def library_screen(self) -> LibraryScreen | None:
        """The Library screen, wherever it is on the stack."""
        from reader.tui.screens.library_screen import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                return screen
        return None

    def show_library_status(self) -> None:
        """Show the library's totals in the Library's status line (and whether a scan
        is still checking for changes)."""
        screen = self.library_screen
        if screen is not None:
            screen.show_status(scanning=self.scanning)

    def _report_userdata_problems(self) -> None:
        for problem in self.userdata.problems():
            self.report_userdata_error(problem)

    def report_userdata_error(self, error: UserDataError) -> None:
        """Tell the user an app-written file is broken and offer to move it aside."""
        from reader.tui.modals.confirm_screen import ConfirmScreen

        def answer(move: bool | None) -> None:
            if move:
                try:
                    new_path = self._store_of(error.path).move_aside()
                except OSError as failure:
                    self.notify(f"Could not move it: {failure.strerror}", severity="error")
                else:
                    self.notify(f"Moved to {new_path.name}; a fresh file starts on next save.")

        self.push_screen(
            ConfirmScreen(
                f"{error}\n\nUntil then it is read-only: the reader never overwrites it.",
                yes="Move it aside",
                no="Keep read-only",
            ),
            answer,
        )

    def _store_of(self, path: Path) -> Any:
        """The user-data object (bookmarks, notes, state, words, feeds…) whose file is ``path``."""
        userdata = self.userdata
        parts = (userdata.bookmarks, userdata.notes, userdata.state, userdata.words)
        feeds = (userdata.feeds, userdata.feed_state, userdata.new_marks)
        for part in (*parts, *feeds):
            if part.path == path:
                return part
        raise OSError(0, f"unknown file {path.name}")

    # -- navigation ---------------------------------------------------------------------

    def on_open_article(self, message: OpenArticle) -> None:
        """A screen asked to open an article."""
        self.open_article(message.key, message.language, message.paragraph)

    def open_article(
        self, key: str, language: str | None = None, paragraph: int | None = None
    ) -> None:
        """Show an article, optionally in a language at a paragraph."""
        from reader.tui.screens.article_screen import ArticleScreen

        article = self.library.article(key)  # from the catalog while the library loads
        if article is None and not self.library.scanned:
            # Not in the catalog yet (a first index is running): open it once it is found.
            self.open_key, self.open_language = key, language
            self.notify("Opening as soon as the library is loaded…")
            return
        if article is None:
            self.notify(
                f"That article is no longer in the library ({key}).", severity="error", markup=False
            )
            return
        self.load_article_css()
        self.push_screen(
            ArticleScreen(
                key,
                library=self.library,
                userdata=self.userdata,
                preferences=self.preferences,
                language=language,
                paragraph=paragraph,
            )
        )
        try:
            self.userdata.new_marks.clear(key)  # read now: no longer new
        except UserDataError as error:
            self.notify(str(error), severity="error", markup=False)

    def action_help(self) -> None:
        """Show the help screen."""
        from reader.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap, self.userdata.config_dir, self.library.roots))

    def action_bookmarks(self) -> None:
        """Show the bookmarks."""
        from reader.tui.screens.bookmarks_screen import BookmarksScreen

        if not isinstance(self.screen, BookmarksScreen):
            self.push_screen(BookmarksScreen(self.library, self.userdata))

    def action_notes(self) -> None:
        """Show the notes."""
        from reader.tui.screens.notes_screen import NotesScreen

        if not isinstance(self.screen, NotesScreen):
            self.push_screen(NotesScreen(self.library, self.userdata))

    def action_words(self) -> None:
        """Show the word list."""
        from reader.tui.screens.words_screen import WordsScreen

        if not isinstance(self.screen, WordsScreen):
            self.push_screen(WordsScreen(self.userdata))

    def action_search(self, query: str = "") -> None:
        """Search every language."""
        from reader.tui.screens.search_screen import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.library, query))

    def action_problems(self) -> None:
        """Show the files that were skipped or degraded."""
        from reader.tui.screens.problems_screen import ProblemsScreen

        if not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.library))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Search all languages", "Full-text search in every script", self.action_search
        )
        yield SystemCommand("Bookmarks", "Every bookmark, in every language", self.action_bookmarks)
        yield SystemCommand("Notes", "Every note, with the text it is about", self.action_notes)
        yield SystemCommand("Help", "Keys and where your files are", self.action_help)
        yield SystemCommand("Problems", "Files skipped or degraded, and why", self.action_problems)
        yield SystemCommand("Rescan library", "Read the library directory again", self.rescan)
        yield SystemCommand(
            "Add article from URL",
            "Import a web page with all its languages (+)",
            self.action_add_article,
        )
        yield SystemCommand(
            "Refresh feeds", "Import new articles from every feed (R)", self.refresh_feeds
        )

    def action_refresh_feeds(self) -> None:
        """Refresh every feed (``R`` in the Library)."""
        self.refresh_feeds()

    @work(thread=True, exclusive=True, group="feeds")
    def refresh_feeds(self) -> None:
        """Refresh every feed in a thread, with progress in the Library's status line."""
        from reader.tui.feeds import refresh_feeds

        refresh_feeds(self, self)

    def rescan(self) -> None:
        """Scan the library again (files added, changed or removed); if a scan is
        running, once more after it."""
        if self.scanning:
            self._rescan_after_scan = True
        else:
            self.scanning = True
            self.scan_library()

    def action_add_article(self) -> None:
        """Ask for a URL and import the page with its language variants."""
        from reader.paths import resolve_imported_library
        from reader.tui.modals.add_article_screen import AddArticleScreen

        if isinstance(self.screen, AddArticleScreen):
            return

        def added(key: str | None) -> None:
            if key is None:
                return
            if self.scanning:
                self._open_after_scan = key
                self.notify("Opening as soon as the library is loaded…")
            else:
                self.open_article(key)

        target = self.import_library or resolve_imported_library()
        self.push_screen(AddArticleScreen(target, self.library.roots, self.rescan), added)

    def watch_theme(self, theme: str) -> None:
        if self._theme_restored and self.userdata.state.ui("theme") != theme:
            try:
                self.userdata.state.set_ui("theme", theme)
            except UserDataError as error:
                self.notify(str(error), severity="error", markup=False)

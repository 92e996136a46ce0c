"""Add an article from the web: a URL prompt that shows the import's progress.

The import (:func:`reader.sources.importer.import_article`) runs in a thread worker of
the app, so that closing this modal does not stop it and the interface never waits for
the network; each variant fetched or skipped is a line here. When it is done the
library is rescanned and ``enter`` opens the new article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.sanitize import clean_line, clean_path, safe_link
from reader.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from reader.sources.importer import ImportResult

#: Progress lines kept on screen (the newest).
MAX_LINES = 12


class AddArticleScreen(ModalScreen[str | None]):
    """Ask for a URL, import it with its language variants, offer to open it.

    Dismisses with the article key to open, or ``None``.

    Args:
        target: The library directory to write into.
        library_roots: The directories of the library read (an article added elsewhere
            is not in it).
        rescan: Scans the library again (called when an article was added).
    """

    HELP_SECTION = "Add article"

    DEFAULT_CSS = """
    AddArticleScreen { align: center middle; }
    AddArticleScreen > Vertical {
        width: 96; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    AddArticleScreen #add-help { color: $text-muted; height: auto; }
    AddArticleScreen #add-log { height: auto; margin-top: 1; }
    AddArticleScreen #add-result { height: auto; margin-top: 1; text-style: bold; }
    AddArticleScreen #add-result.error { color: $error; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="close (an import goes on)", id="add.close"),
    ]

    def __init__(
        self, target: Path, library_roots: Iterable[Path], rescan: Callable[[], None]
    ) -> None:
        super().__init__()
        self.target = target
        self.library_roots = list(library_roots)
        self.rescan = rescan
        self.running = False
        self.added_key: str | None = None
        self._lines: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Add article from URL"
            frame.border_subtitle = "enter add · escape close"
            yield Static(
                Content(
                    "The page and every language it links to (same site) are imported into "
                    f"{clean_path(str(self.target))}."
                ),
                id="add-help",
            )
            yield Input(placeholder="https://…", id="add-url")
            yield Static("", id="add-log")
            yield Static("", id="add-result")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#add-url")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        url = event.value.strip()
        if self.added_key is not None and url == self._last_url:
            self.dismiss(self.added_key)  # enter again: open what was added
            return
        if not url:
            return
        if safe_link(url) is None:
            self._result("Only http:// and https:// addresses can be added.", error=True)
            return
        self.start(url)

    _last_url = ""
    _reader: App[Any]

    def start(self, url: str) -> None:
        """Import ``url`` in a worker of the app."""
        self.running = True
        self.added_key = None
        self._last_url = url
        self._lines = []
        self.query_one(Vertical).border_subtitle = "enter add · escape close"
        self.query_one("#add-log", Static).update("")
        self._result(f"Fetching {clean_line(url, visible=True)}…")
        self.query_one(Input).disabled = True
        app = self._reader = self.app
        target = self.target

        def run() -> None:
            from textual.worker import get_current_worker

            from reader.sources.fetch import FetchError
            from reader.sources.importer import import_article

            worker = get_current_worker()

            def progress(line: str) -> None:
                app.call_from_thread(self.progress, line)

            try:
                # Quitting the reader cancels the worker: the import stops at once.
                result = import_article(
                    url, target, progress=progress, cancelled=lambda: worker.is_cancelled
                )
            except FetchError as error:
                if worker.is_cancelled:
                    return  # the app is going away: nothing to show
                app.call_from_thread(self.finished, None, str(error))
            except Exception as error:  # one bad page never stops the app
                app.call_from_thread(self.finished, None, f"{type(error).__name__}: {error}")
            else:
                app.call_from_thread(self.finished, result, None)

        app.run_worker(run, thread=True, group="import", exclusive=True, name="import")

    def progress(self, line: str) -> None:
        """One variant fetched or skipped."""
        self._lines.append(clean_line(line))
        if self.is_attached:
            shown = self._lines[-MAX_LINES:]
            self.query_one("#add-log", Static).update(Content("\n".join(shown)))

    def finished(self, result: ImportResult | None, error: str | None) -> None:
        """The import ended: rescan, and say what happened (here, or as a notice)."""
        self.running = False
        app = self._reader
        if result is None:
            message = clean_line(error or "failed")
            if self.is_attached:
                self._result(message, error=True)
                self.query_one(Input).disabled = False
                self.query_one(Input).focus()
            else:
                app.notify(message, title="Not added", severity="error", markup=False)
            return
        self.rescan()
        count = len(result.languages)
        summary = (
            f"Added {clean_line(result.key, visible=True)}: {count} language"
            f"{'s' if count != 1 else ''} ({' '.join(result.languages)})"
        )
        if result.skipped:
            summary += (
                f", {len(result.skipped)} link{'s' if len(result.skipped) != 1 else ''} skipped"
            )
        visible = any(_same(self.target, root) for root in self.library_roots)
        if visible:
            self.added_key = result.key
            hint = " · enter opens it"
        else:
            hint = " · this session reads other libraries (--library): it shows without them"
        if self.is_attached:
            self._result(summary + hint)
            if visible:
                self.query_one(Vertical).border_subtitle = "enter open · escape close"
            field = self.query_one(Input)
            field.disabled = False
            field.focus()
        else:
            app.notify(summary, title="Article added", markup=False)

    def _result(self, text: str, *, error: bool = False) -> None:
        result = self.query_one("#add-result", Static)
        result.update(Content(text))
        result.set_class(error, "error")

    def action_close(self) -> None:
        self.dismiss(None)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False

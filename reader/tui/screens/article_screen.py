"""The Article screen: one variant (or two side by side), formatted, with its language
bar, marks, find and progress.

The *current paragraph* is the topmost paragraph in view; it is marked in the margin and
is what ``b`` bookmarks, ``a`` annotates and a language switch keeps.

The *current sentence* (moved with ``)`` and ``(``, shown from the first press on) is a
sentence of the current paragraph, highlighted; side by side, the sentences that
translate it are highlighted too (``reader.text.parallel``). While it is in view, its
paragraph stays the current one. ``v`` cycles side by side -> sentence pairs (each
sentence followed by its translation) -> one language. A language switch keeps the
paragraph and the sentence, through the paragraph alignment where the counts differ.
"""

from __future__ import annotations

from textual import work

from reader.sanitize import clean_line
from reader.tui.browser import open_in_browser
from reader.tui.screens.article_find import FindActions
from reader.tui.screens.article_keys import ARTICLE_BINDINGS
from reader.tui.screens.article_languages import LanguageActions
from reader.tui.screens.article_marking import MarkingActions


class ArticleScreen(FindActions, MarkingActions, LanguageActions):
    """Read one article, in one language or two side by side.

    What it shows and how it moves is :class:`~reader.tui.screens.article_reading.ArticleReading`;
    the keys' actions come from the classes it is made of (find, marks, languages).
    """

    HELP_SECTION = "Article"

    BINDINGS = ARTICLE_BINDINGS

    # -- the web page it came from -------------------------------------------------------

    def action_open_source(self) -> None:
        """Open the variant's ``source`` in the browser (http and https only)."""
        from reader.sanitize import safe_link

        source = self.document.source if self.document else None
        if not source:
            self.notify("This article has no web address (no source).", markup=False)
            return
        url = safe_link(source)
        if url is None:
            shown = clean_line(source, visible=True)[:80]
            self.notify(f"Not opened: only http and https links are ({shown}).", markup=False)
            return
        self.notify(f"Opening {clean_line(url, visible=True)[:80]}…", markup=False)
        self._open_in_browser(url)

    @work(thread=True, exclusive=True, group="browser")
    def _open_in_browser(self, url: str) -> None:
        # In a thread: webbrowser may start a process and wait for it.
        if not open_in_browser(url):
            self.app.call_from_thread(self._no_browser, url)

    def _no_browser(self, url: str) -> None:
        self.app.copy_to_clipboard(url)
        self.notify(
            "No graphical web browser found; the address is copied to the clipboard.",
            severity="warning",
            markup=False,
        )

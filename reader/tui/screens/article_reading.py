"""The Article screen's core: the article read, its body, header and status line, the
loading of variants and the moves through the text.

:class:`ArticleReading` holds what the screen shows; the languages, marks and find
actions build on it (``article_languages.py``, ``article_marks.py``,
``article_find.py``) and :class:`reader.tui.screens.article_screen.ArticleScreen` gathers them
with the keys. The body widget (``article_body.py``) keeps the place in the text.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from reader.languages import endonym
from reader.library import Article, Document
from reader.sanitize import clean_line
from reader.text.parallel import ParallelText
from reader.tui.article_marks import ArticleMarks
from reader.tui.article_variants import (
    Loaded,
    Switch,
    default_right_language,
    read_variants,
    readable_now,
)
from reader.tui.find_bar import FindState, find_matches
from reader.tui.widgets.article_body import ArticleBody
from reader.tui.widgets.article_header import header_visual
from reader.tui.widgets.body_layout import SIDE_BY_SIDE_MIN_WIDTH, compose_body
from reader.tui.widgets.key_bar import KeyBar
from reader.userdata import UserDataError

if TYPE_CHECKING:
    from reader.library import Library
    from reader.tui.preferences import Preferences
    from reader.userdata import UserData


class ArticleReading(Screen[None]):
    """Read one article, in one language or two side by side (without the keys).

    Args:
        key: The article's key.
        library: The library it is in (read again on each use: a rescan may change it).
        userdata: Where the place, bookmarks, notes and words are kept.
        preferences: The languages in order, the reading width, the bidi mode.
        language: Open in this language (else where the reader left off, else the first
            preferred one).
        paragraph: Open at this paragraph.
    """

    def __init__(
        self,
        key: str,
        *,
        library: Library,
        userdata: UserData,
        preferences: Preferences,
        language: str | None = None,
        paragraph: int | None = None,
    ):
        super().__init__()
        self.key = key
        self.library = library
        self.userdata = userdata
        self.preferences = preferences
        self.requested_language = language
        self.requested_paragraph = paragraph
        self.language: str | None = None
        self.document: Document | None = None
        self.parallel = False
        #: Sentence pairs (each sentence followed by its translation) instead of rows.
        self.sentence_mode = False
        self.right_language: str | None = None
        self.right_document: Document | None = None
        self.find = FindState()
        self._token = 0
        self._error: str | None = None
        self._interleaved = False
        self._composed_at: int | None = None
        self._first: tuple[str, int] | None = None
        self._gone = False
        self._loaded_parallel: ParallelText | None = None
        self._body = ArticleBody(id="body")
        self.marks = ArticleMarks(userdata, key)

    @property
    def body(self) -> ArticleBody:
        """The scrolling body."""
        return self._body

    @property
    def current_paragraph(self) -> int:
        """The topmost paragraph in view, or the one gone to (see :class:`ArticleBody`)."""
        return self._body.current_paragraph

    @property
    def current_sentence(self) -> int:
        """The current sentence's number within the current paragraph."""
        return self._body.current_sentence

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        article = self.article
        body: list[Widget] = []
        self._composed_at = None
        # Asked once, here: a missing language is reported once, whether the page is
        # composed now or read in a worker after mounting. ``None``: the article was
        # removed since it was chosen, and on_mount goes back.
        self._first = None if article is None else self._first_request(article)
        if article is not None and self._first is not None:
            language, paragraph = self._first
            if readable_now(article, language, None):
                # Composed with the screen, the text is in its very first paint.
                self._take(self._read(self._token, article, language, paragraph, None))
                body = self._body_widgets()
                self._composed_at = paragraph
        # Title, details and language bar: one widget of three lines (three widgets cost
        # ~5 % more to open an article).
        yield Static("", id="article-header", markup=False)
        with self._body:
            yield from body
        # The find bar (an Input) is mounted here on the first `/`.
        yield Static("", id="article-status", markup=False)
        yield KeyBar()

    @property
    def article(self) -> Article | None:
        """The article as the library has it now: a rescan may have changed its variants
        since the screen opened, or removed it (``None``)."""
        return self.library.article(self.key)

    def _article_or_leave(self) -> Article | None:
        """The article, or ``None`` after saying that it is gone and going back.

        What was read stays on screen while the reader only scrolls; anything that needs
        the article's variants (a language, side by side, a reload) ends here.
        """
        article = self.article
        if article is None:
            self._leave_gone()
        return article

    def _leave_gone(self) -> None:
        if not self._gone:
            self._gone = True
            self.notify(
                f"This article is no longer in the library ({clean_line(self.key, visible=True)}).",
                severity="warning",
                markup=False,
            )
        if self.is_current:
            self.dismiss()
        # Otherwise a modal or another screen is on top: leave when this one is back.

    def on_screen_resume(self) -> None:
        if self._gone:
            self.dismiss()

    def on_mount(self) -> None:
        body = self.body
        body.can_focus = True
        body.focus()
        self.watch(body, "scroll_y", self._scrolled, init=False)
        # The percentage depends on the laid-out height, known only after layout.
        self.watch(body, "virtual_size", self._laid_out, init=False)
        if self._first is None:
            self._leave_gone()
        elif self._composed_at is not None:
            self._after_body(self._composed_at)
        else:
            self.load_variant(*self._first)

    def _first_request(self, article: Article) -> tuple[str, int]:
        """The language and paragraph to open at: as asked, else where the reader left
        off, else the first preferred language at the top."""
        language = self.requested_language
        paragraph = self.requested_paragraph
        saved = self.userdata.state.position(self.key)
        if saved is not None and language is None and saved[0] in article.variants:
            language = saved[0]
            if paragraph is None:
                paragraph = saved[1]
        elif saved is not None and paragraph is None:
            # Asked for a language (`--open KEY --lang en`): it wins, and the place the
            # reader left off still counts (variants are parallel paragraph by paragraph).
            paragraph = saved[1]
        if language is None or language not in article.variants:
            if language is not None:
                self.notify(f"No {language} variant; showing another language.")
            language = self.preferences.language_for(article)
        return language, paragraph or 0

    # -- loading ------------------------------------------------------------------------

    def load_variant(
        self,
        language: str,
        paragraph: int,
        right: str | None = None,
        switch: Switch | None = None,
    ) -> None:
        """Read the variant in ``language`` (and ``right`` when side by side) and show it
        at ``paragraph`` (or, after a language switch, where ``switch`` was).

        Pages of up to :data:`READ_NOW_BYTES` are read and drawn at once (a few
        milliseconds: one paint with the text instead of an empty screen first); larger
        ones in a worker, where a newer request makes an older one's result stale.
        """
        article = self._article_or_leave()
        if article is None:
            return
        if language not in article.variants:
            # A rescan removed this variant, the article is still there.
            fallback = self.preferences.language_for(article)
            self.notify(
                f"The {endonym(language)} variant is no longer in the library; "
                f"showing {endonym(fallback)}.",
                markup=False,
            )
            language = fallback
        self._token += 1
        right = right if self.parallel else None
        if right is not None and (right not in article.variants or right == language):
            right = self._default_right_language(article, language)
            if right is None:
                self.parallel = False
        if readable_now(article, language, right):
            self._show(self._read(self._token, article, language, paragraph, right, switch))
        else:
            self._load(self._token, article, language, paragraph, right, switch)

    def _default_right_language(self, article: Article, left: str | None) -> str | None:
        return default_right_language(article, left, self.preferences.languages)

    @work(thread=True, exclusive=True, group="article-load")
    def _load(
        self,
        token: int,
        article: Article,
        language: str,
        paragraph: int,
        right: str | None,
        switch: Switch | None = None,
    ) -> None:
        loaded = self._read(token, article, language, paragraph, right, switch)
        self.app.call_from_thread(self._show_loaded, loaded)

    def _read(
        self,
        token: int,
        article: Article,
        language: str,
        paragraph: int,
        right: str | None,
        switch: Switch | None = None,
    ) -> Loaded:
        return read_variants(
            self.library,
            token,
            article,
            language,
            paragraph,
            right,
            switch,
            width=self.preferences.reading_width,
        )

    def _show_loaded(self, loaded: Loaded) -> None:
        """Show what the worker read, unless a newer request came or the screen closed."""
        if loaded.token == self._token and self.is_mounted:
            self._show(loaded)

    def _show(self, loaded: Loaded) -> None:
        sentence = loaded.sentence
        if not loaded.switched and (loaded.language, loaded.paragraph) == (
            self.language,
            self.current_paragraph,
        ):
            sentence = self.current_sentence  # the same text in another view: same place
        self._take(loaded)
        if loaded.switched:
            with suppress(UserDataError, OSError):
                self.userdata.state.set_position(self.key, loaded.language, loaded.paragraph)
        self._render_body(loaded.paragraph, sentence)

    def _take(self, loaded: Loaded) -> None:
        self.language = loaded.language
        self.document = loaded.document
        self.right_language = loaded.right_language
        self.right_document = loaded.right_document
        self._loaded_parallel = loaded.parallel
        self._error = loaded.error

    def _render_body(self, paragraph: int, sentence: int = 0) -> None:
        body = self.body
        body.remove_children()
        body.mount_all(self._body_widgets())
        self._after_body(paragraph, sentence)

    def _body_widgets(self) -> list[Widget]:
        """The body's widgets for the document(s) taken; the body keeps their layout."""
        preferences = self.preferences
        layout = compose_body(
            self.document,
            self._error,
            self.right_document if self.parallel else None,
            language=self.language,
            right_language=self.right_language,
            width=preferences.reading_width,
            reorder=preferences.reorder,
            narrow=self.size.width < SIDE_BY_SIDE_MIN_WIDTH,
            sentence_mode=self.sentence_mode,
            parallel=self._loaded_parallel,
        )
        self.body.take_layout(layout, self.language or "", sentence_mode=self.sentence_mode)
        if self.document is not None:
            self._interleaved = layout.interleaved
        return layout.widgets

    def _after_body(self, paragraph: int, sentence: int = 0) -> None:
        """Header, marks, find and status for a new body, then scroll to ``paragraph``
        (and to ``sentence`` of it, when the current sentence is shown)."""
        article = self._article_or_leave()
        if article is None:
            return
        self._refresh_header(article)
        self._refresh_marks()
        if self.find.query:
            self._run_find(self.find.query, jump=False)
        body = self.body
        target = min(paragraph, max(0, len(body.composed.paragraphs) - 1))
        body.current_paragraph = target
        body.mark_current()
        # Held from now: the old body's removal may scroll to the top before the new one
        # is laid out, and a key pressed meanwhile must still act on this paragraph.
        body.held = target
        body.current_sentence = max(0, min(sentence, body.sentence_count(target) - 1))
        self._refresh_status()
        self.call_after_refresh(self._go_to_paragraph, target, body.current_sentence)

    def on_resize(self, event: Resize) -> None:
        if self.parallel and self.right_document is not None:
            narrow = event.size.width < SIDE_BY_SIDE_MIN_WIDTH
            if narrow != self._interleaved:
                self._render_body(self.current_paragraph)

    def _go_to_paragraph(self, index: int, sentence: int = 0) -> None:
        self.body.go_to_paragraph(index, sentence)
        self._refresh_status()

    def _laid_out(self, _size: object) -> None:
        """The body's height changed: keep the paragraph scrolled to at the top, once the
        rows have their new places (after this paint; the size is known first)."""
        if self.body.held is not None:
            self.call_after_refresh(self.body.keep_held)
        self._refresh_status()

    # -- header, marks and status -------------------------------------------------------

    def _refresh_header(self, article: Article) -> None:
        self.query_one("#article-header", Static).update(
            header_visual(
                article,
                self.document,
                self.language or "",
                parallel=self.parallel,
                right_language=self.right_language,
                right_document=self.right_document,
                languages=self.preferences.languages_for(article),
                reorder=self.preferences.reorder,
            )
        )

    def _refresh_marks(self) -> None:
        notes = self.marks.reload()
        self.body.show_marks(
            self.body.composed,
            self.marks.bookmarked,
            notes,
            reorder=self.preferences.reorder,
            max_width=None if self.parallel else self.preferences.reading_width,
        )
        self.call_after_refresh(self.body.measure)
        self._refresh_status()

    def _refresh_status(self) -> None:
        body = self.body
        total = len(body.composed.paragraphs)
        percent = 100 if body.max_scroll_y == 0 else round(100 * body.scroll_y / body.max_scroll_y)
        current = self.current_paragraph
        parts = [f"¶ {current + 1}/{total} · {min(100, percent)}%"] if total else []
        if total and body.sentence_cursor:
            count = body.sentence_count(current)
            if count:
                parts.append(f"sentence {self.current_sentence + 1}/{count}")
        parts.extend(self.marks.status(current))
        if self.parallel and self.right_language:
            view = "sentence pairs" if self.sentence_mode else "side by side"
            parts.append(f"{view}: {self.language} | {self.right_language}")
        if self.find.query:
            found = len(self.find.matches)
            parts.append(
                f"find “{clean_line(self.find.query)}”: "
                + (f"{self.find.current + 1}/{found}" if found else "no match")
            )
        # One line of fixed height and width: no layout pass for new text.
        self.query_one("#article-status", Static).update(" · ".join(parts), layout=False)

    def on_article_body_paragraph_changed(self, _event: ArticleBody.ParagraphChanged) -> None:
        self._refresh_status()

    def _scrolled(self, scroll_y: float) -> None:
        self.body.follow_scroll(scroll_y)
        # Always refresh: the percentage changes even within one paragraph.
        self._refresh_status()

    # -- find ---------------------------------------------------------------------------

    def _run_find(self, query: str, *, jump: bool) -> None:
        """Find ``query`` in the paragraphs shown and paint the matches; ``jump``: go to
        the first match from the current paragraph on."""
        find = self.find
        layout = self.body.composed
        find.query = query.strip()
        find.matches = find_matches(
            find.query,
            [
                (side, paragraph.index, paragraph.base_content.plain)
                for side, paragraphs in (
                    ("left", layout.paragraphs),
                    ("right", layout.right_paragraphs),
                )
                for paragraph in paragraphs
            ],
        )
        if jump:
            after = [i for i, m in enumerate(find.matches) if m[0] >= self.current_paragraph]
            find.current = after[0] if after else 0
        find.current = min(find.current, max(0, len(find.matches) - 1))
        self._paint_matches()
        if jump and find.matches:
            self._go_to_match()
        self._refresh_status()

    def _paint_matches(self) -> None:
        matches = self.find.matches
        self.body.paint_matches(matches, matches[self.find.current] if matches else None)

    def _go_to_match(self) -> None:
        """Scroll to the current match's paragraph (a right-hand match: to the left
        paragraph aligned with its own)."""
        index, side, _start, _end = self.find.matches[self.find.current]
        parallel = self.body.composed.parallel_text
        if side == "right" and parallel is not None:
            aligned = parallel.paragraph_counterpart(index, "right")
            index = aligned[0] if aligned else index
        self._go_to_paragraph(index)

    # -- moving -------------------------------------------------------------------------

    def on_unmount(self) -> None:
        self._save_position()

    def _save_position(self) -> None:
        if self.language is None:
            return
        # The state file is a convenience; a broken one was reported at start.
        with suppress(UserDataError, OSError):
            self.userdata.state.set_position(self.key, self.language, self.current_paragraph)

    def on_mouse_scroll_down(self) -> None:
        self.body.let_go()
        self._scrolled(self.body.scroll_y)  # the body scrolled before the event got here

    def on_mouse_scroll_up(self) -> None:
        self.body.let_go()
        self._scrolled(self.body.scroll_y)

    def action_scroll_lines(self, lines: int) -> None:
        self.body.let_go()
        body = self.body
        body.scroll_to(y=body.scroll_y + lines, animate=False, immediate=True)

    def action_page(self, pages: int) -> None:
        self.body.let_go()
        body = self.body
        step = max(1, body.scrollable_content_region.height - 2)
        body.scroll_to(y=body.scroll_y + pages * step, animate=False, immediate=True)

    def action_top(self) -> None:
        self.body.let_go()
        self.body.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self._go_to_paragraph(len(self.body.composed.paragraphs) - 1)

    def action_paragraph(self, step: int) -> None:
        total = len(self.body.composed.paragraphs)
        self._go_to_paragraph(max(0, min(total - 1, self.current_paragraph + step)))

    def action_sentence(self, step: int) -> None:
        """Move the current sentence by ``step`` (across paragraphs); the first press
        shows the current sentence where it is."""
        if not self.body.composed.paragraphs:
            return
        self.body.step_sentence(step)
        self._refresh_status()

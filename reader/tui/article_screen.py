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

from bisect import bisect_right
from collections import Counter
from contextlib import suppress

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from reader.languages import endonym
from reader.library import Article, Document
from reader.sanitize import clean, clean_line
from reader.text.parallel import ParallelText, SentenceRef
from reader.tui.article_body import (
    SENTENCE_STYLE,
    SIDE_BY_SIDE_MIN_WIDTH,
    ArticleBody,
    BodyLayout,
    Paragraph,
    Place,
    compose_body,
)
from reader.tui.article_header import header_visual
from reader.tui.article_variants import (
    Loaded,
    Switch,
    cycle_language,
    default_right_language,
    read_variants,
    readable_now,
    sentence_with_translation,
    switch_from,
)
from reader.tui.base import reader_app
from reader.tui.blocks import quote_of
from reader.tui.browser import open_in_browser
from reader.tui.find_bar import FIND_PLACEHOLDER, FindState, find_matches
from reader.tui.key_bar import KeyBar
from reader.userdata import UserDataError

#: Paints to wait for the body's layout before scrolling to a paragraph.
MAX_LAYOUT_WAITS = 20


class ArticleScreen(Screen[None]):
    """Read one article, in one language or two side by side."""

    HELP_SECTION = "Article"

    BINDINGS = [
        Binding("escape,q", "back", "Back", tooltip="back to the library", id="article.back"),
        Binding(
            "j,down",
            "scroll_lines(1)",
            "Down",
            show=False,
            tooltip="scroll a line down",
            id="article.down",
        ),
        Binding(
            "k,up",
            "scroll_lines(-1)",
            "Up",
            show=False,
            tooltip="scroll a line up",
            id="article.up",
        ),
        Binding(
            "space,pagedown",
            "page(1)",
            "Page down",
            show=False,
            tooltip="scroll a page down",
            id="article.page_down",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            show=False,
            tooltip="scroll a page up",
            id="article.page_up",
        ),
        Binding("g,home", "top", "Top", show=False, tooltip="top", id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, tooltip="bottom", id="article.bottom"),
        Binding(
            "J",
            "paragraph(1)",
            "Next ¶",
            show=False,
            tooltip="next paragraph",
            id="article.next_paragraph",
        ),
        Binding(
            "K",
            "paragraph(-1)",
            "Previous ¶",
            show=False,
            tooltip="previous paragraph",
            id="article.previous_paragraph",
        ),
        Binding(
            "right_parenthesis",
            "sentence(1)",
            "Next sentence",
            show=False,
            tooltip="next sentence, highlighted (side by side: with its translation)",
            id="article.next_sentence",
        ),
        Binding(
            "left_parenthesis",
            "sentence(-1)",
            "Previous sentence",
            show=False,
            tooltip="previous sentence",
            id="article.previous_sentence",
        ),
        Binding(
            "l",
            "pick_language",
            "Language [ ]",
            tooltip="language picker (flags incomplete translations)",
            id="article.language",
        ),
        Binding(
            "left_square_bracket",
            "cycle_language(-1)",
            "Prev lang",
            show=False,
            tooltip="previous language, same paragraph",
            id="article.prev_lang",
        ),
        Binding(
            "right_square_bracket",
            "cycle_language(1)",
            "Next lang",
            show=False,
            tooltip="next language, same paragraph",
            id="article.next_lang",
        ),
        Binding(
            "left_curly_bracket",
            "cycle_right(-1)",
            "Right ◂",
            show=False,
            tooltip="side by side: previous language on the right",
            id="article.right_prev",
        ),
        Binding(
            "right_curly_bracket",
            "cycle_right(1)",
            "Right ▸",
            show=False,
            tooltip="side by side: next language on the right",
            id="article.right_next",
        ),
        Binding(
            "L",
            "pick_right_language",
            "Right language",
            show=False,
            tooltip="side by side: pick the right-hand language",
            id="article.right_language",
        ),
        Binding(
            "p",
            "toggle_parallel",
            "Side by side",
            tooltip="side by side: two languages (interleaved below 100 columns)",
            id="article.parallel",
        ),
        Binding(
            "v",
            "cycle_view",
            "Sentences",
            show=False,
            tooltip="view: side by side -> sentence pairs -> one language",
            id="article.sentence_mode",
        ),
        Binding(
            "b",
            "toggle_bookmark",
            "Bookmark",
            tooltip="bookmark the current paragraph (again: remove)",
            id="article.bookmark",
        ),
        Binding(
            "a",
            "annotate",
            "Note",
            tooltip="note on the current paragraph (ctrl+s saves)",
            id="article.note",
        ),
        Binding(
            "w",
            "save_word",
            "Word",
            show=False,
            tooltip="save a word of the current sentence, with the sentence's translation",
            id="article.word",
        ),
        Binding("slash", "find", "Find", tooltip="find in the article", id="article.find"),
        Binding(
            "n",
            "find_next(1)",
            "Next match",
            show=False,
            tooltip="next match",
            id="article.find_next",
        ),
        Binding(
            "N",
            "find_next(-1)",
            "Previous match",
            show=False,
            tooltip="previous match",
            id="article.find_previous",
        ),
        Binding(
            "o",
            "open_source",
            "Open source",
            show=False,
            tooltip="open the article's web page (its source) in the browser",
            id="article.source",
        ),
    ]

    def __init__(self, key: str, language: str | None = None, paragraph: int | None = None):
        super().__init__()
        self.key = key
        self.requested_language = language
        self.requested_paragraph = paragraph
        self.language: str | None = None
        self.document: Document | None = None
        self.parallel = False
        self.right_language: str | None = None
        self.right_document: Document | None = None
        self.current_paragraph = 0
        #: The paragraph last scrolled to, kept at the top while the body's layout settles
        #: (rows may change height after the first layout); None once the reader scrolls.
        self._held: int | None = None
        self.find = FindState()
        self._token = 0
        self._error: str | None = None
        #: The body's paragraphs and anchors, as composed.
        self._layout = BodyLayout()
        self._tops: list[int] = []
        self._interleaved = False
        self._bookmarked: set[int] = set()
        self._note_counts: Counter[int] = Counter()
        self._composed_at: int | None = None
        self._first: tuple[str, int] | None = None
        self._gone = False
        #: Sentence pairs (each sentence followed by its translation) instead of rows.
        self.sentence_mode = False
        #: The current sentence's number within the current paragraph.
        self.current_sentence = 0
        #: Whether the current sentence is shown (from the first `)` or `(` on).
        self.sentence_cursor = False
        self._highlights: dict[Paragraph, list[tuple[int, int]]] = {}
        self._loaded_parallel: ParallelText | None = None

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
            if self._readable_now(article, language, None):
                # Composed with the screen, the text is in its very first paint.
                self._take(self._read(self._token, article, language, paragraph, None))
                body = self._body_widgets()
                self._composed_at = paragraph
        # Title, details and language bar: one widget of three lines (three widgets cost
        # ~5 % more to open an article).
        yield Static("", id="article-header", markup=False)
        yield ArticleBody(*body, id="body")
        # The find bar (an Input) is mounted here on the first `/`.
        yield Static("", id="article-status", markup=False)
        yield KeyBar()

    @property
    def article(self) -> Article | None:
        """The article as the library has it now: a rescan may have changed its variants
        since the screen opened, or removed it (``None``)."""
        return reader_app(self).library.article(self.key)

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

    @property
    def body(self) -> ArticleBody:
        """The scrolling body."""
        return self.query_one("#body", ArticleBody)

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
        app = reader_app(self)
        language = self.requested_language
        paragraph = self.requested_paragraph
        saved = app.userdata.state.position(self.key)
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
            language = app.language_for(article)
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
            fallback = reader_app(self).language_for(article)
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
        if self._readable_now(article, language, right):
            self._show(self._read(self._token, article, language, paragraph, right, switch))
        else:
            self._load(self._token, article, language, paragraph, right, switch)

    def _readable_now(self, article: Article, language: str, right: str | None) -> bool:
        return readable_now(article, language, right)

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
        reader_app(self).call_from_thread(self._show_loaded, loaded)

    def _read(
        self,
        token: int,
        article: Article,
        language: str,
        paragraph: int,
        right: str | None,
        switch: Switch | None = None,
    ) -> Loaded:
        app = reader_app(self)
        return read_variants(
            app.library,
            token,
            article,
            language,
            paragraph,
            right,
            switch,
            width=app.config.reading_width,
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
                reader_app(self).userdata.state.set_position(
                    self.key, loaded.language, loaded.paragraph
                )
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
        """The body's widgets for the document(s) taken; remembers the paragraphs."""
        app = reader_app(self)
        layout = compose_body(
            self.document,
            self._error,
            self.right_document if self.parallel else None,
            language=self.language,
            right_language=self.right_language,
            width=app.config.reading_width,
            reorder=app.bidi_mode == "reader",
            narrow=self.size.width < SIDE_BY_SIDE_MIN_WIDTH,
            sentence_mode=self.sentence_mode,
            parallel=self._loaded_parallel,
        )
        self._layout = layout
        if self.document is not None:
            self._interleaved = layout.interleaved
        self._highlights = {}
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
        target = min(paragraph, max(0, len(self._layout.paragraphs) - 1))
        self.current_paragraph = target
        # Held from now: the old body's removal may scroll to the top before the new one
        # is laid out, and a key pressed meanwhile must still act on this paragraph.
        self._held = target
        self.current_sentence = max(0, min(sentence, self._sentence_count(target) - 1))
        self._refresh_status()
        self.call_after_refresh(self._go_to_paragraph, target, self.current_sentence)

    def on_resize(self, event: Resize) -> None:
        if self.parallel and self.right_document is not None:
            narrow = event.size.width < SIDE_BY_SIDE_MIN_WIDTH
            if narrow != self._interleaved:
                self._render_body(self.current_paragraph)

    def _go_to_paragraph(self, index: int, sentence: int = 0, attempts: int = 0) -> None:
        self._measure()
        if 0 <= index < len(self._tops):
            if (
                self._layout.anchors[index].virtual_region.height == 0
                and attempts < MAX_LAYOUT_WAITS
            ):
                # Not laid out yet (rows just mounted, or the screen is coming back from
                # under a picker): every top would read 0 and the view would stay at the
                # top while the status names the paragraph. Try again after the next paint.
                self.call_after_refresh(self._go_to_paragraph, index, sentence, attempts + 1)
            else:
                # The first paragraph: the very top, so that the notices above it (a file
                # cut at max_file_kib, a legacy encoding) are in view.
                top = self._tops[index] if index > 0 else 0
                self.body.scroll_to(y=top, animate=False, immediate=True)
                self._held = index
                if int(self.body.scroll_y) != top:
                    # Clamped: the body's new height is not known yet. Once it is.
                    self.call_after_refresh(self._keep_held)
        self.current_paragraph = max(0, index)
        self.current_sentence = sentence
        self._refresh_status()
        if self.sentence_cursor:
            self._show_sentence()

    def _laid_out(self, _size: object) -> None:
        """The body's height changed: keep the paragraph scrolled to at the top, once the
        rows have their new places (after this paint; the size is known first)."""
        if self._held is not None:
            self.call_after_refresh(self._keep_held)
        self._refresh_status()

    def _keep_held(self, attempts: int = 0) -> None:
        held = self._held
        if held is None or not 0 <= held < len(self._layout.anchors):
            return
        if self._layout.anchors[held].virtual_region.height == 0:
            # Not laid out yet (the screen is under a picker, say): every top reads 0.
            if attempts < MAX_LAYOUT_WAITS:
                self.call_after_refresh(self._keep_held, attempts + 1)
            return
        self._measure()
        top = self._tops[held] if held > 0 else 0
        if int(self.body.scroll_y) != top:
            self.body.scroll_to(y=top, animate=False, immediate=True)
            self.current_paragraph = held
            self._refresh_status()
            if int(self.body.scroll_y) != top and attempts < MAX_LAYOUT_WAITS:
                self.call_after_refresh(self._keep_held, attempts + 1)  # clamped, as above

    def _measure(self) -> None:
        self._tops = [self.body.y_of(anchor) for anchor in self._layout.anchors]

    # -- header, marks and status -------------------------------------------------------

    def _refresh_header(self, article: Article) -> None:
        app = reader_app(self)
        self.query_one("#article-header", Static).update(
            header_visual(
                article,
                self.document,
                self.language or "",
                parallel=self.parallel,
                right_language=self.right_language,
                right_document=self.right_document,
                languages=app.languages_for(article),
                reorder=app.bidi_mode == "reader",
            )
        )

    def _refresh_marks(self) -> None:
        app = reader_app(self)
        bookmarked = {b.paragraph for b in app.userdata.bookmarks.for_article(self.key)}
        notes = app.userdata.notes.for_article(self.key)
        # Kept for the status line, which is redrawn on every scroll step.
        self._bookmarked = bookmarked
        self._note_counts = Counter(n.paragraph for n in notes if n.paragraph is not None)
        by_paragraph: dict[int, list[str]] = {}
        for note in notes:
            if note.paragraph is not None:
                by_paragraph.setdefault(note.paragraph, []).append(note.text)
        self.body.show_marks(
            self._layout,
            bookmarked,
            by_paragraph,
            reorder=app.bidi_mode == "reader",
            max_width=None if self.parallel else app.config.reading_width,
        )
        self.call_after_refresh(self._measure)
        self._refresh_status()

    def _refresh_status(self) -> None:
        total = len(self._layout.paragraphs)
        body = self.body
        percent = 100 if body.max_scroll_y == 0 else round(100 * body.scroll_y / body.max_scroll_y)
        current = self.current_paragraph
        parts = [f"¶ {current + 1}/{total} · {min(100, percent)}%"] if total else []
        if total and self.sentence_cursor:
            count = self._sentence_count(current)
            if count:
                parts.append(f"sentence {self.current_sentence + 1}/{count}")
        if current in self._bookmarked:
            parts.append("★ bookmarked")
        count = self._note_counts.get(current, 0)
        if count:
            parts.append(f"✎ {count} note{'s' if count > 1 else ''}")
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
        for paragraph in self._layout.paragraphs:
            paragraph.set_class(paragraph.index == current, "current")

    def _scrolled(self, scroll_y: float) -> None:
        if self._held is not None:
            # Our own scroll to a paragraph, or the body settling around it: it stays the
            # current one until the reader scrolls.
            self.current_paragraph = min(self._held, max(0, len(self._layout.paragraphs) - 1))
            self._refresh_status()
            return
        if len(self._tops) != len(self._layout.anchors) or (
            len(self._tops) > 1 and not self._tops[-1]
        ):
            self._measure()  # new rows, or measured before they were laid out
        index = max(0, bisect_right(self._tops, int(scroll_y)) - 1)
        index = min(index, max(0, len(self._layout.paragraphs) - 1))
        if index != self.current_paragraph and not self._sentence_in_view():
            # The current sentence went out of view: the topmost paragraph is current,
            # from its first sentence.
            self.current_paragraph = index
            self.current_sentence = 0
            if self.sentence_cursor:
                self._paint_sentence()
        # Always refresh: the percentage changes even within one paragraph.
        self._refresh_status()

    # -- moving -------------------------------------------------------------------------

    def action_back(self) -> None:
        find = self._find_input()
        if (find is not None and find.has_focus) or self.find.query:
            self._close_find()
            return
        self.dismiss()

    def on_unmount(self) -> None:
        self._save_position()

    def _save_position(self) -> None:
        if self.language is None:
            return
        # The state file is a convenience; a broken one was reported at start.
        with suppress(UserDataError, OSError):
            reader_app(self).userdata.state.set_position(
                self.key, self.language, self.current_paragraph
            )

    def _let_go(self) -> None:
        """The reader scrolls: the paragraph last gone to is no longer held at the top."""
        self._held = None

    def on_mouse_scroll_down(self) -> None:
        self._let_go()
        self._scrolled(self.body.scroll_y)  # the body scrolled before the event got here

    def on_mouse_scroll_up(self) -> None:
        self._let_go()
        self._scrolled(self.body.scroll_y)

    def action_scroll_lines(self, lines: int) -> None:
        self._let_go()
        body = self.body
        body.scroll_to(y=body.scroll_y + lines, animate=False, immediate=True)

    def action_page(self, pages: int) -> None:
        self._let_go()
        body = self.body
        step = max(1, body.scrollable_content_region.height - 2)
        body.scroll_to(y=body.scroll_y + pages * step, animate=False, immediate=True)

    def action_top(self) -> None:
        self._let_go()
        self.body.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self._go_to_paragraph(len(self._layout.paragraphs) - 1)

    def action_paragraph(self, step: int) -> None:
        target = max(0, min(len(self._layout.paragraphs) - 1, self.current_paragraph + step))
        self._go_to_paragraph(target)

    # -- sentences ----------------------------------------------------------------------

    def action_sentence(self, step: int) -> None:
        """Move the current sentence by ``step`` (across paragraphs); the first press
        shows the current sentence where it is."""
        if not self._layout.paragraphs:
            return
        paragraph, sentence = self.current_paragraph, self.current_sentence
        if not self.sentence_cursor:
            self.sentence_cursor = True
            count = self._sentence_count(paragraph)
            if count:
                sentence = min(sentence, count - 1)
            else:
                paragraph, sentence = self._step_sentence(paragraph, -1, 1)
        else:
            paragraph, sentence = self._step_sentence(paragraph, sentence, step)
        self.current_paragraph, self.current_sentence = paragraph, sentence
        self._show_sentence()
        self._refresh_status()

    def _sentence_count(self, index: int) -> int:
        return self._layout.sentence_count(index, self.language or "")

    def _step_sentence(self, paragraph: int, sentence: int, step: int) -> tuple[int, int]:
        return self._layout.step_sentence(paragraph, sentence, step, self.language or "")

    def _sentence_highlights(self) -> tuple[dict[Paragraph, list[tuple[int, int]]], Place | None]:
        """Where to tint: the current sentence (the second value) and its translations."""
        if not self.sentence_cursor:
            return {}, None
        ref = SentenceRef(self.current_paragraph, self.current_sentence)
        return self._layout.sentence_highlights(ref, self.sentence_mode, self.language or "")

    def _paint_sentence(self) -> tuple[Paragraph, int, int] | None:
        """Tint the current sentence and its translations; repaint only what changed."""
        highlights, primary = self._sentence_highlights()
        changed = [
            widget
            for widget in {*self._highlights, *highlights}
            if self._highlights.get(widget) != highlights.get(widget)
        ]
        self._highlights = highlights
        self._repaint(changed)
        return primary

    def _show_sentence(self) -> None:
        """Tint the current sentence, and scroll (as little as possible) so that it is
        in view, with its translation where both fit."""
        primary = self._paint_sentence()
        if primary is None:
            return
        first, last = self.body.rows_of(*primary)
        for widget, spans in self._highlights.items():
            for start, end in spans:
                other_first, other_last = self.body.rows_of(widget, start, end)
                if max(last, other_last) - min(first, other_first) <= self.body.view_height():
                    first, last = min(first, other_first), max(last, other_last)
        self._let_go()  # the sentence decides where the view is now
        body = self.body
        top = round(body.scroll_y)
        if first < top:
            body.scroll_to(y=first, animate=False, immediate=True)
        elif last > top + self.body.view_height():
            target = min(first, last - self.body.view_height())
            body.scroll_to(y=target, animate=False, immediate=True)

    def _sentence_in_view(self) -> bool:
        """Whether the current sentence (when shown) is still on screen."""
        if not self.sentence_cursor:
            return False
        _highlights, primary = self._sentence_highlights()
        if primary is None:
            return False
        first, last = self.body.rows_of(*primary)
        top = round(self.body.scroll_y)
        return last > top and first < top + self.body.view_height()

    def action_cycle_view(self) -> None:
        """Side by side -> sentence pairs -> one language."""
        if self.language is None:
            return
        if not self.parallel:
            self.action_toggle_parallel()
        elif not self.sentence_mode:
            self.sentence_mode = True
            self._render_body(self.current_paragraph, self.current_sentence)
        else:
            self.action_toggle_parallel()

    # -- languages ----------------------------------------------------------------------

    def action_cycle_language(self, step: int) -> None:
        article = self._article_or_leave()
        if article is None:
            return
        skip = self.right_language if self.parallel else None
        target = cycle_language(article, self.language, step, skip)
        if target is None or target == self.language:
            self.notify("This article has no other language.")
            return
        self.switch_language(target)

    def action_cycle_right(self, step: int) -> None:
        if not self.parallel:
            self.notify("Press p for the side-by-side view first.")
            return
        article = self._article_or_leave()
        if article is None:
            return
        target = cycle_language(article, self.right_language, step, self.language)
        if target is not None and target != self.right_language:
            self.load_variant(self.language or "", self.current_paragraph, target)

    def switch_language(self, language: str) -> None:
        """Show another variant at the same paragraph (mapped if the counts differ)."""
        article = self._article_or_leave()
        if article is None or language == self.language or language not in article.variants:
            return
        paragraph = self.current_paragraph
        old_total = len(self.document.blocks) if self.document else 0
        new_total = article.variants[language].paragraphs
        switch: Switch | None = None
        if self.document is not None and self.language is not None:
            # Mapped where the new variant is read (read_variants): the same paragraph and
            # its sentence's translation, through the paragraph alignment if counts differ.
            switch = switch_from(self.document, self.language, paragraph, self.current_sentence)
        if old_total and new_total and old_total != new_total:
            self.notify(
                f"{endonym(language)} has {new_total} paragraphs, not {old_total}: "
                "the position follows the paragraph alignment."
            )
        right = self.right_language
        if self.parallel and right == language:
            right = self.language  # swap sides
        self.load_variant(language, paragraph, right, switch)

    def _default_right_language(self, article: Article, left: str | None) -> str | None:
        return default_right_language(article, left, reader_app(self).preferred_languages)

    def action_toggle_parallel(self) -> None:
        if self.language is None:
            return
        if self.parallel:
            self.parallel = False
            self.sentence_mode = False
            self.right_document = None
            self._render_body(self.current_paragraph, self.current_sentence)
            return
        article = self._article_or_leave()
        if article is None:
            return
        right = self.right_language
        if right is None or right not in article.variants:
            right = self._default_right_language(article, self.language)
        if right is None:
            self.notify("This article has only one language.")
            return
        self.parallel = True
        self.load_variant(self.language, self.current_paragraph, right)

    def action_pick_language(self) -> None:
        self._pick(right=False)

    def action_pick_right_language(self) -> None:
        if not self.parallel:
            self.action_toggle_parallel()
        self._pick(right=True)

    def _pick(self, *, right: bool) -> None:
        from reader.tui.language_picker import LanguagePicker

        article = self._article_or_leave()
        if article is None:
            return

        def chosen(language: str | None) -> None:
            if not language:
                return
            if right:
                self.load_variant(self.language or "", self.current_paragraph, language)
            else:
                self.switch_language(language)

        current = self.right_language if right else self.language
        self.app.push_screen(
            LanguagePicker(article, current, reader_app(self).languages_for(article)), chosen
        )

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

    # -- bookmarks and notes ------------------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        if self.language is None:
            return
        app = reader_app(self)
        title = self.document.title if self.document else self.key
        try:
            added = app.userdata.bookmarks.toggle(
                self.key, self.language, self.current_paragraph, clean_line(title)
            )
        except UserDataError as error:
            self.notify(str(error), severity="error", timeout=8, markup=False)
            return
        where = f"¶ {self.current_paragraph + 1}"
        self.notify(f"Bookmarked {where}." if added else f"Bookmark at {where} removed.")
        self._refresh_marks()

    def action_annotate(self) -> None:
        if self.language is None or not self._layout.paragraphs or self.document is None:
            return
        from reader.tui.note_editor import NoteEditor

        index = min(self.current_paragraph, len(self.document.blocks) - 1)
        quote = quote_of(self.document.blocks[index]) if index >= 0 else ""
        language = self.language

        def saved(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                reader_app(self).userdata.notes.add(
                    self.key, language, text.strip(), paragraph=index, quote=quote
                )
            except UserDataError as error:
                self.notify(str(error), severity="error", timeout=8, markup=False)
                return
            self.notify(f"Note saved on ¶ {index + 1}.")
            self._refresh_marks()

        self.app.push_screen(NoteEditor(quote=clean(quote), paragraph=index), saved)

    # -- word list ----------------------------------------------------------------------

    def _sentence_position(self) -> tuple[int, int]:
        """The current paragraph and sentence (0-based)."""
        return self.current_paragraph, self.current_sentence

    def action_save_word(self) -> None:
        if self.language is None or self.document is None or not self.document.blocks:
            return
        article = self._article_or_leave()
        if article is None:
            return
        paragraph, sentence = self._sentence_position()
        paragraph = min(paragraph, len(self.document.blocks) - 1)
        other = self.right_language if self.parallel else None
        other = other or self._default_right_language(article, self.language)
        self._prepare_word(self.document, article, self.language, other, paragraph, sentence)

    @work(thread=True, exclusive=True, group="word")
    def _prepare_word(
        self,
        document: Document,
        article: Article,
        language: str,
        other: str | None,
        paragraph: int,
        sentence: int,
    ) -> None:
        """Find the sentence and its translation (reads the other variant), then ask."""
        sentence, text, translation = sentence_with_translation(
            reader_app(self).library, document, article, language, other, paragraph, sentence
        )
        self.app.call_from_thread(
            self._ask_word,
            language,
            other if translation else "",
            paragraph,
            sentence,
            clean(text),
            clean(translation),
        )

    def _ask_word(
        self,
        language: str,
        other: str,
        paragraph: int,
        sentence: int,
        text: str,
        translation: str,
    ) -> None:
        from reader.tui.word_picker import WordPicker

        def saved(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            word, meaning = answer
            try:
                reader_app(self).userdata.words.add(
                    word, language, self.key, paragraph, sentence, text, other, translation, meaning
                )
            except UserDataError as error:
                self.notify(str(error), severity="error", timeout=8, markup=False)
                return
            self.notify(f"Saved “{clean_line(word)}” (W lists your words).", markup=False)

        self.app.push_screen(WordPicker(text, translation), saved)

    # -- find in article ----------------------------------------------------------------

    def _find_input(self) -> Input | None:
        """The find bar, if it was ever opened."""
        return next(self.query("#find").results(Input), None)

    async def action_find(self) -> None:
        find = self._find_input()
        if find is None:
            # Mounted on first use: an Input composed with every article is ~10 % of `enter`.
            find = Input(placeholder=FIND_PLACEHOLDER, id="find")
            await self.mount(find, before="#article-status")
        find.add_class("open")
        find.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self._run_find(event.value, jump=True)

    @on(Input.Submitted, "#find")
    async def _find_submitted(self) -> None:
        if self.find.matches:
            await self.action_find_next(1)
        self.body.focus()

    def _run_find(self, query: str, *, jump: bool) -> None:
        self.find.query = query.strip()
        self.find.matches = find_matches(
            self.find.query,
            [
                (side, paragraph.index, paragraph.base_content.plain)
                for side, paragraphs in (
                    ("left", self._layout.paragraphs),
                    ("right", self._layout.right_paragraphs),
                )
                for paragraph in paragraphs
            ],
        )
        if jump:
            after = [i for i, m in enumerate(self.find.matches) if m[0] >= self.current_paragraph]
            self.find.current = after[0] if after else 0
        self.find.current = min(self.find.current, max(0, len(self.find.matches) - 1))
        self._paint_matches()
        if jump and self.find.matches:
            self._go_to_match()
        self._refresh_status()

    def _paint_matches(self) -> None:
        self._repaint([*self._layout.paragraphs, *self._layout.right_paragraphs])

    def _repaint(self, widgets: list[Paragraph]) -> None:
        """Draw these paragraphs again: their text, the sentence tint, the find matches."""
        if not widgets:
            return
        current = self.find.matches[self.find.current] if self.find.matches else None
        by_widget: dict[tuple[str, int], list[tuple[int, int, bool]]] = {}
        for match in self.find.matches:
            index, side, start, end = match
            by_widget.setdefault((side, index), []).append((start, end, match == current))
        for paragraph in widgets:
            content = paragraph.base_content
            for start, end in self._highlights.get(paragraph, ()):
                content = content.stylize(SENTENCE_STYLE, start, end)
            side = "right" if paragraph.has_class("right") else "left"
            for start, end, is_current in by_widget.get((side, paragraph.index), []):
                style = "bold reverse $text-warning" if is_current else "reverse"
                content = content.stylize(style, start, end)
            # The same text in other colours: its size cannot change, so no layout pass
            # (side by side, a layout of every row was most of a `)`).
            paragraph.update(content, layout=False)

    async def action_find_next(self, step: int) -> None:
        if not self.find.matches:
            if not self.find.query:
                await self.action_find()
            return
        self.find.current = (self.find.current + step) % len(self.find.matches)
        self._paint_matches()
        self._go_to_match()

    def _go_to_match(self) -> None:
        """Scroll to the current match's paragraph (a right-hand match: to the left
        paragraph aligned with its own)."""
        index, side, _start, _end = self.find.matches[self.find.current]
        if side == "right" and self._layout.parallel_text is not None:
            aligned = self._layout.parallel_text.paragraph_counterpart(index, "right")
            index = aligned[0] if aligned else index
        self._go_to_paragraph(index)

    def _close_find(self) -> None:
        find = self._find_input()
        if find is not None:
            find.value = ""
            find.remove_class("open")
        self.find = FindState()
        self._paint_matches()
        self.body.focus()
        self._refresh_status()

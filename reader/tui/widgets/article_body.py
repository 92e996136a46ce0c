"""The Article screen's body: the scrolling paragraphs and where the reader is in them.

The body is handed a :class:`~reader.tui.widgets.body_layout.BodyLayout` (one variant, side by
side, or sentence pairs) and keeps the place: the *current paragraph* (the topmost in
view, marked in the margin; a reactive that posts :class:`ArticleBody.ParagraphChanged`),
the paragraph held at the top while the layout settles, and the *current sentence*
with its tint (and its translations' side by side) and the find matches painted on it.
"""

from __future__ import annotations

from bisect import bisect_right

from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget

from reader.sanitize import clean
from reader.text.parallel import SentenceRef
from reader.tui.find_bar import Match
from reader.tui.widgets.body_layout import SENTENCE_STYLE, BodyLayout, NoteMark, Paragraph, Place
from reader.tui.widgets.script_text import script_visual

#: Paints to wait for the body's layout before scrolling to a paragraph.
MAX_LAYOUT_WAITS = 20


class ArticleBody(VerticalScroll, inherit_bindings=False):
    """The scrolling body, without a scroll view's own keys: focused, those would answer
    first, and ``end`` would scroll past the last paragraph into the blank space below it
    instead of going to that paragraph, the arrows would glide instead of stepping.
    The Article screen's bindings (the README's keys) apply instead."""

    #: The topmost paragraph in view (or the one gone to): what ``b`` bookmarks, ``a``
    #: annotates and a language switch keeps. Marked in the margin.
    current_paragraph: var[int] = var(0, init=False)

    class ParagraphChanged(Message):
        """The current paragraph is another one now."""

        def __init__(self, body: ArticleBody, index: int) -> None:
            super().__init__()
            self.body = body
            self.index = index

    def __init__(self, *children: Widget, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        #: The paragraphs and anchors shown, as composed.
        self.composed = BodyLayout()
        #: The language of the left (or only) paragraphs, for their sentences.
        self.language = ""
        #: Sentence pairs (each sentence followed by its translation) instead of rows.
        self.sentence_mode = False
        #: The tops of the anchors, measured after layout.
        self._tops: list[int] = []
        #: The paragraph last scrolled to, kept at the top while the layout settles (rows
        #: may change height after the first layout); None once the reader scrolls.
        self.held: int | None = None
        #: The current sentence's number within the current paragraph.
        self.current_sentence = 0
        #: Whether the current sentence is shown (from the first `)` or `(` on).
        self.sentence_cursor = False
        self._highlights: dict[Paragraph, list[tuple[int, int]]] = {}
        self._matches: list[Match] = []
        self._current_match: Match | None = None

    def watch_current_paragraph(self, old: int, new: int) -> None:
        paragraphs = self.composed.paragraphs
        if 0 <= old < len(paragraphs):
            paragraphs[old].remove_class("current")
        if 0 <= new < len(paragraphs):
            paragraphs[new].add_class("current")
        self.post_message(self.ParagraphChanged(self, new))

    # -- the paragraphs -----------------------------------------------------------------

    def take_layout(self, layout: BodyLayout, language: str, *, sentence_mode: bool) -> None:
        """Keep ``layout`` as what the body shows (its widgets are mounted by the caller,
        or composed with the body)."""
        self.composed = layout
        self.language = language
        self.sentence_mode = sentence_mode
        self._highlights = {}

    def show_layout(self, layout: BodyLayout, language: str, *, sentence_mode: bool) -> None:
        """Replace the paragraphs by ``layout``'s."""
        self.remove_children()
        self.take_layout(layout, language, sentence_mode=sentence_mode)
        self.mount_all(layout.widgets)

    def mark_current(self) -> None:
        """Mark the current paragraph in the margin (and only it)."""
        current = self.current_paragraph
        for paragraph in self.composed.paragraphs:
            paragraph.set_class(paragraph.index == current, "current")

    def y_of(self, widget: Widget) -> int:
        """The top of ``widget`` in the body's scrolling coordinates (rows of aligned
        paragraphs nest paragraphs one or two levels down)."""
        y = 0
        node: Widget | None = widget
        while node is not None and node is not self:
            y += node.virtual_region.y
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return y

    def rows_of(self, widget: Paragraph, start: int, end: int) -> tuple[int, int]:
        """The body rows (first, past the last) that characters ``start:end`` of the
        widget's text are drawn on, estimated from their share of its text."""
        top = self.y_of(widget)
        height = max(1, widget.size.height)
        length = max(1, len(widget.base_content.plain))
        first = top + min(height - 1, height * start // length)
        last = top + min(height, -(-height * end // length))
        return first, max(first + 1, last)

    def view_height(self) -> int:
        """Rows of text in view."""
        return max(1, self.scrollable_content_region.height)

    def show_marks(
        self,
        layout: BodyLayout,
        bookmarked: set[int],
        notes: dict[int, list[str]],
        *,
        reorder: bool,
        max_width: int | None,
    ) -> None:
        """Mark the bookmarked and annotated paragraphs, and show each paragraph's notes
        (``notes``: their texts by paragraph) under it, replacing the notes shown."""
        for mark in list(self.query(NoteMark)):
            mark.remove()
        for paragraph in layout.paragraphs:
            paragraph.set_class(paragraph.index in bookmarked, "bookmarked")
            paragraph.set_class(paragraph.index in notes, "noted")
        last = len(layout.note_anchors) - 1
        for index, texts in sorted(notes.items()):
            if last < 0:
                break
            anchor = layout.note_anchors[min(index, last)]
            for text in reversed(texts):
                mark = NoteMark(
                    # A note in Chinese or Persian wraps and reads like the body.
                    script_visual(Content.assemble(("✎ ", "$warning"), clean(text)), "", reorder),
                    classes="note",
                    markup=False,
                )
                if max_width is not None:
                    mark.styles.max_width = max_width
                self.mount(mark, after=anchor)

    # -- where the reader is ------------------------------------------------------------

    def measure(self) -> None:
        """Measure where each anchor is (after a layout)."""
        self._tops = [self.y_of(anchor) for anchor in self.composed.anchors]

    def let_go(self) -> None:
        """The reader scrolls: the paragraph last gone to is no longer held at the top."""
        self.held = None

    # The wheel: handled here before the scroll view scrolls on it, which then stops the
    # event (the screen sees it only at either end). Scrolled by the reader, the body
    # holds no paragraph at the top any more, so the one at the top becomes current.
    def on_mouse_scroll_down(self) -> None:
        self.let_go()

    def on_mouse_scroll_up(self) -> None:
        self.let_go()

    def go_to_paragraph(self, index: int, sentence: int = 0, attempts: int = 0) -> None:
        """Scroll paragraph ``index`` to the top and make it (and its ``sentence``) the
        current one; once laid out, if it is not yet."""
        self.measure()
        if 0 <= index < len(self._tops):
            if (
                self.composed.anchors[index].virtual_region.height == 0
                and attempts < MAX_LAYOUT_WAITS
            ):
                # Not laid out yet (rows just mounted, or the screen is coming back from
                # under a picker): every top would read 0 and the view would stay at the
                # top while the status names the paragraph. Try again after the next paint.
                self.call_after_refresh(self.go_to_paragraph, index, sentence, attempts + 1)
            else:
                # The first paragraph: the very top, so that the notices above it (a file
                # cut at max_file_kib, a legacy encoding) are in view.
                top = self._tops[index] if index > 0 else 0
                self.scroll_to(y=top, animate=False, immediate=True)
                self.held = index
                if int(self.scroll_y) != top:
                    # Clamped: the body's new height is not known yet. Once it is.
                    self.call_after_refresh(self.keep_held)
        self.current_paragraph = max(0, index)
        self.current_sentence = sentence
        if self.sentence_cursor:
            self.show_sentence()

    def keep_held(self, attempts: int = 0) -> None:
        """Scroll the held paragraph back to the top, once the rows have their places."""
        held = self.held
        if held is None or not 0 <= held < len(self.composed.anchors):
            return
        if self.composed.anchors[held].virtual_region.height == 0:
            # Not laid out yet (the screen is under a picker, say): every top reads 0.
            if attempts < MAX_LAYOUT_WAITS:
                self.call_after_refresh(self.keep_held, attempts + 1)
            return
        self.measure()
        top = self._tops[held] if held > 0 else 0
        if int(self.scroll_y) != top:
            self.scroll_to(y=top, animate=False, immediate=True)
            self.current_paragraph = held
            if int(self.scroll_y) != top and attempts < MAX_LAYOUT_WAITS:
                self.call_after_refresh(self.keep_held, attempts + 1)  # clamped, as above

    def follow_scroll(self, scroll_y: float) -> None:
        """The view scrolled to ``scroll_y``: the topmost paragraph is the current one,
        unless a paragraph is held or the current sentence is still in view."""
        last = max(0, len(self.composed.paragraphs) - 1)
        if self.held is not None:
            # Our own scroll to a paragraph, or the body settling around it: it stays the
            # current one until the reader scrolls.
            self.current_paragraph = min(self.held, last)
            return
        if len(self._tops) != len(self.composed.anchors) or (
            len(self._tops) > 1 and not self._tops[-1]
        ):
            self.measure()  # new rows, or measured before they were laid out
        index = max(0, bisect_right(self._tops, int(scroll_y)) - 1)
        index = min(index, last)
        if index != self.current_paragraph and not self._sentence_in_view():
            # The current sentence went out of view: the topmost paragraph is current,
            # from its first sentence.
            self.current_paragraph = index
            self.current_sentence = 0
            if self.sentence_cursor:
                self._paint_sentence()

    # -- sentences ----------------------------------------------------------------------

    def sentence_count(self, index: int) -> int:
        """How many sentences paragraph ``index`` has."""
        return self.composed.sentence_count(index, self.language)

    def step_sentence(self, step: int) -> None:
        """Move the current sentence by ``step`` (across paragraphs); the first step
        shows the current sentence where it is."""
        paragraph, sentence = self.current_paragraph, self.current_sentence
        if not self.sentence_cursor:
            self.sentence_cursor = True
            count = self.sentence_count(paragraph)
            if count:
                sentence = min(sentence, count - 1)
            else:
                paragraph, sentence = self.composed.step_sentence(paragraph, -1, 1, self.language)
        else:
            paragraph, sentence = self.composed.step_sentence(
                paragraph, sentence, step, self.language
            )
        self.current_paragraph, self.current_sentence = paragraph, sentence
        self.show_sentence()

    def _sentence_highlights(self) -> tuple[dict[Paragraph, list[tuple[int, int]]], Place | None]:
        """Where to tint: the current sentence (the second value) and its translations."""
        if not self.sentence_cursor:
            return {}, None
        ref = SentenceRef(self.current_paragraph, self.current_sentence)
        return self.composed.sentence_highlights(ref, self.sentence_mode, self.language)

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

    def show_sentence(self) -> None:
        """Tint the current sentence, and scroll (as little as possible) so that it is
        in view, with its translation where both fit."""
        primary = self._paint_sentence()
        if primary is None:
            return
        first, last = self.rows_of(*primary)
        for widget, spans in self._highlights.items():
            for start, end in spans:
                other_first, other_last = self.rows_of(widget, start, end)
                if max(last, other_last) - min(first, other_first) <= self.view_height():
                    first, last = min(first, other_first), max(last, other_last)
        self.let_go()  # the sentence decides where the view is now
        top = round(self.scroll_y)
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last > top + self.view_height():
            target = min(first, last - self.view_height())
            self.scroll_to(y=target, animate=False, immediate=True)

    def _sentence_in_view(self) -> bool:
        """Whether the current sentence (when shown) is still on screen."""
        if not self.sentence_cursor:
            return False
        _highlights, primary = self._sentence_highlights()
        if primary is None:
            return False
        first, last = self.rows_of(*primary)
        top = round(self.scroll_y)
        return last > top and first < top + self.view_height()

    # -- find matches -------------------------------------------------------------------

    def paint_matches(self, matches: list[Match], current: Match | None) -> None:
        """Show the find bar's ``matches`` (``current`` the most), on every paragraph."""
        self._matches = matches
        self._current_match = current
        self._repaint([*self.composed.paragraphs, *self.composed.right_paragraphs])

    def _repaint(self, widgets: list[Paragraph]) -> None:
        """Draw these paragraphs again: their text, the sentence tint, the find matches."""
        if not widgets:
            return
        current = self._current_match
        by_widget: dict[tuple[str, int], list[tuple[int, int, bool]]] = {}
        for match in self._matches:
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

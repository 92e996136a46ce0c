"""What the Article screen's body shows: paragraphs (one variant, side by side, or
sentence pairs) and the layout that says where each paragraph is.

:func:`compose_body` builds the widgets for the documents read; the :class:`BodyLayout`
it returns remembers the paragraphs, the anchors the view scrolls to, where the sentence
pairs view drew each sentence, and the paragraph alignment side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.selection import Selection
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static

from reader.languages import endonym
from reader.library import Block, Document
from reader.sanitize import clean, clean_line
from reader.text.parallel import ParallelText, SentenceRef
from reader.text.sentences import sentence_spans
from reader.tui.widgets.blocks import block_content
from reader.tui.widgets.script_text import ScriptText, script_visual

#: Below this width the side-by-side view interleaves (paragraph in A, then in B).
SIDE_BY_SIDE_MIN_WIDTH = 100
#: A widget per block: past this many the view stops (with a notice) so that a
#: pathological file cannot freeze the interface while it mounts.
MAX_VIEW_BLOCKS = 1500
#: Pages up to this size (both, side by side) are read as the screen opens; larger
#: ones are read in a worker so that the interface keeps answering meanwhile.
READ_NOW_BYTES = 64 * 1024
#: Characters of one block laid out; a 1 MB line is cut (with a notice in the text).
MAX_BLOCK_CHARS = 20_000
#: The current sentence and the sentences that translate it: a tint, in every theme.
SENTENCE_STYLE = "on $accent 22%"
#: Blocks whose text is not prose: one "sentence" each for ``)`` and ``(``.
WHOLE_BLOCKS = frozenset({"code", "html", "table", "rule"})


def paragraph_content(block: Block | None, width: int) -> Content:
    """What a block shows in the body (its ``plain`` is what sentences are found in)."""
    if block is None:
        return Content("")
    if len(text := block.plain_text) > MAX_BLOCK_CHARS:
        more = len(text) - MAX_BLOCK_CHARS
        return Content.assemble(
            clean(text[:MAX_BLOCK_CHARS]),
            (f" … [{more} more characters not shown]", "$text-warning"),
        )
    return block_content(block, width)


#: Blocks laid out by Textual as they are (pre-formatted, or drawn to a width already).
_PRESET_KINDS = frozenset({"code", "html", "table", "rule", "missing"})


class Paragraph(Static):
    """One block of the body; ``index`` is its paragraph number (from 0).

    ``content`` replaces the block's own rendering (the sentence-pairs view draws a
    paragraph's sentences each followed by its translation). Text is wrapped the way
    its script expects (:func:`script_visual`): whatever is given to :meth:`update`
    (find or sentence highlights) goes through it too.
    """

    def __init__(
        self,
        block: Block | None,
        index: int,
        width: int,
        *,
        side: str = "",
        content: Content | None = None,
        language: str = "",
        reorder: bool = False,
    ) -> None:
        self.text_language = language
        self.reorder = reorder
        kind = block.kind if block is not None else "missing"
        self._block_kind = kind
        classes = f"block kind-{kind} {side}".strip()
        if content is None:
            content = paragraph_content(block, width)
        super().__init__(self._shaped(content), classes=classes, markup=False)
        self.block = block
        self.index = index
        self.base_content = content

    def _shaped(self, content: VisualType) -> VisualType:
        if self._block_kind in _PRESET_KINDS or not isinstance(content, Content):
            return content
        return script_visual(content, self.text_language, self.reorder)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show new content (the block restyled), wrapped for its script."""
        super().update(self._shaped(content), layout=layout)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, in logical order even where it is shown reordered."""
        if isinstance(self.visual, ScriptText):
            return selection.extract(self.visual.plain), "\n"
        return super().get_selection(selection)


class NoteMark(Static):
    """A note shown under the paragraph it belongs to."""


#: Where a sentence (or a translation) is drawn: the paragraph, its start and end.
Place = tuple["Paragraph", int, int]


@dataclass
class BodyLayout:
    """The body's widgets and what the screen needs to know about them."""

    widgets: list[Widget] = field(default_factory=list)
    #: The left (or only) paragraphs, in order; ``paragraphs[i].index == i``.
    paragraphs: list[Paragraph] = field(default_factory=list)
    right_paragraphs: list[Paragraph] = field(default_factory=list)
    #: What the view scrolls to for paragraph ``i`` (a row side by side).
    anchors: list[Widget] = field(default_factory=list)
    #: What the notes of paragraph ``i`` are mounted after.
    note_anchors: list[Widget] = field(default_factory=list)
    right_by_index: dict[int, Paragraph] = field(default_factory=dict)
    #: Sentence pairs view: where each left sentence, and each translation, is drawn.
    drawn_at: dict[SentenceRef, Place] = field(default_factory=dict)
    translations_at: dict[SentenceRef, list[Place]] = field(default_factory=dict)
    parallel_text: ParallelText | None = None
    #: Side by side shown one under the other (narrow), or sentence pairs.
    interleaved: bool = False

    def sentence_spans(self, index: int, language: str) -> tuple[tuple[int, int], ...]:
        """Offsets of the sentences of paragraph ``index`` (left side) in the text it
        shows; computed on first use and cached (``sentence_spans``, ``ParallelText``)."""
        if not 0 <= index < len(self.paragraphs):
            return ()
        if self.parallel_text is not None:
            return self.parallel_text.sentences(index)
        widget = self.paragraphs[index]
        text = widget.base_content.plain
        if widget.block is not None and widget.block.kind in WHOLE_BLOCKS:
            return ((0, len(text)),) if text.strip() else ()
        return sentence_spans(text, language)

    def sentence_count(self, index: int, language: str) -> int:
        """How many sentences paragraph ``index`` has."""
        return len(self.sentence_spans(index, language))

    def step_sentence(
        self, paragraph: int, sentence: int, step: int, language: str
    ) -> tuple[int, int]:
        """The sentence ``step`` (+1 or -1) away, skipping paragraphs without any; the
        same one at either end of the article."""
        total = len(self.paragraphs)
        index, target = paragraph, sentence + step
        while 0 <= index < total:
            if 0 <= target < self.sentence_count(index, language):
                return index, target
            index += 1 if step > 0 else -1
            target = 0 if step > 0 else self.sentence_count(index, language) - 1
        return paragraph, sentence

    def sentence_highlights(
        self, ref: SentenceRef, sentence_mode: bool, language: str
    ) -> tuple[dict[Paragraph, list[tuple[int, int]]], Place | None]:
        """Where to tint for sentence ``ref``: the sentence itself (the second value) and
        the sentences that translate it."""
        if not self.paragraphs:
            return {}, None
        places: list[Place] = []
        primary: Place | None = None
        if sentence_mode:
            primary = self.drawn_at.get(ref)
            places = list(self.translations_at.get(ref, []))
        else:
            spans = self.sentence_spans(ref.paragraph, language)
            if 0 <= ref.sentence < len(spans):
                primary = (self.paragraphs[ref.paragraph], *spans[ref.sentence])
            parallel = self.parallel_text
            if parallel is not None:
                for other in parallel.counterpart_sentences(ref):
                    widget = self.right_by_index.get(other.paragraph)
                    right_spans = parallel.sentences(other.paragraph, "right")
                    if widget is not None and other.sentence < len(right_spans):
                        places.append((widget, *right_spans[other.sentence]))
        result: dict[Paragraph, list[tuple[int, int]]] = {}
        for widget, start, end in [primary, *places] if primary else places:
            result.setdefault(widget, []).append((start, end))
        return result, primary


def script_keywords(language: str | None, reorder: bool) -> dict[str, Any]:
    """How paragraphs in ``language`` are wrapped and ordered (Paragraph's keywords)."""
    return {"language": language or "", "reorder": reorder}


def align_variants(
    left: Document, right: Document, width: int, left_language: str, right_language: str
) -> ParallelText:
    """The paragraph alignment of two variants, on the text each block shows (safe in a
    worker thread: long pages are aligned where they are read)."""
    left_blocks = left.blocks[:MAX_VIEW_BLOCKS]
    right_blocks = right.blocks[:MAX_VIEW_BLOCKS]
    return ParallelText(
        [paragraph_content(block, width).plain for block in left_blocks],
        [paragraph_content(block, width).plain for block in right_blocks],
        left_language,
        right_language,
        left_headings=[block.kind == "heading" for block in left_blocks],
        right_headings=[block.kind == "heading" for block in right_blocks],
    )


def compose_body(
    document: Document | None,
    error: str | None,
    right: Document | None,
    *,
    language: str | None,
    right_language: str | None,
    width: int,
    reorder: bool,
    narrow: bool,
    sentence_mode: bool,
    parallel: ParallelText | None = None,
) -> BodyLayout:
    """The body's widgets for ``document`` (and ``right`` beside it, when given, with
    their alignment ``parallel`` if it was worked out already)."""
    builder = _BodyBuilder(language, right_language, width, reorder)
    builder.parallel = parallel
    return builder.build(document, error, right, narrow=narrow, sentence_mode=sentence_mode)


class _BodyBuilder:
    """Builds one :class:`BodyLayout`."""

    def __init__(
        self, language: str | None, right_language: str | None, width: int, reorder: bool
    ) -> None:
        self.language = language
        self.right_language = right_language
        self.width = width
        self.reorder = reorder
        self.layout = BodyLayout()
        self.parallel: ParallelText | None = None

    def _script(self, language: str | None) -> dict[str, Any]:
        return script_keywords(language, self.reorder)

    def build(
        self,
        document: Document | None,
        error: str | None,
        right: Document | None,
        *,
        narrow: bool,
        sentence_mode: bool,
    ) -> BodyLayout:
        layout = self.layout
        widgets = layout.widgets
        width = self.width
        if document is None:
            widgets.append(Static(clean(error or ""), classes="error", markup=False))
            return layout
        for notice in document.notices:
            widgets.append(Static(f"⚠ {clean(notice)}", classes="notice", markup=False))
        if len(document.blocks) > MAX_VIEW_BLOCKS:
            widgets.append(
                Static(
                    f"⚠ Only the first {MAX_VIEW_BLOCKS} of {len(document.blocks)} "
                    "paragraphs are shown.",
                    classes="notice",
                    markup=False,
                )
            )
        if right is None:
            for index, block in enumerate(document.blocks[:MAX_VIEW_BLOCKS]):
                paragraph_widget = Paragraph(block, index, width, **self._script(self.language))
                paragraph_widget.styles.max_width = width
                layout.paragraphs.append(paragraph_widget)
                widgets.append(paragraph_widget)
            layout.anchors = list(layout.paragraphs)
            layout.note_anchors = layout.anchors
        elif sentence_mode:
            widgets.extend(self._sentence_pairs(document, right))
        else:
            widgets.extend(self._side_by_side(document, right, narrow))
        if document.next_title:
            widgets.append(
                Static(
                    Content.assemble(("Next: ", "$text-muted"), clean_line(document.next_title)),
                    classes="next-article",
                    markup=False,
                )
            )
        widgets.append(Static("", classes="end-spacer"))
        return layout

    def _parallel(self, left: Document, right: Document, width: int) -> ParallelText:
        """The alignment read with the variants, or worked out now if there is none."""
        given = self.parallel
        if given is not None and given.languages == {
            "left": self.language,
            "right": self.right_language,
        }:
            return given
        return align_variants(left, right, width, self.language or "", self.right_language or "")

    def _count_notice(self, left: Document, right: Document, rows: str) -> list[Widget]:
        left_count, right_count = len(left.blocks), len(right.blocks)
        if left_count == right_count:
            return []
        message = (
            f"⚠ {endonym(self.language or '')} has {left_count} paragraphs, "
            f"{endonym(self.right_language or '')} {right_count}: {rows}."
        )
        return [Static(message, classes="notice", markup=False)]

    def _side_by_side(self, left: Document, right: Document, narrow: bool) -> list[Widget]:
        """Rows of aligned paragraphs side by side (a paragraph beside the one or two that
        translate it); interleaved when narrow."""
        width = self.width
        self.layout.interleaved = narrow
        parallel = self.layout.parallel_text = self._parallel(left, right, width)
        widgets = self._count_notice(left, right, "rows follow the paragraph alignment")
        for pair in parallel.pairs:
            script, right_script = self._script(self.language), self._script(self.right_language)
            lefts = [Paragraph(left.blocks[i], i, width, side="left", **script) for i in pair.left]
            rights = [
                Paragraph(right.blocks[j], j, width, side="right", **right_script)
                for j in pair.right
            ]
            self.layout.paragraphs.extend(lefts)
            self.layout.right_paragraphs.extend(rights)
            self.layout.right_by_index.update((widget.index, widget) for widget in rights)
            if self.layout.interleaved:
                for widget in lefts + rights:
                    widget.styles.max_width = width
                for widget in rights:
                    widget.add_class("interleaved")
                widgets.extend([*lefts, *rights])
                self.layout.anchors.extend(lefts)
                if lefts:
                    self.layout.note_anchors.extend([(rights or lefts)[-1]] * len(lefts))
                continue
            columns: list[Widget] = []
            for side, members in (("left", lefts), ("right", rights)):
                if not members:
                    columns.append(Paragraph(None, -1, width, side=side))
                elif len(members) == 1:
                    columns.append(members[0])
                else:
                    columns.append(Vertical(*members, classes=f"column {side}-column"))
            row = Horizontal(*columns, classes="pair")
            widgets.append(row)
            # One paragraph in the row: the row marks it; two: each its own top.
            self.layout.anchors.extend([row] if len(lefts) == 1 else lefts)
            self.layout.note_anchors.extend([row] * len(lefts))
        return widgets

    def _sentence_pairs(self, left: Document, right: Document) -> list[Widget]:
        """Each sentence followed by the sentence(s) that translate it, dimmed, paragraph
        by paragraph (aligned paragraphs: a merge shows its sentences together)."""
        width = self.width
        self.layout.interleaved = True
        parallel = self.layout.parallel_text = self._parallel(left, right, width)
        widgets = self._count_notice(left, right, "sentences follow the paragraph alignment")
        for bead, pair in enumerate(parallel.pairs):
            # The sentence pairs of a bead, under the left paragraph their first sentence is in.
            groups: dict[int, list[tuple[tuple[SentenceRef, ...], tuple[SentenceRef, ...]]]] = {
                index: [] for index in pair.left
            }
            owner = pair.left[0] if pair.left else None
            for sentences in parallel.sentence_pairs(bead):
                if sentences.left:
                    owner = sentences.left[0].paragraph
                if owner is not None:
                    groups[owner].append((sentences.left, sentences.right))
            if not pair.left:
                # Paragraphs only the right variant has: shown dimmed, on their own.
                for j in pair.right:
                    block = right.blocks[j]
                    extra = Paragraph(
                        block, j, width, side="right", **self._script(self.right_language)
                    )
                    extra.add_class("interleaved")
                    extra.styles.max_width = width
                    widgets.append(extra)
                continue
            for index, members in groups.items():
                widget = self._sentence_pair_paragraph(left.blocks[index], index, width, members)
                widget.styles.max_width = width
                self.layout.paragraphs.append(widget)
                widgets.append(widget)
        self.layout.anchors = list(self.layout.paragraphs)
        self.layout.note_anchors = self.layout.anchors
        return widgets

    def _sentence_pair_paragraph(
        self,
        block: Block,
        index: int,
        width: int,
        members: list[tuple[tuple[SentenceRef, ...], tuple[SentenceRef, ...]]],
    ) -> Paragraph:
        """One left paragraph of the sentence pairs view, remembering where it drew what."""
        parallel = self.layout.parallel_text
        assert parallel is not None
        parts: list[Content | str | tuple[str, str]] = []
        drawn: list[tuple[SentenceRef, int, int]] = []
        translated: list[tuple[tuple[SentenceRef, ...], int, int]] = []
        position = 0
        for number, (lefts, rights) in enumerate(members):
            if number:
                parts.append("\n")
                position += 1
            for count, ref in enumerate(lefts):
                if count:
                    parts.append(" ")
                    position += 1
                text = parallel.sentence_text(ref)
                parts.append(text)
                drawn.append((ref, position, position + len(text)))
                position += len(text)
            translation = " ".join(parallel.sentence_text(ref, "right") for ref in rights)
            if translation:
                if lefts:
                    parts.append("\n")
                    position += 1
                parts.append(("  " + translation, "$text-muted"))
                translated.append((lefts, position + 2, position + 2 + len(translation)))
                position += 2 + len(translation)
        widget = Paragraph(
            block,
            index,
            width,
            side="sentence-pairs",
            content=Content.assemble(*parts),
            **self._script(self.language),
        )
        for ref, start, end in drawn:
            self.layout.drawn_at[ref] = (widget, start, end)
        for lefts, start, end in translated:
            for ref in lefts:
                self.layout.translations_at.setdefault(ref, []).append((widget, start, end))
        return widget

"""Two variants of one article read together: paragraphs aligned, sentences on demand.

:class:`ParallelText` holds the paragraph texts of two variants and their paragraph
alignment (computed once); the sentences of a bead of paragraphs and their alignment are
computed the first time they are asked for and cached, so a view that only shows a few
paragraphs only segments those. It answers what the reader and the command line need:
which sentences on the other side translate this one, and where a place in one variant
is in the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reader.text.align import AlignedPair, align_paragraphs, align_sentences, counterpart
from reader.text.sentences import sentence_spans

Side = Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """One sentence: its paragraph and its number within the paragraph (both from 0)."""

    paragraph: int
    sentence: int


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Sentences of the left variant and the right-variant sentences that translate them."""

    left: tuple[SentenceRef, ...]
    right: tuple[SentenceRef, ...]


class ParallelText:
    """Two variants' paragraphs with their alignment; sentences computed lazily, cached.

    Args:
        left: The text of each left paragraph (block), as shown.
        right: The same for the right variant.
        left_language: Language tag of the left variant.
        right_language: Language tag of the right variant.
        left_headings: Which left blocks are headings (anchors of the alignment).
        right_headings: The same for the right blocks.
    """

    def __init__(
        self,
        left: Sequence[str],
        right: Sequence[str],
        left_language: str,
        right_language: str,
        *,
        left_headings: Sequence[bool] = (),
        right_headings: Sequence[bool] = (),
    ) -> None:
        self.texts: dict[Side, tuple[str, ...]] = {"left": tuple(left), "right": tuple(right)}
        self.languages: dict[Side, str] = {"left": left_language, "right": right_language}
        #: The paragraph beads, in order, covering both variants.
        self.pairs: list[AlignedPair] = align_paragraphs(
            left,
            right,
            left_language,
            right_language,
            left_headings=left_headings,
            right_headings=right_headings,
        )
        self._bead: dict[Side, dict[int, int]] = {"left": {}, "right": {}}
        for number, pair in enumerate(self.pairs):
            for index in pair.left:
                self._bead["left"][index] = number
            for index in pair.right:
                self._bead["right"][index] = number
        self._sentence_pairs: dict[int, list[SentencePair]] = {}

    def bead_of(self, paragraph: int, side: Side = "left") -> int | None:
        """The number of the bead that holds ``paragraph`` of ``side``."""
        return self._bead[side].get(paragraph)

    def paragraph_counterpart(self, paragraph: int, side: Side = "left") -> tuple[int, ...]:
        """The paragraphs of the other side aligned with ``paragraph`` (see ``counterpart``)."""
        return counterpart(self.pairs, paragraph, side)

    def sentences(self, paragraph: int, side: Side = "left") -> tuple[tuple[int, int], ...]:
        """Offsets of the sentences of ``paragraph`` of ``side`` in its text (cached)."""
        texts = self.texts[side]
        if not 0 <= paragraph < len(texts):
            return ()
        return sentence_spans(texts[paragraph], self.languages[side])

    def sentence_text(self, ref: SentenceRef, side: Side = "left") -> str:
        """The text of one sentence."""
        spans = self.sentences(ref.paragraph, side)
        if not 0 <= ref.sentence < len(spans):
            return ""
        start, end = spans[ref.sentence]
        return self.texts[side][ref.paragraph][start:end]

    def sentence_pairs(self, bead: int) -> list[SentencePair]:
        """The sentence alignment within paragraph bead number ``bead`` (cached)."""
        cached = self._sentence_pairs.get(bead)
        if cached is not None:
            return cached
        pair = self.pairs[bead]
        sides: dict[Side, list[SentenceRef]] = {"left": [], "right": []}
        strings: dict[Side, list[str]] = {"left": [], "right": []}
        by_side: tuple[tuple[Side, tuple[int, ...]], ...] = (
            ("left", pair.left),
            ("right", pair.right),
        )
        for side, paragraphs in by_side:
            for paragraph in paragraphs:
                text = self.texts[side][paragraph]
                for number, (start, end) in enumerate(self.sentences(paragraph, side)):
                    sides[side].append(SentenceRef(paragraph, number))
                    strings[side].append(text[start:end])
        beads = align_sentences(
            strings["left"], strings["right"], self.languages["left"], self.languages["right"]
        )
        result = [
            SentencePair(
                tuple(sides["left"][i] for i in bead_pair.left),
                tuple(sides["right"][j] for j in bead_pair.right),
            )
            for bead_pair in beads
        ]
        self._sentence_pairs[bead] = result
        return result

    def counterpart_sentences(
        self, ref: SentenceRef, side: Side = "left"
    ) -> tuple[SentenceRef, ...]:
        """The sentences of the other side that translate sentence ``ref`` of ``side``.

        Empty when the sentence has no translation there (a 1-0 bead).
        """
        bead = self.bead_of(ref.paragraph, side)
        if bead is None:
            return ()
        for pair in self.sentence_pairs(bead):
            mine, theirs = (pair.left, pair.right) if side == "left" else (pair.right, pair.left)
            if ref in mine:
                return theirs
        return ()

    def map_position(self, ref: SentenceRef, side: Side = "left") -> SentenceRef:
        """Where the place ``ref`` of ``side`` is in the other variant.

        The first sentence that translates it; for a sentence without translation, the
        first sentence of the aligned paragraph (or the nearest paragraph before it).
        """
        theirs = self.counterpart_sentences(ref, side)
        if theirs:
            return theirs[0]
        paragraphs = self.paragraph_counterpart(ref.paragraph, side)
        return SentenceRef(paragraphs[0] if paragraphs else 0, 0)


def map_position(
    old: Sequence[str],
    new: Sequence[str],
    old_language: str,
    new_language: str,
    paragraph: int,
    sentence: int = 0,
    *,
    old_headings: Sequence[bool] = (),
    new_headings: Sequence[bool] = (),
) -> SentenceRef:
    """Where paragraph ``paragraph``, sentence ``sentence`` of one variant is in another.

    A convenience over :class:`ParallelText` for a language switch: ``old`` and ``new``
    are the paragraph texts of the two variants.
    """
    parallel = ParallelText(
        old,
        new,
        old_language,
        new_language,
        left_headings=old_headings,
        right_headings=new_headings,
    )
    return parallel.map_position(SentenceRef(paragraph, sentence))

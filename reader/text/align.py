"""Aligning two translations: paragraphs with paragraphs, sentences with sentences.

The method is Gale and Church's (1993): translations of a sentence have proportional
lengths, so a dynamic programme over the two sequences picks the chain of *beads* (1-1,
1-2, 2-1, 1-0 and 0-1) whose lengths fit best, each bead scored by how likely its length
difference is under a normal distribution plus how common the bead's kind is. It needs
no dictionary, no network and no model, and works for any pair of languages once lengths
are made comparable: each language's characters are counted in "English characters",
dividing by :data:`CHARS_PER_ENGLISH_CHAR` (a Chinese sentence has about a quarter of
the characters of its English translation). For a language not in the table the two
texts' total lengths calibrate each other.

Paragraphs are aligned the same way (real translations split and merge paragraphs), with
headings as anchors: a heading pairs with a heading, never merges with body text.

Everything here is pure and cheap enough to run on the paragraphs in view; the results
of :func:`align_texts` are cached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from reader.languages import primary_subtag
from reader.text.sentences import split_sentences

#: Non-space characters per non-space English character, measured on the bundled
#: library's two news articles (11 paragraphs, each in 14 languages; the per-paragraph
#: ratios vary by 2-6 %). Recomputed by ``benchmarks/length_ratios.py``.
CHARS_PER_ENGLISH_CHAR: dict[str, float] = {
    "en": 1.0,
    "de": 1.169,
    "zh": 0.275,
    "ru": 1.014,
    "ja": 0.412,
    "sa": 0.967,
    "el": 1.119,
    "es": 1.074,
    "fi": 1.028,
    "fr": 1.166,
    "id": 1.039,
    "it": 1.084,
    "la": 1.02,
    "pt": 1.027,
}

# How common each kind of bead is (Gale and Church's figures, 2-2 left out and its share
# given to 1-1): the cost of a bead is -log(prior) - log(P(length difference)).
_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.90,
    (1, 0): 0.005,
    (0, 1): 0.005,
    (2, 1): 0.045,
    (1, 2): 0.045,
}
_BEADS = tuple(_PRIORS)
_PRIOR_COST = {bead: -math.log(p) for bead, p in _PRIORS.items()}
#: Variance of the length difference per unit of length (Gale and Church: 6.8 characters).
_VARIANCE = 6.8
#: Extra cost of a bead that merges a heading with body text, or leaves one unpaired.
_HEADING_MISMATCH = 12.0
#: Largest cost of a 1-1 bead for which the diagonal is taken without the programme.
_DIAGONAL_COST = 2.5
#: Beyond this many cells the programme only looks near the diagonal.
_FULL_TABLE = 250_000
_BAND = 60


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One bead of an alignment: items of the left sequence that translate items of the right.

    Attributes:
        left: Indexes into the left sequence, ascending (empty for a 0-1 bead: a
            right item with no counterpart).
        right: Indexes into the right sequence, ascending (empty for a 1-0 bead).
    """

    left: tuple[int, ...]
    right: tuple[int, ...]


def length_ratio(language: str) -> float | None:
    """Characters of ``language`` per English character, or ``None`` if not measured."""
    return CHARS_PER_ENGLISH_CHAR.get(primary_subtag(language))


def align_sentences(
    left: Sequence[str], right: Sequence[str], left_language: str, right_language: str
) -> list[AlignedPair]:
    """Align the sentences of one paragraph with those of its translation.

    Args:
        left: The sentences of the left text, in order.
        right: The sentences of the right text, in order.
        left_language: Language tag of ``left``.
        right_language: Language tag of ``right``.

    Returns:
        Beads in order, covering every index of both sides exactly once, monotone
        (each bead's indexes follow the previous bead's on both sides).
    """
    left_lengths, right_lengths = _normalised_lengths(left, right, left_language, right_language)
    return _align(left_lengths, right_lengths, (), ())


def align_paragraphs(
    left: Sequence[str],
    right: Sequence[str],
    left_language: str,
    right_language: str,
    *,
    left_headings: Sequence[bool] = (),
    right_headings: Sequence[bool] = (),
) -> list[AlignedPair]:
    """Align the paragraphs (blocks) of two variants of one article.

    Args:
        left: The plain text of each left block, in order.
        right: The plain text of each right block, in order.
        left_language: Language tag of ``left``.
        right_language: Language tag of ``right``.
        left_headings: For each left block, whether it is a heading (missing = no).
        right_headings: The same for the right blocks.

    Returns:
        Beads as for :func:`align_sentences`: 1-1, 1-2, 2-1, 1-0 and 0-1, with a heading
        paired only with a heading.
    """
    left_lengths, right_lengths = _normalised_lengths(left, right, left_language, right_language)
    return _align(left_lengths, right_lengths, left_headings, right_headings)


@lru_cache(maxsize=1024)
def align_texts(
    left: str, right: str, left_language: str, right_language: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[AlignedPair, ...]]:
    """Split two paragraphs into sentences and align them (cached).

    Returns:
        The left sentences, the right sentences and the beads between them.
    """
    left_sentences = tuple(split_sentences(left, left_language))
    right_sentences = tuple(split_sentences(right, right_language))
    pairs = align_sentences(left_sentences, right_sentences, left_language, right_language)
    return left_sentences, right_sentences, tuple(pairs)


def counterpart(
    pairs: Sequence[AlignedPair], index: int, side: Literal["left", "right"] = "left"
) -> tuple[int, ...]:
    """The indexes on the other side that item ``index`` of ``side`` is aligned with.

    An item with no counterpart (a 1-0 bead) gets the nearest one before it (or after it,
    at the very start), so that "keep my place" always has somewhere to go; empty only
    when the other side is empty.
    """
    position = None
    for number, pair in enumerate(pairs):
        mine = pair.left if side == "left" else pair.right
        if index in mine:
            position = number
            break
    if position is None:
        return ()
    order = [*range(position, -1, -1), *range(position + 1, len(pairs))]
    for number in order:
        pair = pairs[number]
        theirs: tuple[int, ...] = pair.right if side == "left" else pair.left
        if theirs:
            return theirs
    return ()


def _text_length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def _normalised_lengths(
    left: Sequence[str], right: Sequence[str], left_language: str, right_language: str
) -> tuple[list[float], list[float]]:
    """Lengths of both sides in comparable units (English characters where measured)."""
    left_raw = [_text_length(text) for text in left]
    right_raw = [_text_length(text) for text in right]
    left_ratio = length_ratio(left_language)
    right_ratio = length_ratio(right_language)
    if left_ratio is None or right_ratio is None:
        # Unmeasured language: assume the two texts as a whole have the same length.
        total_left, total_right = sum(left_raw), sum(right_raw)
        left_ratio = 1.0
        right_ratio = total_right / total_left if total_left and total_right else 1.0
    return [n / left_ratio for n in left_raw], [n / right_ratio for n in right_raw]


def _length_cost(left: float, right: float) -> float:
    """-log P(a length difference at least this large) for a bead of these lengths."""
    if left == right or not left or not right:
        # An item left unpaired costs its bead's prior only: how long it is says nothing
        # about whether it was left out (Gale and Church's formula would make a long
        # paragraph missing from a translation look like a merge of two).
        return 0.0
    mean = (left + right) / 2
    delta = abs(right - left) / math.sqrt(_VARIANCE * max(mean, 1.0))
    probability = math.erfc(delta / math.sqrt(2))
    return -math.log(max(probability, 1e-300))


def _align(
    left: list[float],
    right: list[float],
    left_headings: Sequence[bool],
    right_headings: Sequence[bool],
) -> list[AlignedPair]:
    n, m = len(left), len(right)
    if n == 0 or m == 0:
        return [AlignedPair((i,), ()) for i in range(n)] + [AlignedPair((), (j,)) for j in range(m)]
    left_head = [index < len(left_headings) and bool(left_headings[index]) for index in range(n)]
    right_head = [index < len(right_headings) and bool(right_headings[index]) for index in range(m)]
    if n == m and _diagonal_fits(left, right, left_head, right_head):
        return [AlignedPair((index,), (index,)) for index in range(n)]
    return _programme(left, right, left_head, right_head)


def _diagonal_fits(
    left: list[float], right: list[float], left_head: list[bool], right_head: list[bool]
) -> bool:
    """Whether pairing item i with item i is plainly the best alignment.

    True when every pair fits well (heading with heading, a length cost below
    :data:`_DIAGONAL_COST`): replacing any two 1-1 beads by a 2-1 and a 1-2 costs more
    than twice that in priors alone, so the programme would find the same. The common
    case (a faithful translation) then costs one pass instead of a table.
    """
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        if left_head[index] != right_head[index]:
            return False
        if not left_head[index] and _length_cost(a, b) > _DIAGONAL_COST:
            return False
    return True


def _programme(
    left: list[float], right: list[float], left_head: list[bool], right_head: list[bool]
) -> list[AlignedPair]:
    """Gale and Church's dynamic programme, near the diagonal for long sequences."""
    n, m = len(left), len(right)
    inf = math.inf
    prior = _PRIOR_COST
    one_one, one_none, none_one = prior[(1, 1)], prior[(1, 0)], prior[(0, 1)]
    two_one, one_two = prior[(2, 1)], prior[(1, 2)]
    mismatch = _HEADING_MISMATCH
    length_cost = _length_cost
    if (n + 1) * (m + 1) > _FULL_TABLE:
        band = max(_BAND, 2 * abs(n - m))
        spans = [
            (max(0, round(i * m / n) - band), min(m, round(i * m / n) + band)) for i in range(n + 1)
        ]
    else:
        spans = [(0, m)] * (n + 1)
    # cost[i][j - lo_i]: best cost of aligning left[:i] with right[:j]; back: its last bead
    # as one number (di * 3 + dj).
    cost: list[list[float]] = []
    back: list[list[int]] = []
    for i in range(n + 1):
        lo, hi = spans[i]
        row = [inf] * (hi - lo + 1)
        moves = [0] * (hi - lo + 1)
        up_lo, up_hi = spans[i - 1] if i >= 1 else (1, 0)
        up2_lo, up2_hi = spans[i - 2] if i >= 2 else (1, 0)
        up = cost[i - 1] if i >= 1 else []
        up2 = cost[i - 2] if i >= 2 else []
        a1 = left[i - 1] if i >= 1 else 0.0
        a2 = a1 + left[i - 2] if i >= 2 else 0.0
        h1 = left_head[i - 1] if i >= 1 else False
        h2 = h1 or (left_head[i - 2] if i >= 2 else False)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, move = inf, 0
            if j - 1 >= lo:  # 0-1: right[j-1] alone
                total = row[j - 1 - lo] + none_one + (mismatch if right_head[j - 1] else 0.0)
                if total < best:
                    best, move = total, 1
            if i >= 1 and up_lo <= j <= up_hi:  # 1-0: left[i-1] alone
                total = up[j - up_lo] + one_none + (mismatch if h1 else 0.0)
                if total < best:
                    best, move = total, 3
            if i >= 1 and j >= 1 and up_lo <= j - 1 <= up_hi:  # 1-1
                before = up[j - 1 - up_lo]
                if before < best:
                    b1, r1 = right[j - 1], right_head[j - 1]
                    if h1 and r1:
                        total = before + one_one  # headings anchor: lengths hardly matter
                    else:
                        total = before + one_one + length_cost(a1, b1)
                        if h1 or r1:
                            total += mismatch
                    if total < best:
                        best, move = total, 4
            if i >= 1 and j >= 2 and up_lo <= j - 2 <= up_hi:  # 1-2
                before = up[j - 2 - up_lo]
                if before + one_two < best:
                    total = before + one_two + length_cost(a1, right[j - 1] + right[j - 2])
                    if h1 or right_head[j - 1] or right_head[j - 2]:
                        total += mismatch
                    if total < best:
                        best, move = total, 5
            if i >= 2 and j >= 1 and up2_lo <= j - 1 <= up2_hi:  # 2-1
                before = up2[j - 1 - up2_lo]
                if before + two_one < best:
                    total = before + two_one + length_cost(a2, right[j - 1])
                    if h2 or right_head[j - 1]:
                        total += mismatch
                    if total < best:
                        best, move = total, 7
            row[j - lo] = best
            moves[j - lo] = move
        cost.append(row)
        back.append(moves)
    pairs: list[AlignedPair] = []
    i, j = n, m
    while i > 0 or j > 0:
        move = back[i][j - spans[i][0]]
        di, dj = divmod(move, 3)
        pairs.append(AlignedPair(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs

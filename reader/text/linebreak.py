"""Line breaking by script: where a line of body text may end, for a width in cells.

Scripts that put spaces between words (Latin, Greek, Cyrillic, Devanagari, Hangul...)
are wrapped at spaces exactly as Rich and Textual do (their own ``divide_line``), so
that such text looks cell for cell as it always did; only a word too long for a line,
which they fold character by character, is kept from being cut inside a grapheme
cluster (a Devanagari conjunct, a letter with combining marks, an emoji sequence).

Text with Chinese or Japanese in it is wrapped at the line-break opportunities of
Unicode's line-breaking algorithm (UAX #14) with the strict CJK rules (kinsoku), as
ICU computes them: a Latin word or a number inside CJK text is never split, closing
punctuation (``，。、」）！？``, small kana, ``ー``) never starts a line and an opening
bracket or quote never ends one. ICU (icu4py) costs about 0.1 ms for a 1,000-character
article; the pure-Python uniseg took 80 ms for the same text, several frames.

Pure: no Textual. ICU is imported only when CJK text is wrapped.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rich._wrap import divide_line
from rich.cells import cell_len

#: Characters whose text is wrapped by UAX #14 instead of at spaces: Han ideographs,
#: kana, Bopomofo, CJK symbols and punctuation, fullwidth forms, CJK compatibility
#: ideographs and the supplementary ideographic planes. Hangul is not here: Korean is
#: written with spaces and wrapped at them (CSS ``word-break: keep-all``).
_CJK = re.compile(
    "[\u2e80-\u2fdf\u2ff0-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003ffff]"
)

#: Characters that may never begin a line in CJK text (kinsoku shori): closing
#: brackets and quotes, full stops and commas, ellipses, small kana, iteration marks.
CLOSING = frozenset(
    "，。、．：；！？」』）〕］｝〉》】〗〙〛”’…‥・ー々ゝゞヽヾ〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    ",.:;!?)]}%"
)
#: Characters that may never end a line in CJK text: opening brackets and quotes.
OPENING = frozenset("「『（〔［｛〈《【〖〘〚“‘([{")

#: A break before one of these may fall inside a grapheme cluster.
_JOINERS = frozenset("\u200c\u200d\u034f\ufe0e\ufe0f")


def has_cjk(text: str) -> bool:
    """Whether ``text`` has Chinese or Japanese characters, wrapped by UAX #14."""
    return _CJK.search(text) is not None


def line_offsets(text: str, width: int, language: str = "") -> list[int]:
    """Where to cut one line of text (no ``\\n`` in it) so that each piece fits ``width``.

    The same contract as Rich's ``divide_line``: the offsets, in characters, at which
    new lines start; spaces at the end of a line hang past the width (the caller strips
    them). A piece longer than the width with no break opportunity in it is folded
    between grapheme clusters.

    Args:
        text: One line of text.
        width: Cells available (at least 1).
        language: The language tag of the text, if known (``"ja"``, ``"zh-Hant"``);
            it picks the ICU locale, whose rules differ slightly per language.

    Returns:
        Increasing offsets, each strictly between 0 and ``len(text)``.
    """
    width = max(1, width)
    if not has_cjk(text):
        offsets = divide_line(text, width, fold=True)
        if text.isascii() or not offsets:
            return offsets
        return _out_of_clusters(text, offsets)
    return _greedy(text, break_units(text, language), width)


def break_units(text: str, language: str = "") -> tuple[str, ...]:
    """``text`` cut at every line-break opportunity: pieces no line may split (a word,
    a number, a character with the punctuation that clings to it), spaces after them.

    Only text with CJK in it is cut by UAX #14; other text is cut at spaces.
    """
    if not has_cjk(text):
        return tuple(re.findall(r"\S+\s*|\s+", text))
    return _units(text, language.split("-")[0].lower() or "zh")


def wrap(text: str, width: int, language: str = "") -> list[str]:
    """``text`` wrapped to ``width`` cells: its lines, trailing spaces stripped.

    ``\\n`` in ``text`` ends a line. Used by ``reader show``'s plain output and by tests;
    the interface divides styled text at :func:`line_offsets` itself.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        offsets = line_offsets(line, width, language)
        bounds = [0, *offsets, len(line)]
        lines.extend(line[a:b].rstrip() for a, b in itertools.pairwise(bounds))
    return lines


def _greedy(text: str, units: Sequence[str], width: int) -> list[int]:
    """Fill lines with as many break units as fit; fold a unit wider than a line."""
    offsets: list[int] = []
    used = 0  # cells on the current line, its trailing spaces included
    position = 0
    for unit in units:
        body = cell_len(unit.rstrip())
        if used + body <= width:
            used += cell_len(unit)
        elif body <= width:
            offsets.append(position)
            used = cell_len(unit)
        else:
            # No opportunity inside (a long URL, a line of dashes): fold between clusters.
            if used:
                offsets.append(position)
                used = 0
            start = position
            for cluster in _clusters(unit):
                cells = cell_len(cluster)
                if used and used + cells > width and not cluster.isspace():
                    offsets.append(start)
                    used = 0
                used += cells
                start += len(cluster)
        position += len(unit)
    return [offset for offset in offsets if 0 < offset < len(text)]


@lru_cache(maxsize=2048)
def _units(text: str, language: str) -> tuple[str, ...]:
    """The text cut at every UAX #14 break opportunity (strict line breaking), cached:
    they do not depend on the width, so a resize only re-runs the fast greedy fill."""
    from icu4py.breakers import LineBreaker

    units = tuple(LineBreaker(text, f"{language}@lb=strict"))
    if sum(map(len, units)) != len(text):  # never expected; never lose text over it
        return tuple(re.findall(r"\S+\s*|\s+", text))
    return units


def _clusters(text: str) -> list[str]:
    """``text`` as extended grapheme clusters (UAX #29)."""
    if text.isascii():
        return list(text)
    from icu4py.breakers import CharacterBreaker

    clusters = list(CharacterBreaker(text, "und"))
    return clusters if sum(map(len, clusters)) == len(text) else list(text)


def _may_split_cluster(text: str, offset: int) -> bool:
    """A quick test: could a line starting at ``offset`` cut a grapheme cluster?"""
    char, before = text[offset], text[offset - 1]
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in _JOINERS
        or before in _JOINERS
        or unicodedata.combining(before) == 9  # a virama joins the next consonant
        or "\U0001f1e6" <= char <= "\U0001f1ff"  # regional indicators pair up
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tone modifiers
    )


def _out_of_clusters(text: str, offsets: list[int]) -> list[int]:
    """Move any cut that falls inside a grapheme cluster to the cluster's start (or,
    if that would leave an empty line, its end)."""
    if not any(_may_split_cluster(text, offset) for offset in offsets):
        return offsets
    starts: list[int] = []
    position = 0
    for cluster in _clusters(text):
        starts.append(position)
        position += len(cluster)
    boundaries = set(starts)
    moved: list[int] = []
    for offset in offsets:
        if offset not in boundaries:
            before = max((s for s in starts if s < offset), default=0)
            after = min((s for s in starts if s > offset), default=len(text))
            offset = before if before > (moved[-1] if moved else 0) else after
        if 0 < offset < len(text) and (not moved or offset > moved[-1]):
            moved.append(offset)
    return moved

"""Find in article: the pure search over the paragraphs' text, and the bar's state.

:func:`find_matches` knows nothing of widgets, so it is tested on plain strings; the
Article screen feeds it the text each paragraph shows and paints what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: What the empty find bar says.
FIND_PLACEHOLDER = "find in article · enter next · escape close"

#: One match: (paragraph, side, start, end); side is ``"left"`` or ``"right"``.
Match = tuple[int, str, int, int]


def find_matches(query: str, texts: Iterable[tuple[str, int, str]]) -> list[Match]:
    """Where ``query`` occurs, case-insensitively, in ``texts`` of (side, paragraph, text).

    The query is stripped; an empty one matches nothing. Matches do not overlap and come
    sorted by paragraph, then side, then position. Comparison is by full case folding, so
    ``strasse`` finds ``Straße`` and ``STRASSE`` finds ``straße``; offsets are into the
    text as given, so a match that begins or ends inside a character that folds to
    several (``ß`` -> ``ss``) covers that whole character, once.
    """
    needle = query.strip().casefold()
    matches: list[Match] = []
    if not needle:
        return matches
    for side, index, plain in texts:
        folded = plain.casefold()
        # Most text folds character for character: offsets then need no mapping.
        origin = None if len(folded) == len(plain) else _fold_origins(plain)
        shown_end = 0
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            if origin is None:
                matches.append((index, side, start, end))
            elif origin[start] >= shown_end:
                # Two matches inside one ß would light the same character twice.
                shown_end = origin[end - 1] + 1
                matches.append((index, side, origin[start], shown_end))
            start = folded.find(needle, end)
    matches.sort()
    return matches


def _fold_origins(plain: str) -> list[int]:
    """For each character of ``plain``'s case folding, the index of the one it came from.

    Full case folding has no context rules, so ``plain.casefold()`` is the characters'
    foldings one after another, and this list lines up with it.
    """
    return [
        position
        for position, character in enumerate(plain)
        for _ in range(len(character.casefold()))
    ]


@dataclass
class FindState:
    """Matches of the find bar: (paragraph, side, start, end), and the current one."""

    query: str = ""
    matches: list[Match] = field(default_factory=list)
    current: int = 0

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
    sorted by paragraph, then side, then position. Offsets are into the text as given:
    where case folding changes a text's length (``ß`` -> ``ss``), it is lower-cased
    instead, so that an offset still points at the character the reader sees.
    """
    needle = query.strip().casefold()
    matches: list[Match] = []
    if not needle:
        return matches
    for side, index, plain in texts:
        folded = plain.casefold()
        haystack = folded if len(folded) == len(plain) else plain.lower()
        start = haystack.find(needle)
        while start >= 0:
            matches.append((index, side, start, start + len(needle)))
            start = haystack.find(needle, start + len(needle))
    matches.sort()
    return matches


@dataclass
class FindState:
    """Matches of the find bar: (paragraph, side, start, end), and the current one."""

    query: str = ""
    matches: list[Match] = field(default_factory=list)
    current: int = 0

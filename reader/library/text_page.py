"""The reference site's plain-text page format.

Line 1 is the title (enclosing typographic quotes such as „…“ are stripped), then an
optional ISO date line and an optional language-bar line (in either order), then the
body: paragraphs separated by blank lines, or one paragraph per line when the body has
no blank line at all.
"""

from __future__ import annotations

import datetime as dt
import re

from reader.languages import parse_language_bar
from reader.library.model import Block, Document, ProblemKind, Span

_DATE_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?\S*)?$")
_QUOTE_PAIRS: tuple[tuple[str, str], ...] = (
    ("„", "“"),
    ("„", "”"),
    ("“", "”"),
    ("”", "”"),
    ("«", "»"),
    ("»", "«"),
    ("「", "」"),
    ("『", "』"),
    ("‘", "’"),
    ("‚", "‘"),
    ("‹", "›"),
    ('"', '"'),
)
_NBSP = "\u00a0\u202f "
#: At most this many paragraphs are built (each becomes a widget in the Article view).
MAX_PARAGRAPHS = 5000


def strip_title_quotes(title: str) -> str:
    """Remove one pair of typographic quotes enclosing the whole title."""
    stripped = title.strip()
    for opening, closing in _QUOTE_PAIRS:
        if len(stripped) > 2 and stripped.startswith(opening) and stripped.endswith(closing):
            inner = stripped[len(opening) : -len(closing)].strip(_NBSP)
            # Only when the quotes enclose everything: „A“ und „B“ keeps its quotes.
            if opening not in inner and closing not in inner:
                return inner
    return stripped


def iso_date(line: str) -> str | None:
    """Return ``YYYY-MM-DD`` if ``line`` is an ISO date (optionally with a time)."""
    match = _DATE_LINE.match(line.strip())
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _is_wide(char: str) -> bool:
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: a space between words, none between CJK characters."""
    result = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if result and not (_is_wide(result[-1]) and _is_wide(line[0])):
            result += " "
        result += line
    return result


def parse_text_page(text: str) -> Document:
    """Parse a plain-text page into a :class:`Document`.

    Args:
        text: Decoded text with ``\\n`` line ends.
    """
    lines = text.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return Document(title="")
    title = strip_title_quotes(lines[index])
    index += 1

    date: str | None = None
    advertised: tuple[str, ...] = ()
    # The date and the language bar may each appear once, in either order.
    for _ in range(2):
        probe = index
        while probe < len(lines) and not lines[probe].strip():
            probe += 1
        if probe >= len(lines):
            break
        candidate = lines[probe].strip()
        if date is None and (found := iso_date(candidate)):
            date, index = found, probe + 1
        elif not advertised and (bar := parse_language_bar(candidate)):
            advertised, index = tuple(bar), probe + 1
        else:
            break

    body = lines[index:]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    paragraphs: list[str]
    if any(not line.strip() for line in body):
        paragraphs = []
        current: list[str] = []
        for line in body:
            if line.strip():
                current.append(line)
            elif current:
                paragraphs.append(join_lines(current))
                current = []
        if current:
            paragraphs.append(join_lines(current))
    else:
        paragraphs = [line.strip() for line in body]
    paragraphs = [p for p in paragraphs if p]
    notices: tuple[str, ...] = ()
    problem_notice: tuple[ProblemKind, str] | None = None
    if len(paragraphs) > MAX_PARAGRAPHS:
        # The same cap and words as for Markdown: the scanner lists such a page.
        paragraphs = paragraphs[:MAX_PARAGRAPHS]
        notices = (f"Only the first {MAX_PARAGRAPHS} blocks (or rows, items) are shown.",)
        problem_notice = ("cut", notices[0])
    blocks = tuple(Block("paragraph", (Span(p),)) for p in paragraphs)
    return Document(
        title=title,
        date=date,
        advertised=advertised,
        blocks=blocks,
        notices=notices,
        problem_notice=problem_notice,
    )


def split_next_title(document: Document, titles: list[str]) -> Document:
    """Split another article's title glued onto the end of the last paragraph.

    The reference site appends the "next article" link's text to the last paragraph
    with no separator. If the last paragraph ends with exactly one of ``titles`` (and
    has text before it), that tail becomes ``next_title``.

    Args:
        document: A parsed page.
        titles: Titles of the library's other articles (longest match wins).
    """
    if not document.blocks or document.blocks[-1].kind != "paragraph":
        return document
    last = document.blocks[-1].plain_text.rstrip()
    for title in sorted(titles, key=len, reverse=True):
        if len(title) < 8 or title == document.title:
            continue
        for candidate in {title, f"„{title}“", f"“{title}”", f"«{title}»"}:
            if last.endswith(candidate) and len(last) > len(candidate):
                head = last[: -len(candidate)].rstrip()
                if not head:
                    continue
                blocks = (*document.blocks[:-1], Block("paragraph", (Span(head),)))
                return Document(
                    title=document.title,
                    date=document.date,
                    advertised=document.advertised,
                    blocks=blocks,
                    next_title=title,
                    notices=document.notices,
                    problem_notice=document.problem_notice,
                )
    return document

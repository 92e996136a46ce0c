"""The fast path for Markdown pages of plain prose: no Markdown parser where none is needed.

Never imports Textual.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reader.library.model import Block, Document, Span

#: Characters that may start inline Markdown (or are normalised) wherever they are.
_MARKUP_CHARACTERS = re.compile(r"[\\`*_\[\]<>&|~\r\0\t\v\f]")
_ORDERED_MARKER = re.compile(r"[0-9]+[.)]")
_SIMPLE_HEADING = re.compile(r"(#{1,6}) ([^#\s](?:[^#]*[^#\s])?)")


def simple_markdown_page(text: str) -> Document | None:
    """Parse a page of plain paragraphs and ATX headings without the Markdown parser.

    Most of a cold index is spent in markdown-it; prose without markup does not need
    it. A page qualifies only if its body has no character that can start inline markup
    (``\\ ` * _ [ ] < > & | ~``, tabs, CR, NUL), no line that starts or ends with
    white space, and no line that starts a block other than a paragraph or a
    ``# heading`` without ``#`` in its text (``- + = >``, a digit run then ``.`` or
    ``)``). For such a page the result equals
    :func:`~reader.library.markdown_page.parse_markdown_page` (a property test checks
    it on generated pages); front matter goes through that very function.

    Returns:
        The document, or ``None`` if the page needs the Markdown parser.
    """
    from reader.library.frontmatter import split_front_matter
    from reader.library.markdown_page import (
        INLINE_BUDGET,
        MAX_BLOCKS,
        MAX_LINES,
        parse_markdown_page,
    )

    kind, _, body = split_front_matter(text)
    if _MARKUP_CHARACTERS.search(body) is not None:
        return None
    if body.count("\n") >= MAX_LINES - 1 or body.count("!") >= INLINE_BUDGET:
        return None
    blocks: list[Block] = []
    lines: list[str] = []
    for line in body.split("\n"):
        if not line:
            if lines:
                blocks.append(Block("paragraph", (Span(" ".join(lines)),)))
                lines = []
            continue
        if line[0].isspace() or line[-1].isspace():
            return None
        first = line[0]
        if first == "#":
            heading = _SIMPLE_HEADING.fullmatch(line)
            if heading is None:
                return None
            if lines:
                blocks.append(Block("paragraph", (Span(" ".join(lines)),)))
                lines = []
            level = len(heading.group(1))
            blocks.append(Block("heading", (Span(heading.group(2)),), level=level))
        elif first in "-+=>" or (first in "0123456789" and _ORDERED_MARKER.match(line)):
            return None
        else:
            lines.append(line)
    if lines:
        blocks.append(Block("paragraph", (Span(" ".join(lines)),)))
    if len(blocks) >= MAX_BLOCKS:
        return None
    # The front matter alone, through the real parser: title, date, tags, notices...
    document = parse_markdown_page(text[: len(text) - len(body)] if kind is not None else "")
    title = document.title
    if not title and blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title = blocks[0].plain_text
        blocks = blocks[1:]
    return replace(document, title=title, blocks=tuple(blocks))

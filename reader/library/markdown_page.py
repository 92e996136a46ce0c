"""Markdown pages: front matter plus CommonMark (with tables) parsed into blocks.

markdown-it-py (already a dependency of Rich) tokenises the body; the tokens are
turned into :class:`~reader.library.model.Block` objects, never into markup, so the
text stays inert. Each top-level block is one "paragraph" for positions and notes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from reader.library.frontmatter import (
    FrontMatter,
    FrontMatterError,
    parse_front_matter,
    split_front_matter,
)
from reader.library.model import Block, Document, ListItem, ProblemKind, Span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

#: At most this many top-level blocks, list items or table rows are built.
MAX_BLOCKS = 5000
MAX_ITEMS = 2000
MAX_ROWS = 1000
MAX_CELLS = 50
#: Only this many lines of a body are parsed: markdown-it's block parser slows down
#: more than linearly on some shapes (a megabyte of ``- a`` lines takes ten seconds).
MAX_LINES = 20_000
#: Table cells one document may make, all tables together; later tables stay text.
MAX_TABLE_CELLS = 100_000
#: How much inline Markdown one document may ask the parser to work through (see
#: :func:`_inline_cost`). Past it, the remaining paragraphs are shown as plain text.
INLINE_BUDGET = 100_000
INLINE_NOTICE = (
    "Only the first part of this page's Markdown formatting is applied; "
    "very long or complex paragraphs after it are shown as plain text."
)
_ENV_SKIPPED = "reader_inline_skipped"
_ENV_CELLS = "reader_table_cells"
_ENV_DEEP = "reader_too_deep"
#: maxNesting bounds the recursion a hostile file can cause.
MAX_NESTING = 40
NESTING_NOTICE = (
    f"Only the first {MAX_NESTING} levels of nesting are shown; what is nested deeper "
    "(and, inside a list, everything after it) is left out."
)
#: Blocks of text, left out when they hold none.
_PROSE = frozenset({"paragraph", "heading", "quote", "list"})
#: An HTML comment (Hugo's ``<!--more-->`` summary divider, editors' notes). CommonMark
#: ends an HTML block of comments at ``-->`` or at the end of the document, so an
#: unclosed one runs to the end too. Comments are never shown.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    parser.core.ruler.at("inline", _budgeted_inline)
    parser.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
    tokenize = parser.block.tokenize

    def tokenize_noting_depth(state: StateBlock, start: int, end: int) -> None:
        # At maxNesting markdown-it silently skips the rest of the range, which for a
        # list item is the rest of the document; note it so the reader is told.
        line = state.skipEmptyLines(start)
        blocks_follow = line < end and state.sCount[line] >= state.blkIndent
        if blocks_follow and state.level >= MAX_NESTING:
            state.env[_ENV_DEEP] = True
        tokenize(state, start, end)

    parser.block.tokenize = tokenize_noting_depth  # type: ignore[method-assign,assignment]
    return parser


def _bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's ``table`` rule, bounded: each cell costs tokens and time.

    A table with more than :data:`MAX_CELLS` columns is not a table (it stays text);
    rows past :data:`MAX_ROWS` are dropped (the block notes the cap); once a document
    has made :data:`MAX_TABLE_CELLS` cells, further tables stay text.
    """
    from markdown_it.rules_block.table import table

    if start + 1 >= end or state.env.get(_ENV_CELLS, 0) >= MAX_TABLE_CELLS:
        return False
    delimiter = state.src[state.bMarks[start + 1] : state.eMarks[start + 1]]
    columns = delimiter.count("|") + 1
    if columns > MAX_CELLS + 2:  # leading and trailing pipes add two empty columns
        return False
    limit = min(end, start + 2 + MAX_ROWS)
    if not table(state, start, limit, silent):
        return False
    if not silent:
        state.env[_ENV_CELLS] = state.env.get(_ENV_CELLS, 0) + columns * (state.line - start)
        # Rows past the cap: skip them without building tokens.
        while state.line == limit and limit < end and not state.isEmpty(limit):
            state.line = limit = limit + 1
    return True


def _inline_cost(text: str) -> int:
    """Roughly how hard ``text`` is for the inline parser.

    Plain prose is nearly free; each ``[`` starts a link-label scan that may look ahead
    ``maxNesting`` levels (``![`` two), which makes a megabyte of ``![![![`` take half a
    minute. Brackets therefore weigh most, other punctuation that opens a rule less; at
    :data:`INLINE_BUDGET` the worst case stays near half a second.
    """
    brackets = 4 * (text.count("[") + text.count("!["))
    return brackets + sum(text.count(mark) for mark in "]!*_`<&\\~")


def _budgeted_inline(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, with a per-document budget.

    An inline token that would overrun what is left of :data:`INLINE_BUDGET` becomes
    one plain text run, so that a hostile page cannot stall a scan.
    """
    from markdown_it.token import Token

    budget = INLINE_BUDGET
    # The notice this leads to starts with "Only the first", which the scanner lists
    # among the library's problems (degraded, not skipped).
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        cost = _inline_cost(token.content)
        if cost <= budget:
            budget -= cost
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        else:
            state.env[_ENV_SKIPPED] = True
            plain = _COMMENT.sub("", token.content).replace("\n", " ")
            token.children.append(Token("text", "", 0, content=plain))


def parse_markdown_page(text: str) -> Document:
    """Parse a Markdown page (front matter optional) into a :class:`Document`.

    Front matter that cannot be parsed is ignored with a notice; the body still shows.
    Windows (CRLF) and old Mac (CR) line ends are read as ``\n``.
    """
    if "\r" in text:  # pages read from disk are normalised already (decode.py)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    kind, raw, body = split_front_matter(text)
    meta = FrontMatter()
    notices: list[str] = []
    # The first notice that lists the page among the library's problems.
    problem: list[tuple[ProblemKind, str]] = []
    lines = body.split("\n", MAX_LINES)
    if len(lines) > MAX_LINES:
        body = "\n".join(lines[:MAX_LINES])
        notices.append(f"Only the first {MAX_LINES} lines are shown.")
        problem.append(("cut", notices[-1]))
    if kind is not None and raw is not None:
        try:
            meta = parse_front_matter(kind, raw)
        except FrontMatterError as error:
            notices.append(f"Front matter ignored: {error}")
            problem.append(("front_matter", notices[-1]))
    blocks, capped, plain, deep = _markdown_blocks(body)
    if capped:
        notices.append(f"Only the first {MAX_BLOCKS} blocks (or rows, items) are shown.")
        problem.append(("cut", notices[-1]))
    if deep:
        notices.append(NESTING_NOTICE)
        problem.append(("cut", NESTING_NOTICE))
    if plain:
        notices.append(INLINE_NOTICE)
        problem.append(("cut", INLINE_NOTICE))
    title = meta.title
    if not title and blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title = blocks[0].plain_text
        blocks = blocks[1:]
    return Document(
        title=title or "",
        date=meta.date,
        blocks=tuple(blocks),
        notices=tuple(notices),
        problem_notice=problem[0] if problem else None,
        tags=meta.tags,
        source=meta.source,
        translation_key=meta.translation_key,
        language=meta.lang,
    )


def markdown_blocks(body: str) -> tuple[list[Block], bool]:
    """Tokenise Markdown and return its top-level blocks and whether a cap was hit."""
    blocks, capped, _, _ = _markdown_blocks(body)
    return blocks, capped


def _markdown_blocks(body: str) -> tuple[list[Block], bool, bool, bool]:
    """Like :func:`markdown_blocks`; also says whether inline parsing was cut short and
    whether nesting went too deep (both lose formatting or text)."""
    env: dict[str, object] = {}
    tokens = _parser().parse(body, env)
    blocks: list[Block] = []
    capped = False
    index = 0
    while index < len(tokens):
        if len(blocks) >= MAX_BLOCKS:
            capped = True
            break
        end = _closing_index(tokens, index)
        block, block_capped = _block(tokens, index, end)
        capped = capped or block_capped
        # A quote, list or paragraph with nothing to show (``>`` alone, a list item
        # that was only an HTML comment) is no paragraph to read, mark or align.
        if block is not None and (block.kind not in _PROSE or block.plain_text.strip()):
            blocks.append(block)
        index = end + 1
    return blocks, capped, bool(env.get(_ENV_SKIPPED)), bool(env.get(_ENV_DEEP))


def _closing_index(tokens: list[Token], start: int) -> int:
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _block(tokens: list[Token], start: int, end: int) -> tuple[Block | None, bool]:
    token = tokens[start]
    kind = token.type
    if kind == "heading_open":
        return Block("heading", _inline_of(tokens, start, end), level=int(token.tag[1:])), False
    if kind == "paragraph_open":
        return Block("paragraph", _inline_of(tokens, start, end)), False
    if kind in ("fence", "code_block"):
        return Block("code", (Span(token.content.rstrip("\n"), code=True),)), False
    if kind == "html_block":
        html = _COMMENT.sub("", token.content)
        if not html.strip():
            return None, False  # comments only, e.g. <!--more-->
        return Block("html", (Span(html.strip("\n"), code=True),)), False
    if kind == "hr":
        return Block("rule"), False
    if kind == "blockquote_open":
        return Block("quote", _quote_spans(tokens, start, end)), False
    if kind in ("bullet_list_open", "ordered_list_open"):
        items, capped = _list_items(tokens, start, end)
        return Block("list", items=tuple(items)), capped
    if kind == "table_open":
        rows, capped = _table_rows(tokens, start, end)
        return Block("table", rows=tuple(rows)), capped
    if kind == "inline":
        return Block("paragraph", tuple(_spans(token))), False
    return None, False


def _inline_of(tokens: list[Token], start: int, end: int) -> tuple[Span, ...]:
    spans: list[Span] = []
    for token in tokens[start:end]:
        if token.type == "inline":
            spans.extend(_spans(token))
    return tuple(spans)


def _quote_spans(tokens: list[Token], start: int, end: int) -> tuple[Span, ...]:
    spans: list[Span] = []
    for token in tokens[start:end]:
        if token.type == "inline":
            if spans:
                spans.append(Span("\n"))
            spans.extend(_spans(token))
        elif token.type in ("fence", "code_block"):
            if spans:
                spans.append(Span("\n"))
            spans.append(Span(token.content.rstrip("\n"), code=True))
    return tuple(spans)


def _list_items(tokens: list[Token], start: int, end: int) -> tuple[list[ListItem], bool]:
    items: list[ListItem] = []
    depth = -1
    counters: list[int] = []
    ordered: list[bool] = []
    pending_marker: str | None = None
    for token in tokens[start : end + 1]:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            ordered.append(token.type == "ordered_list_open")
            first = token.attrs.get("start", 1) if token.attrs else 1
            counters.append(int(first) if isinstance(first, int | str) else 1)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            ordered.pop()
            counters.pop()
        elif token.type == "list_item_open":
            if ordered[-1]:
                pending_marker = f"{counters[-1]}."
                counters[-1] += 1
            else:
                pending_marker = "•"
        elif token.type == "inline":
            if len(items) >= MAX_ITEMS:
                return items, True
            marker = pending_marker or ""
            items.append(ListItem(tuple(_spans(token)), depth=max(depth, 0), marker=marker))
            pending_marker = None
    return items, False


def _table_rows(
    tokens: list[Token], start: int, end: int
) -> tuple[list[tuple[tuple[Span, ...], ...]], bool]:
    rows: list[tuple[tuple[Span, ...], ...]] = []
    row: list[tuple[Span, ...]] = []
    for token in tokens[start : end + 1]:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and len(row) < MAX_CELLS:
            row.append(tuple(_spans(token)))
        elif token.type == "tr_close":
            rows.append(tuple(row))
            if len(rows) >= MAX_ROWS:
                return rows, True
    return rows, False


def _spans(inline: Token) -> list[Span]:
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for child in inline.children or []:
        kind = child.type
        if kind == "text":
            spans.append(Span(child.content, bold=bold > 0, italic=italic > 0, href=href))
        elif kind == "code_inline":
            spans.append(Span(child.content, code=True, href=href))
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span(" " if kind == "softbreak" else "\n"))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold = max(0, bold - 1)
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic = max(0, italic - 1)
        elif kind == "link_open":
            target = child.attrs.get("href") if child.attrs else None
            href = str(target) if target is not None else None
        elif kind == "link_close":
            href = None
        elif kind == "image":
            spans.append(Span(f"[image: {child.content}]", italic=True))
        elif kind == "html_inline" and not child.content.startswith("<!--"):
            spans.append(Span(child.content, code=True))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged:
            last = merged[-1]
            same = (last.bold, last.italic, last.code, last.href) == (
                span.bold,
                span.italic,
                span.code,
                span.href,
            )
            if same:
                merged[-1] = Span(
                    last.text + span.text, span.bold, span.italic, span.code, span.href
                )
                continue
        merged.append(span)
    return merged

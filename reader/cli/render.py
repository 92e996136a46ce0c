"""Render a document for ``reader show``: Rich text for a terminal, plain text for a pipe.

Everything is cleaned with :mod:`reader.sanitize` and built as ``rich.text.Text``, never
parsed as markup. Never imports Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.languages import describe
from reader.library.model import Block, Document, Span
from reader.sanitize import clean, clean_line, safe_link
from reader.text.linebreak import wrap

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from reader.text.bidi import Display


def block_plain(block: Block) -> str:
    """One block as plain text (lists with markers, tables with ``|``)."""
    if block.kind == "list":
        return "\n".join(
            f"{'  ' * item.depth}{item.marker} {clean(''.join(s.text for s in item.spans))}"
            for item in block.items
        )
    if block.kind == "table":
        return "\n".join(
            "| " + " | ".join(clean_line("".join(s.text for s in cell)) for cell in row) + " |"
            for row in block.rows
        )
    if block.kind == "heading":
        return "#" * max(1, block.level) + " " + clean_line(block.plain_text)
    if block.kind == "quote":
        return "\n".join("> " + line for line in clean(block.plain_text).split("\n"))
    if block.kind == "rule":
        return "---"
    return clean(_with_links(block.spans))


def _with_links(spans: tuple[Span, ...]) -> str:
    parts: list[str] = []
    for span in spans:
        parts.append(span.text)
        if span.href and span.href != span.text:
            target = safe_link(span.href)
            parts.append(
                f" <{target}>"
                if target
                else f" <{clean_line(span.href, visible=True)}: not opened>"
            )
    return "".join(parts)


def document_plain(document: Document, language: str, width: int | None = None) -> str:
    """The whole document as plain text; wrapped at ``width`` if given."""
    lines = [clean_line(document.title)]
    meta = [describe(language)]
    if document.date:
        meta.insert(0, clean_line(document.date))
    lines.append(" · ".join(meta))
    lines.append("")
    for notice in document.notices:
        lines.append(f"[{clean_line(notice)}]")
        lines.append("")
    for block in document.blocks:
        text = block_plain(block)
        if width and block.kind in ("paragraph", "quote"):
            text = "\n".join(wrap(text, width, language))
        lines.append(text)
        lines.append("")
    if document.next_title:
        lines.append(f"Next: {clean_line(document.next_title)}")
    return "\n".join(lines).rstrip("\n") + "\n"


def _span_text(span: Span) -> Text:
    from rich.style import Style
    from rich.text import Text

    style = Style(bold=span.bold or None, italic=span.italic or None)
    if span.code:
        style += Style(color="cyan")
    text = Text(clean(span.text), style=style)
    if span.href:
        target = safe_link(span.href)
        if target:
            text.stylize(Style(underline=True, link=target))
        else:
            text.append(f" <{clean_line(span.href, visible=True)}: not opened>", style="dim")
    return text


def document_rich(document: Document, language: str) -> list[Text]:
    """The document as Rich ``Text`` objects, one per block, for a terminal."""
    from rich.text import Text

    out: list[Text] = [Text(clean_line(document.title), style="bold")]
    meta = [describe(language)]
    if document.date:
        meta.insert(0, clean_line(document.date))
    out.append(Text(" · ".join(meta), style="dim"))
    out.append(Text(""))
    for notice in document.notices:
        out.append(Text(f"⚠ {clean_line(notice)}", style="yellow"))
    for block in document.blocks:
        if block.kind in ("paragraph", "quote", "heading"):
            text = Text().join(_span_text(span) for span in block.spans)
            if block.kind == "heading":
                text.stylize("bold")
            elif block.kind == "quote":
                text = Text("▌ ", style="dim") + text
                text.stylize("italic")
        else:
            text = Text(block_plain(block))
        out.append(text)
        out.append(Text(""))
    if document.next_title:
        out.append(Text(f"Next: {clean_line(document.next_title)}", style="dim"))
    return out


def print_document(
    console: Console, document: Document, language: str, width: int, *, reorder: bool = False
) -> None:
    """Print the document on a terminal, wrapped to ``width`` by script.

    Lines are cut here (CJK line breaking, right-to-left alignment and, with
    ``reorder``, display order); each then fits and Rich prints it as it is.
    """
    for text in document_rich(document, language):
        for line in wrap_text(text, width, language, reorder=reorder):
            console.print(line, width=width)


def wrap_text(text: Text, width: int, language: str, *, reorder: bool = False) -> list[Text]:
    """One block's styled text cut into lines of at most ``width`` cells, the way its
    script expects (see :mod:`reader.text.linebreak`), for ``reader show`` on a terminal.

    A right-to-left line is aligned right and, with ``reorder`` (``bidi = "reader"``),
    put in display order; without it the terminal is left to reorder.

    Args:
        text: The block, in logical order.
        width: Cells per line.
        language: The language tag of the text.
        reorder: Put right-to-left lines in display order.

    Returns:
        The lines; each fits ``width`` and is printed as it is.
    """
    from reader.text.bidi import display, has_rtl, is_rtl
    from reader.text.linebreak import line_offsets

    lines: list[Text] = []
    for logical in text.split("\n", allow_blank=True):
        plain = logical.plain
        rtl = is_rtl(plain, language)
        bounds = [0, *line_offsets(plain, width, language), len(plain)]
        pieces = logical.divide(bounds[1:-1])
        for number, (piece, start) in enumerate(zip(pieces, bounds, strict=False)):
            if number + 1 < len(pieces):
                piece.rstrip()
            piece.rstrip_end(width)
            if reorder and has_rtl(piece.plain):
                piece = _display_order(piece, display(plain, rtl), start)
            if rtl:
                piece.pad_left(max(0, width - piece.cell_len))
            lines.append(piece)
    return lines


def _display_order(piece: Text, shown: Display, start: int) -> Text:
    """One line of Rich text in display order, shaped and mirrored, styles kept."""
    from rich.text import Text

    if not piece.plain:
        return piece
    characters = piece.divide(range(1, len(piece.plain)))
    out = Text(style=piece.style, end=piece.end)
    for index in shown.order(start, start + len(piece.plain)):
        character = characters[index - start]
        glyph = Text(shown.glyphs[index], style=character.style)
        for span in character.spans:
            glyph.stylize(span.style)
        out.append_text(glyph)
    return out

"""Render a document for ``reader show``: Rich text for a terminal, plain text for a pipe.

Everything is cleaned with :mod:`reader.sanitize` and built as ``rich.text.Text``, never
parsed as markup. Never imports Textual.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from reader.languages import describe
from reader.library.model import Block, Document, Span
from reader.sanitize import clean, clean_line, safe_link

if TYPE_CHECKING:
    from rich.text import Text


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
            text = "\n".join(textwrap.fill(line, width) for line in text.split("\n"))
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

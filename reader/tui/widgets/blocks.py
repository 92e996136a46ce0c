"""Turn parsed blocks into Textual ``Content``: styled text that no markup parser sees.

Every string is cleaned with :mod:`reader.sanitize` here, after parsing and before
display. Styles use theme variables so every Textual theme works.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.style import Style

from reader.library.model import Block, Span
from reader.sanitize import clean, safe_link
from reader.userdata.notes import make_quote


def span_content(span: Span) -> Content:
    """One inline run, styled; links get a hyperlink only for http/https targets."""
    text = clean(span.text)
    parts: list[str] = []
    if span.bold:
        parts.append("bold")
    if span.italic:
        parts.append("italic")
    if span.code:
        parts.append("$text-accent on $surface-lighten-1")
    content = Content.styled(text, " ".join(parts)) if parts else Content(text)
    if span.href is not None:
        target = safe_link(span.href)
        if target is not None:
            content = content.stylize("underline $text-primary").stylize(Style(link=target))
        else:
            # Shown, never opened: the reader sees where it would have gone.
            shown = clean(span.href, visible=True)[:80]
            content = Content.assemble(
                content.stylize("underline"), (f" ⟨{shown}: not opened⟩", "$text-muted")
            )
    return content


def spans_content(spans: tuple[Span, ...]) -> Content:
    """Several inline runs joined."""
    return Content.assemble(*(span_content(span) for span in spans))


def block_content(block: Block, width: int = 80) -> Content:
    """Render one block for the Article view.

    Args:
        block: The parsed block.
        width: Reading width, used to draw rules and size tables.
    """
    kind = block.kind
    if kind == "heading":
        return spans_content(block.spans).stylize("bold $text-primary")
    if kind in ("paragraph", "notice"):
        return spans_content(block.spans)
    if kind == "quote":
        return spans_content(block.spans).stylize("italic")
    if kind in ("code", "html"):
        return Content(clean(block.plain_text)).stylize("$text-accent")
    if kind == "rule":
        return Content("─" * max(1, width - 4)).stylize("$text-muted")
    if kind == "list":
        lines: list[Content] = []
        for item in block.items:
            indent = "  " * item.depth
            lines.append(
                Content.assemble(
                    (f"{indent}{item.marker} ", "$text-primary"), spans_content(item.spans)
                )
            )
        return Content("\n").join(lines)
    if kind == "table":
        return table_content(block)
    return spans_content(block.spans)


def table_content(block: Block) -> Content:
    """Draw a table with box characters; cells are cleaned, one line each."""
    rows = [
        [clean("".join(s.text for s in cell)).replace("\n", " ") for cell in row]
        for row in block.rows
    ]
    if not rows:
        return Content("")
    columns = max(len(row) for row in rows)
    widths = [0] * columns
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = min(40, max(widths[index], cell_len(cell)))
    lines: list[Content] = []
    for number, row in enumerate(rows):
        cells = []
        for index in range(columns):
            cell = row[index] if index < len(row) else ""
            if cell_len(cell) > widths[index]:
                cell = cell[: widths[index] - 1] + "…"
            cells.append(cell + " " * (widths[index] - cell_len(cell)))
        line = Content("│ " + " │ ".join(cells) + " │")
        lines.append(line.stylize("bold") if number == 0 else line)
        if number == 0:
            lines.append(
                Content("├─" + "─┼─".join("─" * w for w in widths) + "─┤").stylize("$text-muted")
            )
    return Content("\n").join(lines)


def quote_of(block: Block) -> str:
    """A short quote of a block, for anchoring notes (see :func:`make_quote`)."""
    return make_quote(block.plain_text)

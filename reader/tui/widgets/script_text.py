"""A block of body text wrapped the way its script expects (a Textual ``Visual``).

Textual wraps ``Content`` at spaces only. Text with Chinese or Japanese in it is wrapped
here at UAX #14 opportunities with the CJK rules (:mod:`reader.text.linebreak`), and a
right-to-left paragraph is aligned right and, where the terminal does not reorder,
drawn in display order (:mod:`reader.text.bidi`). Everything else stays a plain
``Content``, drawn by Textual exactly as before.

The logical text is what ``str()`` gives and what a mouse selection copies: display
order is made only for the cells.
"""

from __future__ import annotations

import itertools

from rich.segment import Segment
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from reader.text.bidi import display, has_rtl, is_rtl
from reader.text.linebreak import has_cjk, line_offsets

#: Layouts kept per visual: the widths a paragraph was recently shown at.
_WIDTHS_KEPT = 4


def script_visual(content: Content, language: str, reorder: bool) -> Content | ScriptText:
    """``content`` as it should be drawn: itself, or wrapped in a :class:`ScriptText`
    when its script needs breaking or aligning of its own.

    Args:
        content: One block's styled text, in logical order.
        language: The language tag of the variant it comes from.
        reorder: Whether right-to-left lines are reordered for display (``bidi =
            "reader"``) or left to the terminal.
    """
    plain = content.plain
    # A right-to-left word in a left-to-right paragraph is reordered too.
    right_to_left = has_rtl(plain)
    if right_to_left or has_cjk(plain):
        return ScriptText(content, language, reorder=reorder and right_to_left)
    return content


class ScriptText(Visual):
    """Styled text wrapped at script-aware line breaks; right-to-left text aligned right
    and, with ``reorder``, drawn in display order. Each line of the content (a list
    item, a line of the article header) is a paragraph of its own for direction.

    Line layouts are cached per width, so scrolling and repainting cost nothing and a
    resize only re-runs the greedy fill over cached break opportunities.
    """

    def __init__(self, content: Content, language: str, *, reorder: bool) -> None:
        self.content = content
        self.language = language
        self.reorder = reorder
        self._lines = [line.expand_tabs(8) for line in content.split("\n", allow_blank=True)]
        self._rtl = [is_rtl(line.plain, language) for line in self._lines]
        self._layouts: dict[int, list[tuple[int, int, int]]] = {}

    def __str__(self) -> str:
        return self.content.plain

    @property
    def plain(self) -> str:
        """The logical text."""
        return self.content.plain

    def layout(self, width: int) -> list[tuple[int, int, int]]:
        """The wrapped lines for ``width`` cells: ``(logical line, start, end)`` each."""
        layout = self._layouts.get(width)
        if layout is None:
            layout = []
            for y, line in enumerate(self._lines):
                plain = line.plain
                bounds = [0, *line_offsets(plain, width, self.language), len(plain)]
                layout.extend((y, a, b) for a, b in itertools.pairwise(bounds))
            if len(self._layouts) >= _WIDTHS_KEPT:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[width] = layout
        return layout

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.layout(max(1, width)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if width <= 0:
            return []
        layout = self.layout(width)
        if height is not None:
            layout = layout[:height]
        lines = self._lines
        if options.post_style is not None:
            lines = [line.stylize(options.post_style) for line in lines]
        if options.selection is not None and options.selection_style is not None:
            lines = list(lines)
            for y in {y for y, _, _ in layout}:
                span = options.selection.get_span(y)
                if span is not None:
                    start, end = span
                    end = len(lines[y]) if end == -1 else end
                    lines[y] = lines[y].stylize(options.selection_style, start, end)
        strips: list[Strip] = []
        for y, start, end in layout:
            # Spaces at a line's end are not drawn (nor counted when aligning right).
            piece = lines[y][start:end].rstrip()
            strips.append(self._strip(piece, y, start, width, style, options))
        return strips

    def _strip(
        self, piece: Content, y: int, start: int, width: int, style: Style, options: RenderOptions
    ) -> Strip:
        """One wrapped line as cells; each cell knows its place in the logical text,
        so a mouse selection extracts logical text even where the line is reordered."""
        get_style = options.get_style
        segments: list[tuple[str, Style, int]] = []  # text, style, logical offset
        x = start
        for text, text_style in piece.render(style, end="", parse_style=get_style):
            segments.append((text, style + text_style, x))
            x += len(text)
        if self.reorder and piece.plain.strip() and has_rtl(piece.plain):
            segments = self._reordered(segments, y, start, start + len(piece))
        cells = piece.cell_length
        out = [
            Segment(text, text_style.rich_style_with_offset(x, y))
            for text, text_style, x in segments
        ]
        pad = max(0, width - cells)
        if not pad or not (self._rtl[y] or options.rules.get("text_align") in ("right", "end")):
            return Strip(out, cells)
        out.insert(0, Segment(" " * pad, style.background_style.rich_style))
        return Strip(out, cells + pad)

    def _reordered(
        self, segments: list[tuple[str, Style, int]], y: int, start: int, end: int
    ) -> list[tuple[str, Style, int]]:
        """The segments of one line in display order, shaped and mirrored."""
        line = self._lines[y].plain
        shown = display(line, self._rtl[y])
        style_at: dict[int, Style] = {}
        for text, text_style, x in segments:
            for offset in range(x, x + len(text)):
                style_at[offset] = text_style
        out: list[tuple[str, Style, int]] = []
        for index in shown.order(start, end):
            if index not in style_at:
                continue  # a trailing space stripped from the line
            glyph, text_style = shown.glyphs[index], style_at[index]
            if out and out[-1][1] is text_style:
                out[-1] = (out[-1][0] + glyph, text_style, out[-1][2])
            else:
                out.append((glyph, text_style, index))
        return out

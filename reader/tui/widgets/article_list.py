"""The Library's article list: a Line API widget that draws only the visible rows.

An ``OptionList`` or ``DataTable`` builds an object per row; with 100,000 rows that
costs seconds and hundreds of MiB (ARCHITECTURE.md, "Performance model"). This list
keeps plain tuples and renders each visible line on demand.
"""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.filters import split_language_filter
from reader.sanitize import clean_line
from reader.text.bidi import display, has_rtl, is_rtl
from reader.tui.rows import ArticleRow


def _has_language(row: ArticleRow, language: str) -> bool:
    return any(
        tag.lower() == language or tag.lower().split("-")[0] == language for tag in row.languages
    )


class ArticleList(ScrollView, can_focus=True):
    """A scrolling, filterable list of articles with a cursor."""

    HELP_SECTION = "Library"

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--meta",
        "article-list--mark",
    }

    DEFAULT_CSS = """
    ArticleList {
        height: 1fr;
        background: $surface;
    }
    ArticleList > .article-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    ArticleList:blur > .article-list--cursor {
        background: $block-cursor-blurred-background;
        text-style: none;
    }
    ArticleList > .article-list--meta {
        color: $text-muted;
    }
    ArticleList > .article-list--mark {
        color: $warning;
    }
    """

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, tooltip="move down", id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, tooltip="move up", id="list.up"),
        Binding(
            "pagedown,space",
            "page_down",
            "Page down",
            show=False,
            tooltip="page down",
            id="list.page_down",
        ),
        Binding("pageup", "page_up", "Page up", show=False, tooltip="page up", id="list.page_up"),
        Binding("g,home", "first", "Top", show=False, tooltip="top", id="list.top"),
        Binding("G,end", "last", "Bottom", show=False, tooltip="bottom", id="list.bottom"),
        Binding(
            "enter",
            "select",
            "Open",
            tooltip="open the article in your preferred language",
            id="list.open",
        ),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Selected(Message):
        """An article was chosen with ``enter`` or a click."""

        def __init__(self, key: str) -> None:
            self.key = key
            super().__init__()

    def __init__(self, *, reorder: bool = False, id: str | None = None) -> None:
        """``reorder``: draw right-to-left titles in display order (``bidi = "reader"``)."""
        super().__init__(id=id)
        self._reorder = reorder
        self._rows: list[ArticleRow] = []
        self._visible: list[int] = []
        self._filter = ""
        self._line_styles: tuple[Style, Style, Style, Style] | None = None

    # -- data ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows pass the filter."""
        return len(self._visible)

    @property
    def highlighted(self) -> ArticleRow | None:
        """The row under the cursor, if any."""
        if 0 <= self.cursor < len(self._visible):
            return self._rows[self._visible[self.cursor]]
        return None

    def set_rows(self, rows: list[ArticleRow]) -> None:
        """Replace all rows, keeping the cursor on the same article where possible."""
        current = self.highlighted.key if self.highlighted else None
        self._rows = rows
        self._apply_filter(keep=current)

    def update_marks(
        self, bookmarked: set[str], noted: set[str], new: frozenset[str] = frozenset()
    ) -> None:
        """Redraw the ★, ✎ and • marks after bookmarks, notes or new articles changed."""
        for index, row in enumerate(self._rows):
            marks = (row.key in bookmarked, row.key in noted, row.key in new)
            if marks != (row.bookmarked, row.noted, row.new):
                self._rows[index] = replace(row, bookmarked=marks[0], noted=marks[1], new=marks[2])
        self.refresh()

    def set_filter(self, text: str) -> None:
        """Show only rows whose titles (any language) contain every word of ``text``."""
        self._filter = text.casefold().strip()
        self._apply_filter(keep=None)

    def select_key(self, key: str) -> bool:
        """Move the cursor to the article ``key`` if it is visible."""
        for position, index in enumerate(self._visible):
            if self._rows[index].key == key:
                self.cursor = position
                return True
        return False

    def _apply_filter(self, keep: str | None) -> None:
        # "lang:fi" keeps articles that have a Finnish variant (any region of it).
        words, languages = split_language_filter(self._filter)
        if words or languages:
            self._visible = [
                index
                for index, row in enumerate(self._rows)
                if all(word in row.search_text for word in words)
                and all(_has_language(row, language) for language in languages)
            ]
        else:
            self._visible = list(range(len(self._rows)))
        self.virtual_size = Size(self.size.width, len(self._visible))
        if keep is None or not self.select_key(keep):
            self.cursor = 0
        self.refresh()

    # -- cursor -------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._visible) - 1)) if self._visible else 0

    def watch_cursor(self, old: int, new: int) -> None:
        height = self.scrollable_content_region.height
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False)
        elif height and new >= self.scroll_y + height:
            self.scroll_to(y=new - height + 1, animate=False)
        self.refresh()

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._visible) - 1

    def action_select(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Selected(row.key))

    async def _on_click(self, event: events.Click) -> None:
        position = int(self.scroll_y) + event.y
        if 0 <= position < len(self._visible):
            self.cursor = position
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._visible))

    # -- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_styles = None

    def _styles_of_lines(self) -> tuple[Style, Style, Style, Style]:
        """The (plain, cursor, meta, mark) styles of a line, worked out once per change
        of styles (focus, theme): ``rich_style`` walks every ancestor, and it was asked
        for on every line drawn."""
        if self._line_styles is None:
            base = self.rich_style
            self._line_styles = (
                base,
                base + self.get_component_rich_style("article-list--cursor"),
                base + self.get_component_rich_style("article-list--meta"),
                base + self.get_component_rich_style("article-list--mark"),
            )
        return self._line_styles

    def _shown_title(self, row: ArticleRow, width: int) -> str:
        """The row's title, cleaned and fitted to ``width`` cells; a right-to-left one in
        display order where the terminal does not reorder, cut at the end of its reading
        order (not at the right edge, which is where it begins)."""
        title = clean_line(row.title)
        if not (self._reorder and has_rtl(title)):
            return set_cell_size(title, width)
        kept = set_cell_size(title, width).rstrip()
        language = row.languages[0] if row.languages else ""
        return set_cell_size(display(kept, is_rtl(kept, language)).line(0, len(kept)), width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        position = int(self.scroll_y) + y
        base, cursor_style, meta_style, mark_style = self._styles_of_lines()
        if not (0 <= position < len(self._visible)):
            return Strip.blank(width, base)
        row = self._rows[self._visible[position]]
        is_cursor = position == self.cursor
        style = cursor_style if is_cursor else base
        if is_cursor:
            meta_style = mark_style = style
        marks = ("★" if row.bookmarked else " ") + ("✎" if row.noted else " ")
        marks += "•" if row.new else " "
        date = row.date or ""
        languages = " ".join(row.languages[:8]) + (" …" if len(row.languages) > 8 else "")
        right = f"  {date:<10}  {languages}"
        right_width = min(cell_len(right), max(0, width // 2))
        title_width = max(0, width - 3 - right_width - 1)
        title = self._shown_title(row, title_width)
        segments = [
            Segment(marks, mark_style),
            Segment(title, style),
            Segment(set_cell_size(right, right_width), meta_style),
            Segment(" " * max(0, width - 3 - title_width - right_width), style),
        ]
        return Strip(segments, width).crop(0, width).simplify()

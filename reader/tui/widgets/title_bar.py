"""A one-widget title bar that looks like Textual's ``Header``.

``Header`` is four widgets (icon, title, clock space and the bar) with four stylesheets;
drawing the same line as one widget takes about 5 ms off the Library's first paint. It
is drawn with the line API (segments straight into a strip), not as a Rich ``Text``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

#: Cells of the icon area on the left and of the (clockless) space on the right, as in
#: Textual's Header, so the title sits where it always has.
ICON_CELLS = 8
RIGHT_CELLS = 10

_DIM = Style(dim=True)


class TitleBar(Widget):
    """The screen's title and sub-title, centred, with an icon that opens the palette.

    Args:
        icon: One character shown on the left.

    The title is the screen's ``title`` (else the app's), the sub-title the screen's
    ``sub_title`` (else the app's); both are plain text, never markup.
    """

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, icon: str = "≡") -> None:
        super().__init__()
        self.icon = icon

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._changed, init=False)
            self.watch(owner, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    @property
    def heading(self) -> tuple[str, str]:
        """The title and sub-title shown."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return title, sub_title

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        title, sub_title = self.heading
        middle = [Segment(title, base)]
        if sub_title:
            middle += [Segment(" — ", base + _DIM), Segment(sub_title, base + _DIM)]
        room = max(0, width - ICON_CELLS - RIGHT_CELLS)
        centre = Strip(middle)
        if centre.cell_length > room:
            centre = Strip([*centre.crop(0, max(0, room - 1)), Segment("…", base)])
        left_pad = (room - centre.cell_length) // 2
        icon = f" {self.icon}"
        left = icon + " " * (max(0, ICON_CELLS - cell_len(icon)) + left_pad)
        used = cell_len(left) + centre.cell_length
        line = [Segment(left, base), *centre, Segment(" " * max(0, width - used), base)]
        return Strip(line).crop(0, width)

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_CELLS:
            self.app.action_command_palette()

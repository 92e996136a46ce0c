"""A one-widget title bar that looks like Textual's ``Header``.

``Header`` is four widgets (icon, title, clock space and the bar) with four stylesheets;
drawing the same line as one widget takes about 5 ms off the Library's first paint.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

#: Cells of the icon area on the left and of the (clockless) space on the right, as in
#: Textual's Header, so the title sits where it always has.
ICON_CELLS = 8
RIGHT_CELLS = 10


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

    def render(self) -> Text:
        width = self.size.width
        title, sub_title = self.heading
        middle = Text(title, no_wrap=True)
        if sub_title:
            middle.append(" — ", "dim")
            middle.append(sub_title, "dim")
        room = max(0, width - ICON_CELLS - RIGHT_CELLS)
        middle.truncate(room, overflow="ellipsis")
        left_pad = (room - middle.cell_len) // 2
        icon = f" {self.icon}"
        line = Text(no_wrap=True)
        line.append(icon + " " * max(0, ICON_CELLS - cell_len(icon)))
        line.append(" " * left_pad)
        line.append_text(middle)
        line.append(" " * max(0, width - line.cell_len))
        line.truncate(width)
        return line

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_CELLS:
            self.app.action_command_palette()

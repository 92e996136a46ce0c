"""A one-widget key bar that looks like Textual's ``Footer``.

``Footer`` composes a widget per key (twelve on the Library screen, each with its own
styles) and composes them all again whenever the focus or the screen changes. Drawing
the same line as one widget costs a fraction of that: about 25 ms off the Library's
first paint and off every screen that opens (``enter`` on an article). The line is
drawn with the line API (segments straight into a strip), not as a Rich ``Text`` that
a console would lay out again (see docs/DESIGN.md, "Tuning history").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


_DIM = Style(dim=True)


class _Shown(NamedTuple):
    """One key drawn in the bar, with the cells it takes."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    """The active screen's keys and what they do, on one line at the bottom.

    Shows every binding marked ``show`` of the focused widget, the screen and the app
    (one entry per action), dimmed where the action cannot run now, and the command
    palette's key at the right. Clicking an entry presses its key.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        width: 100%;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: list[_Shown] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        key_style = base + self.get_component_rich_style("key-bar--key", partial=True)
        description_style = base + self.get_component_rich_style(
            "key-bar--description", partial=True
        )
        app = self.app
        active = self.screen.active_bindings
        line: list[Segment] = []
        shown: list[_Shown] = []
        seen: set[str] = set()
        palette = None
        used = 0
        for _node, binding, enabled, _tooltip in active.values():
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled)
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            entry = self._entry(
                app.get_key_display(binding),
                binding.description,
                enabled,
                key_style,
                description_style,
            )
            cells = sum(cell_len(segment.text) for segment in entry)
            line += entry
            shown.append(_Shown(used, used + cells, binding.key, enabled))
            used += cells
        if palette is not None:
            binding, enabled = palette
            entry = self._entry(
                app.get_key_display(binding),
                binding.description or "palette",
                enabled,
                key_style,
                description_style,
            )
            cells = sum(cell_len(segment.text) for segment in entry)
            start = max(used + 1, width - cells)
            if start + cells <= width:  # at the right edge, or not at all
                line.append(Segment(" " * (start - used), base))
                line += entry
                shown.append(_Shown(start, start + cells, binding.key, enabled))
                used = start + cells
        self._shown = shown
        if used < width:
            line.append(Segment(" " * (width - used), base))
        return Strip(line).crop(0, width)

    @staticmethod
    def _entry(
        key: str,
        description: str,
        enabled: bool,
        key_style: Style,
        description_style: Style,
    ) -> list[Segment]:
        if not enabled:
            key_style, description_style = key_style + _DIM, description_style + _DIM
        entry = [Segment(f" {key} ", key_style)]
        if description:
            entry.append(Segment(f"{description} ", description_style))
        return entry

    def _entry_at(self, x: int) -> _Shown | None:
        for entry in self._shown:
            if entry.start <= x < entry.end:
                return entry
        return None

    def on_click(self, event: events.Click) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

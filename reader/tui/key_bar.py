"""A one-widget key bar that looks like Textual's ``Footer``.

``Footer`` composes a widget per key (twelve on the Library screen, each with its own
styles) and composes them all again whenever the focus or the screen changes. Drawing
the same line as one widget costs a fraction of that: about 25 ms off the Library's
first paint and off every screen that opens (``enter`` on an article).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
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

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        app = self.app
        active = self.screen.active_bindings
        line = Text(no_wrap=True, overflow="crop", end="")
        shown: list[_Shown] = []
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in active.values():
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled)
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = line.cell_len
            self._append(
                line,
                app.get_key_display(binding),
                binding.description,
                enabled,
                key_style,
                description_style,
            )
            shown.append(_Shown(start, line.cell_len, binding.key, enabled))
        if palette is not None:
            binding, enabled = palette
            entry = Text(no_wrap=True, end="")
            self._append(
                entry,
                app.get_key_display(binding),
                binding.description or "palette",
                enabled,
                key_style,
                description_style,
            )
            start = max(line.cell_len + 1, self.size.width - entry.cell_len)
            line.append(" " * (start - line.cell_len))
            line.append_text(entry)
            shown.append(_Shown(start, line.cell_len, binding.key, enabled))
        self._shown = shown
        return line

    @staticmethod
    def _append(
        line: Text,
        key: str,
        description: str,
        enabled: bool,
        key_style: Style,
        description_style: Style,
    ) -> None:
        if not enabled:
            key_style, description_style = key_style + _DIM, description_style + _DIM
        line.append(f" {key} ", key_style)
        if description:
            line.append(f"{description} ", description_style)

    def _entry_at(self, x: int) -> _Shown | None:
        for entry in self._shown:
            if entry.start <= x < entry.end:
                return entry
        return None

    def key_at(self, x: int) -> str | None:
        """The key whose entry covers cell ``x`` of the bar, if any."""
        entry = self._entry_at(x)
        return None if entry is None else entry.key

    def on_click(self, event: events.Click) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

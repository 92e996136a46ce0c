"""The help screen: every key of every screen, and where the reader keeps your files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.sanitize import clean_path
from reader.tui.keymap import HelpRow, help_sections
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.title_bar import TitleBar


class HelpScreen(Screen[None]):
    """Keys and file locations.

    The keys are drawn from the bindings themselves (see :mod:`reader.tui.keymap`), so
    the help cannot drift from what the keys do, and shows keys remapped in ``[keys]``.
    """

    HELP_SECTION = "Help"

    DEFAULT_CSS = """
    HelpScreen VerticalScroll { padding: 1 2; }
    HelpScreen .help-section { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "back", "Back", tooltip="back", id="help.back"),
        Binding("j,down", "scroll(1)", "Down", show=False, tooltip="scroll down", id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, tooltip="scroll up", id="help.up"),
    ]

    def __init__(
        self, keymap: Mapping[str, str], config_dir: Path, library_roots: Iterable[Path]
    ) -> None:
        """``keymap``: the user's ``[keys]`` (binding id -> keys) in effect;
        ``config_dir`` and ``library_roots``: the file locations shown."""
        super().__init__()
        self.keymap = dict(keymap)
        self.config_dir = config_dir
        self.library_roots = list(library_roots)

    def compose(self) -> ComposeResult:
        yield TitleBar("?")
        with VerticalScroll():
            yield Static(
                Content.styled(
                    "Keys of every screen. Remap one in config.toml by its id (in italics):"
                    ' [keys] then "article.bookmark" = "m".',
                    "$text-muted",
                ),
                classes="help-section",
            )
            for section, rows in self._sections():
                lines = [Content.styled(section, "bold $text-primary")]
                for row in rows:
                    lines.append(
                        Content.assemble(
                            (f"  {row.keys:<14}", "bold $text-accent"),
                            (f"{row.binding_id:<28}", "italic $text-muted"),
                            row.what,
                        )
                    )
                yield Static(Content("\n").join(lines), classes="help-section")
            yield Static(self._files(), classes="help-section")
        yield KeyBar()

    def _sections(self) -> list[tuple[str, list[HelpRow]]]:
        """Every binding of every screen, with the user's ``[keys]`` applied."""
        app = self.app

        def display(key: str) -> str:
            return app.get_key_display(Binding(key, ""))

        return help_sections(self.keymap, display)

    def _files(self) -> Content:
        config_dir = self.config_dir
        rows = [
            ("config.toml", "your settings (the reader never rewrites it)"),
            ("bookmarks.toml", "bookmarks"),
            ("notes.toml", "notes"),
            ("state.toml", "last position and language per article, theme"),
        ]
        lines = [Content.styled("Files", "bold $text-primary")]
        lines.append(Content(f"  {clean_path(str(config_dir))}"))
        for name, what in rows:
            lines.append(Content.assemble((f"  {name:<20}", "bold $text-accent"), what))
        roots = ", ".join(clean_path(str(root)) for root in self.library_roots)
        lines.append(Content.assemble(("  library             ", "bold $text-accent"), roots))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        self.title = "Help"

    def action_back(self) -> None:
        self.dismiss()

    def action_scroll(self, lines: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + lines, animate=False)

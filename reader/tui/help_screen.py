"""The help screen: every key, and where the reader keeps your files."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.sanitize import clean_path
from reader.tui.base import reader_app
from reader.tui.key_bar import KeyBar
from reader.tui.title_bar import TitleBar

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("?", "this help"),
            ("ctrl+p", "command palette: actions, themes, jump to an article"),
            ("B", "bookmarks"),
            ("A", "notes"),
            ("escape", "back"),
        ),
    ),
    (
        "Library",
        (
            ("j / k, ↓ / ↑", "move"),
            ("space, pgdn / pgup", "page"),
            ("g / G", "top / bottom"),
            ("enter", "open the article in your preferred language"),
            ("/", "filter by title, in any language (enter opens the first match)"),
            ("q", "quit"),
        ),
    ),
    (
        "Article",
        (
            ("j / k, ↓ / ↑", "scroll a line"),
            ("space, pgdn / pgup", "scroll a page"),
            ("J / K", "next / previous paragraph"),
            ("g / G", "top / bottom"),
            ("l", "language picker (flags incomplete translations)"),
            ("[ / ]", "previous / next language, same paragraph"),
            ("b", "bookmark the current paragraph (again: remove)"),
            ("a", "note on the current paragraph (ctrl+s saves)"),
            ("escape, q", "back to the library"),
        ),
    ),
    (
        "Bookmarks and notes",
        (
            ("enter", "open at that paragraph, in that language"),
            ("e", "edit a note"),
            ("d", "remove"),
        ),
    ),
)


class HelpScreen(Screen[None]):
    """Keys and file locations."""

    DEFAULT_CSS = """
    HelpScreen VerticalScroll { padding: 1 2; }
    HelpScreen .help-section { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "back", "Back", id="help.back"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar("?")
        with VerticalScroll():
            for section, keys in KEYS:
                lines = [Content.styled(section, "bold $text-primary")]
                for key, action in keys:
                    lines.append(Content.assemble((f"  {key:<20}", "bold $text-accent"), action))
                yield Static(Content("\n").join(lines), classes="help-section")
            yield Static(self._files(), classes="help-section")
        yield KeyBar()

    def _files(self) -> Content:
        app = reader_app(self)
        config_dir = app.userdata.config_dir
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
        roots = ", ".join(clean_path(str(root)) for root in app.library.roots)
        lines.append(Content.assemble(("  library             ", "bold $text-accent"), roots))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        self.title = "Help"

    def action_back(self) -> None:
        self.dismiss()

    def action_scroll(self, lines: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + lines, animate=False)

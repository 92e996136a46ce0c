"""The Problems screen: every file that was skipped or degraded, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from reader.sanitize import clean_line, clean_path
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from reader.library import Library


class ProblemsScreen(Screen[None]):
    """A table of problem files with their reasons."""

    HELP_SECTION = "Problems"

    DEFAULT_CSS = """
    ProblemsScreen DataTable { height: 1fr; }
    ProblemsScreen #problems-summary { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [Binding("escape,q", "back", "Back", tooltip="back", id="problems.back")]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        yield TitleBar("!")
        yield Static("", id="problems-summary", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Problems"
        problems = self.library.problems
        table = self.query_one(DataTable)
        table.add_columns("File", "What happened", "")
        for problem in problems:
            # Text objects: a DataTable parses plain strings as markup.
            table.add_row(
                Text(clean_path(problem.path)),
                Text(clean_line(problem.reason)),
                Text("skipped" if problem.skipped else "shown with a notice"),
            )
        summary = (
            f"{len(problems)} file{'s' if len(problems) != 1 else ''} skipped or degraded"
            if problems
            else "No problems: every file in the library was read."
        )
        self.query_one("#problems-summary", Static).update(summary)
        table.focus()

    def action_back(self) -> None:
        self.dismiss()

"""Choose a language to filter the Library by."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.languages import describe, order_by_preference


class LanguageFilter(ModalScreen[str | None]):
    """Pick a language; dismisses with its tag, ``""`` for all languages, ``None`` to cancel."""

    HELP_SECTION = "Language filter"

    DEFAULT_CSS = """
    LanguageFilter { align: center middle; }
    LanguageFilter > Vertical {
        width: 60; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface;
    }
    LanguageFilter OptionList { height: auto; max-height: 24; border: none; }
    """

    BINDINGS = [Binding("escape,q", "cancel", "Close", tooltip="close", id="language_filter.close")]

    def __init__(self, counts: dict[str, int], preferred: list[str]) -> None:
        super().__init__()
        self.counts = counts
        self.preferred = preferred

    def compose(self) -> ComposeResult:
        options = [Option(Content("All languages"), id="")]
        for tag in order_by_preference(self.counts, self.preferred):
            label = Content.assemble(
                describe(tag), (f"  {self.counts[tag]} articles", "$text-muted")
            )
            options.append(Option(label, id=tag))
        with Vertical() as frame:
            frame.border_title = "Show articles available in"
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)

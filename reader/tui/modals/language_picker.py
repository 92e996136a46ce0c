"""The language picker: every variant of an article, and the advertised-but-missing ones."""

from __future__ import annotations

from collections import Counter
from contextlib import suppress

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.languages import describe, english_name
from reader.library import Article


class LanguagePicker(ModalScreen[str | None]):
    """Choose a language variant. Dismisses with its tag, or ``None``.

    Each row shows the endonym and tag, the English name, and whether the variant's
    paragraph count matches the rest (a flag if not: its translation may be incomplete).
    """

    HELP_SECTION = "Language picker"

    DEFAULT_CSS = """
    LanguagePicker { align: center middle; }
    LanguagePicker > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface;
    }
    LanguagePicker OptionList { height: auto; max-height: 24; border: none; }
    LanguagePicker #picker-help { color: $text-muted; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape,q,l", "cancel", "Close", tooltip="close", id="picker.close"),
        Binding("j", "down", "Down", show=False, tooltip="move down", id="picker.down"),
        Binding("k", "up", "Up", show=False, tooltip="move up", id="picker.up"),
    ]

    def __init__(self, article: Article, current: str | None, preferred: list[str]) -> None:
        super().__init__()
        self.article = article
        self.current = current
        self.preferred = preferred

    def compose(self) -> ComposeResult:
        article = self.article
        counts = Counter(v.paragraphs for v in article.variants.values() if v.paragraphs)
        usual = counts.most_common(1)[0][0] if counts else 0
        order = [t for t in self.preferred if t in article.variants]
        order += [t for t in article.advertised if t not in order]
        order += [t for t in sorted(article.variants) if t not in order]
        options: list[Option] = []
        for tag in order:
            variant = article.variants.get(tag)
            marker = "●" if tag == self.current else " "
            name = f"{marker} {describe(tag)}"
            if variant is None:
                label = Content.assemble(
                    (name, "$text-disabled"), ("  advertised, not in the library", "$text-disabled")
                )
                options.append(Option(label, id=tag, disabled=True))
                continue
            if not usual or variant.paragraphs == usual:
                check: tuple[str, str] = (f"  ✓ {variant.paragraphs} ¶", "$text-success")
            else:
                check = (f"  ⚠ {variant.paragraphs} ¶, others have {usual}", "$text-warning")
            detected = (
                ("  detected", "$text-warning") if variant.language_source == "detected" else ""
            )
            label = Content.assemble(
                name, (f"  {english_name(tag)}", "$text-muted"), check, detected
            )
            options.append(Option(label, id=tag))
        with Vertical() as frame:
            frame.border_title = "Language"
            yield OptionList(*options, id="languages")
            yield Static(
                "enter choose · escape close · dimmed: advertised by the page but missing",
                id="picker-help",
            )

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        if self.current is not None:
            # An unknown id just leaves the first row highlighted.
            with suppress(Exception):
                option_list.highlighted = option_list.get_option_index(self.current)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

"""The Words screen: every saved word with its sentence and translation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content

from reader.languages import describe
from reader.sanitize import clean_line
from reader.tui.screens.entry_list_screen import EntryListScreen
from reader.userdata import UserDataError
from reader.userdata.words import Word

if TYPE_CHECKING:
    from reader.userdata import UserData


class WordsScreen(EntryListScreen[Word]):
    """List saved words; open one at its sentence, remove it, show one language only."""

    HELP_SECTION = "Words"

    BINDINGS = [
        Binding("d,delete", "delete", "Remove", tooltip="remove the word", id="words.delete"),
        Binding(
            "L",
            "next_language",
            "Language",
            tooltip="show one language's words, then the next, then all",
            id="words.language",
        ),
    ]
    ICON = "✦"
    SCREEN_TITLE = "Words"
    EMPTY_TEXT = "No words yet: press w while reading to save one with its sentence."

    def __init__(self, userdata: UserData) -> None:
        super().__init__()
        self.userdata = userdata
        #: Show only words in this language (``None``: all).
        self.language: str | None = None

    def load_entries(self) -> list[Word]:
        words = self.userdata.words.all()
        if self.language is not None:
            words = [word for word in words if word.language == self.language]
        return words

    def file_error(self) -> UserDataError | None:
        return self.userdata.words.error

    def location(self, entry: Word) -> tuple[str, str, int | None]:
        return entry.key, entry.language, entry.paragraph

    def label(self, entry: Word) -> Content:
        meaning = f" — {clean_line(entry.meaning)}" if entry.meaning else ""
        where = f"¶ {entry.paragraph + 1}.{entry.sentence + 1}"
        label = Content.assemble(
            ("✦ ", "$accent"),
            (clean_line(entry.word), "bold"),
            (meaning, ""),
            (f"  {describe(entry.language)} · {clean_line(entry.key)} · {where}", "$text-muted"),
            "\n  ",
            (clean_line(entry.text), "italic"),
        )
        if entry.translation:
            label = Content.assemble(
                label,
                "\n  ",
                (f"{clean_line(entry.translation)} ({entry.translation_language})", "$text-muted"),
            )
        return label

    def on_mount(self) -> None:
        super().on_mount()
        self._show_filter()

    def _show_filter(self) -> None:
        self.sub_title = "all languages" if self.language is None else describe(self.language)
        self.title = (
            self.SCREEN_TITLE
            if self.language is None
            else f"{self.SCREEN_TITLE} · {describe(self.language)}"
        )

    def action_next_language(self) -> None:
        languages = sorted({word.language for word in self.userdata.words.all()})
        if not languages:
            return
        if self.language not in languages:
            self.language = languages[0]
        else:
            index = languages.index(self.language) + 1
            self.language = languages[index] if index < len(languages) else None
        self._show_filter()
        self.refresh_list()

    def action_delete(self) -> None:
        word = self.highlighted_entry()
        if word is None:
            return
        try:
            self.userdata.words.delete(word.id)
        except UserDataError as error:
            self.report(error)
            return
        self.notify(f"Removed “{clean_line(word.word)}”.", markup=False)
        self.refresh_list()

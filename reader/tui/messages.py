"""Messages the screens send up to the app (the app decides what opening means)."""

from __future__ import annotations

from textual.message import Message


class OpenArticle(Message):
    """Open article ``key``, in ``language`` at ``paragraph`` when given.

    Posted by the screens that list articles (the Library, search hits, bookmarks,
    notes, words); :class:`reader.tui.app.ReaderApp` handles it, so a screen needs to
    know neither the Article screen nor how the app finds an article.
    """

    def __init__(self, key: str, language: str | None = None, paragraph: int | None = None) -> None:
        super().__init__()
        self.key = key
        self.language = language
        self.paragraph = paragraph

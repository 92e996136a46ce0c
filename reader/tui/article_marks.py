"""The reader's marks on one article: its bookmarks and notes, as the Article screen
shows them (in the margin, under their paragraphs, in the status line) and adds them."""

from __future__ import annotations

from collections import Counter

from reader.sanitize import clean_line
from reader.userdata import UserData


class ArticleMarks:
    """Bookmarks and notes of article ``key``, as last read from the user's files.

    Kept here because the status line, redrawn on every scroll step, asks for the
    current paragraph's marks: the files are read again only when a mark changes.
    """

    def __init__(self, userdata: UserData, key: str) -> None:
        self.userdata = userdata
        self.key = key
        self.bookmarked: set[int] = set()
        self.note_counts: Counter[int] = Counter()

    def reload(self) -> dict[int, list[str]]:
        """Read the article's bookmarks and notes again; the notes' texts by paragraph."""
        self.bookmarked = {b.paragraph for b in self.userdata.bookmarks.for_article(self.key)}
        notes = self.userdata.notes.for_article(self.key)
        self.note_counts = Counter(n.paragraph for n in notes if n.paragraph is not None)
        by_paragraph: dict[int, list[str]] = {}
        for note in notes:
            if note.paragraph is not None:
                by_paragraph.setdefault(note.paragraph, []).append(note.text)
        return by_paragraph

    def status(self, paragraph: int) -> list[str]:
        """What the status line says of ``paragraph``'s marks."""
        parts = []
        if paragraph in self.bookmarked:
            parts.append("★ bookmarked")
        count = self.note_counts.get(paragraph, 0)
        if count:
            parts.append(f"✎ {count} note{'s' if count > 1 else ''}")
        return parts

    def toggle_bookmark(self, language: str, paragraph: int, title: str) -> str:
        """Bookmark ``paragraph`` (or remove its bookmark); what to tell the reader.

        Raises:
            UserDataError: ``bookmarks.toml`` cannot be read or saved.
        """
        added = self.userdata.bookmarks.toggle(self.key, language, paragraph, clean_line(title))
        where = f"¶ {paragraph + 1}"
        return f"Bookmarked {where}." if added else f"Bookmark at {where} removed."

    def add_note(self, language: str, paragraph: int, text: str, quote: str) -> str:
        """Save a note on ``paragraph``; what to tell the reader.

        Raises:
            UserDataError: ``notes.toml`` cannot be read or saved.
        """
        self.userdata.notes.add(self.key, language, text, paragraph=paragraph, quote=quote)
        return f"Note saved on ¶ {paragraph + 1}."

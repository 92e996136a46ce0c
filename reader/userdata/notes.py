"""Notes on articles or on one of their paragraphs, kept in ``notes.toml`` as ``[[note]]``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.userdata._fields import (
    is_index,
    optional_text,
    require_index,
    require_text,
    table_array,
)
from reader.userdata.clock import iso_utc, utc_now
from reader.userdata.store import StoredFile, UserDataError

TABLE = "note"
MAX_QUOTE = 120
"""Quotes longer than this many characters are cut to it (the last one becomes ``…``)."""


def make_quote(text: str) -> str:
    """The quote a note keeps of its paragraph: one line, at most :data:`MAX_QUOTE` characters.

    The one rule for every way a note is written (the interface, ``reader notes add``):
    runs of whitespace become one space, and a longer text is cut with ``…``.
    """
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


@dataclass(frozen=True)
class Note:
    """A note the user wrote about an article.

    Attributes:
        id: A short unique id (12 hex digits).
        key: The article's key in the library.
        paragraph: The 0-based paragraph the note is about, or ``None`` for the article.
        language: The language variant that was shown when the note was written.
        quote: The text of the paragraph (at most 200 characters), for context.
        text: What the user wrote.
        created: When it was written, ISO 8601 UTC.
        updated: When its text last changed, ISO 8601 UTC.
    """

    id: str
    key: str
    paragraph: int | None
    language: str
    quote: str
    text: str
    created: str
    updated: str

    def to_toml(self) -> dict[str, Any]:
        """Return the fields as one ``[[note]]`` table (no ``paragraph`` when it is ``None``)."""
        entry: dict[str, Any] = {"id": self.id, "key": self.key, "language": self.language}
        if self.paragraph is not None:
            entry["paragraph"] = self.paragraph
        entry.update(quote=self.quote, text=self.text, created=self.created, updated=self.updated)
        return entry

    @classmethod
    def from_toml(cls, entry: object) -> Note | None:
        """Read one ``[[note]]`` table.

        ``id``, ``key`` and ``text`` are required; ``paragraph`` may be absent;
        ``language``, ``quote``, ``created`` and ``updated`` default to ``""``.

        Args:
            entry: The parsed table.

        Returns:
            The note, or ``None`` if the entry is malformed.
        """
        if not isinstance(entry, dict):
            return None
        note_id, key, text = entry.get("id"), entry.get("key"), entry.get("text")
        paragraph = entry.get("paragraph")
        language, quote = optional_text(entry, "language"), optional_text(entry, "quote")
        created, updated = optional_text(entry, "created"), optional_text(entry, "updated")
        if (
            not isinstance(note_id, str)
            or not note_id
            or not isinstance(key, str)
            or not isinstance(text, str)
            or not (paragraph is None or is_index(paragraph))
            or language is None
            or quote is None
            or created is None
            or updated is None
        ):
            return None
        return cls(note_id, key, paragraph, language, quote, text, created, updated)


class Notes(StoredFile):
    """The user's notes, read from and written to one TOML file.

    Every change re-reads the file under a lock, so several instances of the app can
    write notes at once. If the file does not parse, reads return nothing,
    :attr:`error` says why, and changes raise :class:`UserDataError` without touching it.

    Args:
        path: The file, normally ``<config dir>/notes.toml``.
        clock: Gives the times stamped on notes.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, table_array(TABLE), clock)

    def all(self) -> list[Note]:
        """Return every readable note in file order (``[]`` if the file is broken)."""
        try:
            data = self.store.load_shared()
        except UserDataError:
            return []
        found = (Note.from_toml(entry) for entry in data.get(TABLE, ()))
        return [note for note in found if note is not None]

    def for_article(self, key: str) -> list[Note]:
        """Return the notes on one article, in file order.

        Args:
            key: The article's key.
        """
        return [note for note in self.all() if note.key == key]

    def keys(self) -> set[str]:
        """Return the keys of all articles that have at least one note."""
        return {note.key for note in self.all()}

    def add(
        self, key: str, language: str, text: str, paragraph: int | None = None, quote: str = ""
    ) -> Note:
        """Write a new note.

        Args:
            key: The article's key.
            language: The language variant being read.
            text: What the user wrote.
            paragraph: The 0-based paragraph it is about, or ``None`` for the whole article.
            quote: The paragraph's text for context; made one line and cut by :func:`make_quote`.

        Returns:
            The new note.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: An argument has the wrong type.
            ValueError: ``paragraph`` is negative or a string holds lone surrogates.
        """
        require_text("key", key)
        require_text("language", language)
        require_text("text", text)
        require_text("quote", quote)
        if paragraph is not None:
            require_index("paragraph", paragraph)
        quote = make_quote(quote)
        result: list[Note] = []

        def change(data: dict[str, Any]) -> None:
            entries: list[Any] = data.setdefault(TABLE, [])
            taken = {entry.get("id") for entry in entries if isinstance(entry, dict)}
            note_id = uuid.uuid4().hex[:12]
            while note_id in taken:
                note_id = uuid.uuid4().hex[:12]
            now = iso_utc(self._clock())
            note = Note(note_id, key, paragraph, language, quote, text, now, now)
            entries.append(note.to_toml())
            result.append(note)

        self.store.update(change)
        return result[-1]

    def update(self, note_id: str, text: str) -> Note:
        """Change the text of a note (and its ``updated`` time, if the text differs).

        Args:
            note_id: The note's id.
            text: The new text.

        Returns:
            The note as it is now.

        Raises:
            KeyError: There is no note with this id.
            UserDataError: The file does not parse or cannot be saved.
            TypeError: ``text`` is not a ``str``.
            ValueError: ``text`` holds lone surrogates.
        """
        require_text("text", text)
        result: list[Note] = []

        def change(data: dict[str, Any]) -> None:
            for entry in data.get(TABLE, ()):
                note = Note.from_toml(entry)
                if note is None or note.id != note_id:
                    continue
                if note.text != text:
                    entry["text"] = text
                    entry["updated"] = iso_utc(self._clock())
                    note = Note.from_toml(entry)
                assert note is not None
                result.append(note)
                return
            raise KeyError(note_id)

        self.store.update(change)
        return result[0]

    def delete(self, note_id: str) -> bool:
        """Delete a note.

        Args:
            note_id: The note's id.

        Returns:
            ``True`` if it was there, ``False`` if there was no such note.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        deleted = False

        def change(data: dict[str, Any]) -> None:
            nonlocal deleted
            entries: list[Any] = data.get(TABLE, [])
            kept = []
            for entry in entries:
                note = Note.from_toml(entry)
                if note is not None and note.id == note_id:
                    continue
                kept.append(entry)
            deleted = len(kept) != len(entries)
            if not deleted:
                return
            if kept:
                data[TABLE] = kept
            else:
                data.pop(TABLE, None)

        self.store.update(change)
        return deleted

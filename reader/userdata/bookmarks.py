"""Bookmarks: one per article paragraph, kept in ``bookmarks.toml`` as ``[[bookmark]]`` blocks."""

from __future__ import annotations

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

TABLE = "bookmark"


@dataclass(frozen=True)
class Bookmark:
    """A place in an article that the user marked.

    Attributes:
        key: The article's key in the library.
        language: The language variant that was shown when the bookmark was made.
        paragraph: The 0-based index of the paragraph (block) in the article.
        title: The article's title as shown then, so the list makes sense on its own.
        created: When it was made, ISO 8601 UTC, e.g. ``2026-11-25T03:40:00Z``.
    """

    key: str
    language: str
    paragraph: int
    title: str
    created: str

    def to_toml(self) -> dict[str, Any]:
        """Return the fields as one ``[[bookmark]]`` table."""
        return {
            "key": self.key,
            "language": self.language,
            "paragraph": self.paragraph,
            "title": self.title,
            "created": self.created,
        }

    @classmethod
    def from_toml(cls, entry: object) -> Bookmark | None:
        """Read one ``[[bookmark]]`` table.

        ``key``, ``language`` and ``paragraph`` are required; ``title`` and ``created``
        default to ``""``. Unknown fields are ignored here (and kept in the file).

        Args:
            entry: The parsed table.

        Returns:
            The bookmark, or ``None`` if the entry is malformed.
        """
        if not isinstance(entry, dict):
            return None
        key, language, paragraph = entry.get("key"), entry.get("language"), entry.get("paragraph")
        title, created = optional_text(entry, "title"), optional_text(entry, "created")
        if (
            not isinstance(key, str)
            or not isinstance(language, str)
            or not is_index(paragraph)
            or title is None
            or created is None
        ):
            return None
        return cls(key, language, paragraph, title, created)


class Bookmarks(StoredFile):
    """The user's bookmarks, read from and written to one TOML file.

    Every change re-reads the file under a lock, so several instances of the app can
    add and remove bookmarks at once. If the file does not parse, reads return nothing,
    :attr:`error` says why, and changes raise :class:`UserDataError` without touching it.

    Args:
        path: The file, normally ``<config dir>/bookmarks.toml``.
        clock: Gives the time stamped on new bookmarks.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, table_array(TABLE), clock)

    def all(self) -> list[Bookmark]:
        """Return every readable bookmark in file order (``[]`` if the file is broken)."""
        try:
            data = self.store.load_shared()
        except UserDataError:
            return []
        found = (Bookmark.from_toml(entry) for entry in data.get(TABLE, ()))
        return [bookmark for bookmark in found if bookmark is not None]

    def for_article(self, key: str) -> list[Bookmark]:
        """Return the bookmarks of one article, in file order.

        Args:
            key: The article's key.
        """
        return [bookmark for bookmark in self.all() if bookmark.key == key]

    def keys(self) -> set[str]:
        """Return the keys of all articles that have at least one bookmark."""
        return {bookmark.key for bookmark in self.all()}

    def add(self, key: str, language: str, paragraph: int, title: str) -> Bookmark:
        """Bookmark a paragraph, unless it already is.

        Args:
            key: The article's key.
            language: The language variant being read.
            paragraph: The 0-based paragraph index.
            title: The article's title as shown.

        Returns:
            The new bookmark, or the existing one for the same article and paragraph.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: An argument has the wrong type.
            ValueError: ``paragraph`` is negative or a string holds lone surrogates.
        """
        self._check_arguments(key, language, paragraph, title)
        result: list[Bookmark] = []

        def change(data: dict[str, Any]) -> None:
            entries: list[Any] = data.setdefault(TABLE, [])
            for entry in entries:
                existing = Bookmark.from_toml(entry)
                if existing and existing.key == key and existing.paragraph == paragraph:
                    result.append(existing)
                    return
            bookmark = Bookmark(key, language, paragraph, title, iso_utc(self._clock()))
            entries.append(bookmark.to_toml())
            result.append(bookmark)

        self.store.update(change)
        return result[0]

    def remove(self, key: str, paragraph: int | None = None) -> int:
        """Remove the bookmarks of an article, or of one of its paragraphs.

        Args:
            key: The article's key.
            paragraph: The paragraph whose bookmark goes; ``None`` removes them all.

        Returns:
            How many bookmarks were removed.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        removed = 0

        def change(data: dict[str, Any]) -> None:
            nonlocal removed
            removed = 0
            if TABLE not in data:
                return
            kept = []
            for entry in data[TABLE]:
                bookmark = Bookmark.from_toml(entry)
                if (
                    bookmark is not None
                    and bookmark.key == key
                    and (paragraph is None or bookmark.paragraph == paragraph)
                ):
                    removed += 1
                else:
                    kept.append(entry)
            self._set_entries(data, kept)

        self.store.update(change)
        return removed

    def toggle(self, key: str, language: str, paragraph: int, title: str) -> bool:
        """Bookmark a paragraph, or remove its bookmark if it has one (in any language).

        Args:
            key: The article's key.
            language: The language variant being read.
            paragraph: The 0-based paragraph index.
            title: The article's title as shown.

        Returns:
            ``True`` if the paragraph is bookmarked now, ``False`` if it no longer is.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: An argument has the wrong type.
            ValueError: ``paragraph`` is negative or a string holds lone surrogates.
        """
        self._check_arguments(key, language, paragraph, title)
        now_bookmarked = False

        def change(data: dict[str, Any]) -> None:
            nonlocal now_bookmarked
            entries: list[Any] = data.get(TABLE, [])
            kept = []
            for entry in entries:
                bookmark = Bookmark.from_toml(entry)
                if bookmark is None or bookmark.key != key or bookmark.paragraph != paragraph:
                    kept.append(entry)
            now_bookmarked = len(kept) == len(entries)
            if now_bookmarked:
                created = iso_utc(self._clock())
                kept.append(Bookmark(key, language, paragraph, title, created).to_toml())
            self._set_entries(data, kept)

        self.store.update(change)
        return now_bookmarked

    @staticmethod
    def _set_entries(data: dict[str, Any], entries: list[Any]) -> None:
        """Store the entries, dropping the key altogether when there are none."""
        if entries:
            data[TABLE] = entries
        else:
            data.pop(TABLE, None)

    @staticmethod
    def _check_arguments(key: str, language: str, paragraph: int, title: str) -> None:
        """Refuse values that could not be stored or read back."""
        require_text("key", key)
        require_text("language", language)
        require_index("paragraph", paragraph)
        require_text("title", title)

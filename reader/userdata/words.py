"""Saved words with the sentence they came from, kept in ``words.toml`` as ``[[word]]``.

A word list for learners: each entry keeps the word (or phrase), the sentence it was
read in, the aligned sentence of another language variant (its translation), where in
which article it was found, and an optional meaning the user typed. Exports for Anki
and Markdown are in :mod:`reader.userdata.word_export`.
"""

from __future__ import annotations

import dataclasses
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

TABLE = "word"
#: The order of the fields in ``reader words --json``.
_JSON_ORDER = (
    "word",
    "language",
    "key",
    "paragraph",
    "sentence",
    "text",
    "translation",
    "meaning",
    "created",
)


@dataclass(frozen=True)
class Word:
    """A word or phrase the user saved, with its sentence and that sentence's translation.

    Attributes:
        id: A short unique id (12 hex digits).
        word: The word or phrase as the user picked it.
        language: The language of ``word`` and ``text``.
        key: The article's key in the library.
        paragraph: The 0-based paragraph of the sentence.
        sentence: The 0-based sentence within that paragraph.
        text: The sentence the word was read in.
        translation_language: The language of ``translation`` (``""`` if none).
        translation: The aligned sentence(s) in ``translation_language`` (``""`` if none).
        meaning: What the user typed as its meaning (may be ``""``).
        created: When it was saved, ISO 8601 UTC.
    """

    id: str
    word: str
    language: str
    key: str
    paragraph: int
    sentence: int
    text: str
    translation_language: str
    translation: str
    meaning: str
    created: str

    def to_toml(self) -> dict[str, Any]:
        """Return the fields as one ``[[word]]`` table."""
        return dataclasses.asdict(self)

    def to_json(self) -> dict[str, Any]:
        """The entry as ``reader words --json`` prints it (indexes from 0, no id)."""
        entry = self.to_toml()
        del entry["id"]
        language, text = entry.pop("translation_language"), entry.pop("translation")
        entry["translation"] = {"language": language, "text": text}
        return {name: entry[name] for name in _JSON_ORDER}

    @classmethod
    def from_toml(cls, entry: object) -> Word | None:
        """Read one ``[[word]]`` table.

        ``id``, ``word``, ``key``, ``paragraph`` and ``sentence`` are required; the
        other strings default to ``""``.

        Args:
            entry: The parsed table.

        Returns:
            The word, or ``None`` if the entry is malformed.
        """
        if not isinstance(entry, dict):
            return None
        word_id, word, key = entry.get("id"), entry.get("word"), entry.get("key")
        paragraph, sentence = entry.get("paragraph"), entry.get("sentence")
        texts = [
            optional_text(entry, name)
            for name in (
                "language",
                "text",
                "translation_language",
                "translation",
                "meaning",
                "created",
            )
        ]
        if (
            not isinstance(word_id, str)
            or not word_id
            or not isinstance(word, str)
            or not word
            or not isinstance(key, str)
            or not is_index(paragraph)
            or not is_index(sentence)
            or any(text is None for text in texts)
        ):
            return None
        language, text, translation_language, translation, meaning, created = (
            str(value) for value in texts
        )
        return cls(
            word_id,
            word,
            language,
            key,
            paragraph,
            sentence,
            text,
            translation_language,
            translation,
            meaning,
            created,
        )


class Words(StoredFile):
    """The user's word list, read from and written to one TOML file.

    Every change re-reads the file under a lock, so several instances of the app can
    save words at once. If the file does not parse, reads return nothing,
    :attr:`error` says why, and changes raise :class:`UserDataError` without touching it.

    Args:
        path: The file, normally ``<config dir>/words.toml``.
        clock: Gives the times stamped on entries.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, table_array(TABLE), clock)

    def all(self) -> list[Word]:
        """Return every readable entry in file order (``[]`` if the file is broken)."""
        try:
            data = self.store.load_shared()
        except UserDataError:
            return []
        found = (Word.from_toml(entry) for entry in data.get(TABLE, ()))
        return [word for word in found if word is not None]

    def add(
        self,
        word: str,
        language: str,
        key: str,
        paragraph: int,
        sentence: int,
        text: str,
        translation_language: str = "",
        translation: str = "",
        meaning: str = "",
    ) -> Word:
        """Save a word with its sentence.

        Saving the same word of the same sentence again replaces the older entry
        (with the new meaning and translation), so the list holds no duplicates.

        Args:
            word: The word or phrase.
            language: Its language.
            key: The article's key.
            paragraph: The 0-based paragraph.
            sentence: The 0-based sentence in that paragraph.
            text: The sentence.
            translation_language: The language of ``translation``.
            translation: The aligned sentence in another language.
            meaning: The meaning the user typed.

        Returns:
            The saved entry.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: An argument has the wrong type.
            ValueError: An index is negative, ``word`` is blank, or a string holds
                lone surrogates.
        """
        for name, value in (
            ("word", word),
            ("language", language),
            ("key", key),
            ("text", text),
            ("translation_language", translation_language),
            ("translation", translation),
            ("meaning", meaning),
        ):
            require_text(name, value)
        require_index("paragraph", paragraph)
        require_index("sentence", sentence)
        if not word.strip():
            raise ValueError("word must not be blank")
        result: list[Word] = []

        def change(data: dict[str, Any]) -> None:
            entries: list[Any] = data.setdefault(TABLE, [])
            kept: list[Any] = []
            for entry in entries:
                old = Word.from_toml(entry)
                same = (
                    old is not None
                    and old.key == key
                    and old.language == language
                    and old.paragraph == paragraph
                    and old.sentence == sentence
                    and old.word.casefold() == word.casefold()
                )
                if not same:
                    kept.append(entry)
            taken = {entry.get("id") for entry in kept if isinstance(entry, dict)}
            word_id = uuid.uuid4().hex[:12]
            while word_id in taken:
                word_id = uuid.uuid4().hex[:12]
            saved = Word(
                word_id,
                word,
                language,
                key,
                paragraph,
                sentence,
                text,
                translation_language,
                translation,
                meaning,
                iso_utc(self._clock()),
            )
            kept.append(saved.to_toml())
            data[TABLE] = kept
            result.append(saved)

        self.store.update(change)
        return result[-1]

    def remove(
        self, word: str, *, key: str | None = None, language: str | None = None
    ) -> list[Word]:
        """Remove the entries of a word (any case), optionally of one article or language.

        Args:
            word: The word or phrase.
            key: Only entries from this article.
            language: Only entries in this language.

        Returns:
            The entries removed (empty if none matched; the file is then not written).

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        wanted = word.casefold()

        def matches(entry: Word) -> bool:
            return (
                entry.word.casefold() == wanted
                and (key is None or entry.key == key)
                and (language is None or entry.language == language)
            )

        return self._remove(matches)

    def delete(self, word_id: str) -> bool:
        """Delete one entry by id; ``True`` if it was there.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        return bool(self._remove(lambda entry: entry.id == word_id))

    def _remove(self, matches: Callable[[Word], bool]) -> list[Word]:
        removed: list[Word] = []
        if not any(matches(entry) for entry in self.all()):
            return removed  # nothing to do: leave the file (and its times) alone

        def change(data: dict[str, Any]) -> None:
            removed.clear()
            kept: list[Any] = []
            for entry in data.get(TABLE, []):
                parsed = Word.from_toml(entry)
                if parsed is not None and matches(parsed):
                    removed.append(parsed)
                else:
                    kept.append(entry)
            if kept:
                data[TABLE] = kept
            else:
                data.pop(TABLE, None)

        self.store.update(change)
        return removed

"""Reading state: where the user was in each article, and UI choices.

Kept in ``state.toml``::

    version = 1

    [articles."essays/walking.md"]
    language = "fi"
    paragraph = 12
    updated = "2026-11-25T03:40:00Z"

    [ui]
    theme = "nord"
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.userdata._fields import is_index, require_index, require_text
from reader.userdata.clock import iso_utc, utc_now
from reader.userdata.store import StoredFile, UserDataError


def _validate(data: dict[str, Any]) -> str | None:
    """Require ``articles`` and ``ui``, where present, to be tables."""
    for name in ("articles", "ui"):
        if name in data and not isinstance(data[name], dict):
            return f"unexpected structure: '{name}' should be a table"
    return None


class ReadingState(StoredFile):
    """Positions in articles, the last opened article and UI choices, in one small file.

    Each write re-reads the file under a lock and changes only what it is about, so two
    instances reading different articles keep both positions. A write that would not
    change anything (the same position again) does not touch the disk, so it is fine to
    call on every language switch. If the file does not parse, reads give defaults,
    :attr:`error` says why, and writes raise :class:`UserDataError`.

    Args:
        path: The file, normally ``<config dir>/state.toml``.
        clock: Gives the times stamped on positions.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, _validate, clock)

    def _data(self) -> dict[str, Any]:
        """The parsed file (read-only), or an empty document if it cannot be used."""
        try:
            return self.store.load_shared()
        except UserDataError:
            return {}

    def position(self, key: str) -> tuple[str, int] | None:
        """Return where the user was in an article.

        Args:
            key: The article's key.

        Returns:
            The language variant and 0-based paragraph, or ``None`` if not known.
        """
        entry = self._data().get("articles", {}).get(key)
        if not isinstance(entry, dict):
            return None
        language, paragraph = entry.get("language"), entry.get("paragraph")
        if not isinstance(language, str) or not is_index(paragraph):
            return None
        return language, paragraph

    def set_position(self, key: str, language: str, paragraph: int) -> None:
        """Remember where the user is in an article; it also becomes the last opened one.

        Args:
            key: The article's key.
            language: The language variant being read.
            paragraph: The 0-based paragraph index.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: An argument has the wrong type.
            ValueError: ``paragraph`` is negative or a string holds lone surrogates.
        """
        require_text("key", key)
        require_text("language", language)
        require_index("paragraph", paragraph)

        def change(data: dict[str, Any]) -> None:
            articles: dict[str, Any] = data.setdefault("articles", {})
            entry = articles.get(key)
            if not isinstance(entry, dict):
                entry = articles[key] = {}
            if entry.get("language") != language or entry.get("paragraph") != paragraph:
                entry.update(language=language, paragraph=paragraph)
                entry["updated"] = iso_utc(self._clock())

        self.store.update(change)

    def forget(self, key: str) -> None:
        """Forget the position in an article (e.g. when it left the library).

        Args:
            key: The article's key.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """

        def change(data: dict[str, Any]) -> None:
            data.get("articles", {}).pop(key, None)

        self.store.update(change)

    def ui(self, name: str, default: str | None = None) -> str | None:
        """Return a remembered UI choice, such as ``theme``.

        Args:
            name: The choice's name.
            default: What to return if it was never set (or is not a string).
        """
        value = self._data().get("ui", {}).get(name)
        return value if isinstance(value, str) else default

    def set_ui(self, name: str, value: str | None) -> None:
        """Remember a UI choice, or forget it.

        Args:
            name: The choice's name, e.g. ``theme``.
            value: The value; ``None`` removes the choice.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        require_text("name", name)
        if value is not None:
            require_text("value", value)

        def change(data: dict[str, Any]) -> None:
            ui: dict[str, Any] = data.setdefault("ui", {})
            if value is None:
                ui.pop(name, None)
                if not ui:
                    del data["ui"]
            else:
                ui[name] = value

        self.store.update(change)

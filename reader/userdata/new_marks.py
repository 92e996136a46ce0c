"""Articles that arrived from feeds and were not opened yet: ``new.toml`` in the data directory.

The Library reads this small file on every start to draw its • marks, so this module is
kept light (the fetch state, :mod:`reader.userdata.feed_state`, is read only to refresh)::

    version = 1
    new = ["gpu-training-dilemma"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.userdata.clock import utc_now
from reader.userdata.store import StoredFile, UserDataError


def _validate(data: dict[str, Any]) -> str | None:
    if "new" in data and not isinstance(data["new"], list):
        return "unexpected structure: 'new' should be an array"
    return None


def _keys(data: dict[str, Any]) -> list[str]:
    value = data.get("new", [])
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


class NewMarks(StoredFile):
    """Articles that arrived from feeds and were not opened yet, in ``new.toml``.

    Args:
        path: The file, normally ``<data dir>/new.toml``.
        clock: Unused but for moved-aside files' names.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, _validate, clock)

    def keys(self) -> frozenset[str]:
        """Return the keys of the articles marked new (none if the file is broken)."""
        try:
            return frozenset(_keys(self.store.load_shared()))
        except UserDataError:
            return frozenset()

    def add(self, keys: Iterable[str]) -> None:
        """Mark articles as new.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        keys = list(keys)

        def change(data: dict[str, Any]) -> None:
            new = _keys(data)
            new.extend(key for key in keys if key not in new)
            if new:
                data["new"] = new

        self.store.update(change)

    def clear(self, key: str) -> None:
        """Take the "new" mark off an article (it was opened).

        Does not touch the disk when the article was not marked.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        if key not in self.keys():
            return

        def change(data: dict[str, Any]) -> None:
            new = [item for item in _keys(data) if item != key]
            if new:
                data["new"] = new
            else:
                data.pop("new", None)

        self.store.update(change)

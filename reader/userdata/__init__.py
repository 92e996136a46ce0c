"""The user's data: settings, bookmarks, notes and reading state, in the config directory.

Nothing here imports Textual, so the CLI and tests can use it without the UI. Construct
:class:`UserData` once; it reads files only when asked and creates them only on a write.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path
    from typing import Any

    from reader.paths import APP_NAME, resolve_cache_dir, resolve_config_dir
    from reader.userdata.bookmarks import Bookmark, Bookmarks
    from reader.userdata.clock import utc_now
    from reader.userdata.config import Config, ConfigError, load_config, write_config_template
    from reader.userdata.feed_state import FeedState
    from reader.userdata.feeds import Feeds
    from reader.userdata.new_marks import NewMarks
    from reader.userdata.notes import Note, Notes
    from reader.userdata.state import ReadingState
    from reader.userdata.store import TomlStore, UserDataError
    from reader.userdata.words import Word, Words

# Submodules are imported on first use: `reader search` reads only config.toml and must
# start in about the time of `reader --version` (uuid, tempfile and friends cost ~15 ms;
# even store.py's tomllib and datetime cost ~7 ms, when there is no config.toml).
_LAZY = {
    "Bookmark": "bookmarks",
    "Bookmarks": "bookmarks",
    "Config": "config",
    "ConfigError": "config",
    "load_config": "config",
    "write_config_template": "config",
    "Note": "notes",
    "Notes": "notes",
    "APP_NAME": "reader.paths",
    "resolve_cache_dir": "reader.paths",
    "resolve_config_dir": "reader.paths",
    "ReadingState": "state",
    "TomlStore": "store",
    "UserDataError": "store",
    "utc_now": "clock",
    "Word": "words",
    "Words": "words",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reader.userdata' has no attribute {name!r}")
    full_name = module if module.startswith("reader.") else f"reader.userdata.{module}"
    return getattr(importlib.import_module(full_name), name)


__all__ = [
    "APP_NAME",
    "Bookmark",
    "Bookmarks",
    "Config",
    "ConfigError",
    "Note",
    "Notes",
    "ReadingState",
    "TomlStore",
    "UserData",
    "UserDataError",
    "Word",
    "Words",
    "load_config",
    "resolve_cache_dir",
    "resolve_config_dir",
    "utc_now",
    "write_config_template",
]


class UserData:
    """The app-written files in one config directory, ready to use.

    Args:
        config_dir: The config directory (see :func:`resolve_config_dir`).
        clock: Gives the times stamped on bookmarks, notes and positions (default:
            :func:`utc_now`).

    Attributes:
        config_dir: The config directory.
        bookmarks: ``bookmarks.toml``.
        notes: ``notes.toml``.
        state: ``state.toml``.
        data_dir: The data directory (imported articles, feed state); ``None`` until
            first needed, then :func:`~reader.paths.resolve_data_dir`.
        words: ``words.toml``.
    """

    def __init__(
        self,
        config_dir: Path,
        clock: Callable[[], datetime] | None = None,
        data_dir: Path | None = None,
    ) -> None:
        from pathlib import Path

        from reader.userdata.bookmarks import Bookmarks
        from reader.userdata.clock import utc_now
        from reader.userdata.notes import Notes
        from reader.userdata.state import ReadingState
        from reader.userdata.words import Words

        clock = clock or utc_now
        self.config_dir = Path(config_dir).expanduser()
        self.bookmarks = Bookmarks(self.config_dir / "bookmarks.toml", clock)
        self.notes = Notes(self.config_dir / "notes.toml", clock)
        self.state = ReadingState(self.config_dir / "state.toml", clock)
        self.words = Words(self.config_dir / "words.toml", clock)
        self.data_dir = data_dir
        self._clock = clock
        self._feeds: Feeds | None = None
        self._feed_state: FeedState | None = None
        self._new_marks: NewMarks | None = None

    def _data_dir(self) -> Path:
        if self.data_dir is None:
            from reader.paths import resolve_data_dir

            self.data_dir = resolve_data_dir()
        return self.data_dir

    @property
    def feeds(self) -> Feeds:
        """``feeds.toml``: the feeds the user follows (read on first use)."""
        if self._feeds is None:
            from reader.userdata.feeds import Feeds

            self._feeds = Feeds(self.config_dir / "feeds.toml", self._clock)
        return self._feeds

    @property
    def feed_state(self) -> FeedState:
        """``feeds-state.toml`` in the data directory: what refreshing learnt."""
        if self._feed_state is None:
            from reader.userdata.feed_state import FeedState

            self._feed_state = FeedState(self._data_dir() / "feeds-state.toml", self._clock)
        return self._feed_state

    @property
    def new_marks(self) -> NewMarks:
        """``new.toml`` in the data directory: articles from feeds not opened yet."""
        if self._new_marks is None:
            from reader.userdata.new_marks import NewMarks

            self._new_marks = NewMarks(self._data_dir() / "new.toml", self._clock)
        return self._new_marks

    def problems(self) -> list[UserDataError]:
        """Re-read the app-written files and say which cannot be used.

        Returns:
            One error per file that cannot be read or does not parse (those files are
            read-only until fixed or moved aside); empty if all is well.
        """
        parts = (self.bookmarks, self.notes, self.state, self.words, self.feeds, self.new_marks)
        found = (part.check() for part in parts)
        return [error for error in found if error is not None]

"""The feeds the user follows, kept in ``feeds.toml`` as ``[[feed]]`` blocks.

Only what the user chose lives here (URL, title, when it was added), so the file is short
enough to read, edit by hand and sync between machines. What refreshing learns (ETag,
seen entries, last error) lives in :mod:`reader.userdata.feed_state`, in the data
directory::

    version = 1

    [[feed]]
    url = "https://example.org/feed.xml"
    title = "Example News"
    added = "2026-11-25T03:40:00Z"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.userdata._fields import optional_text, require_text, table_array
from reader.userdata.clock import iso_utc, utc_now
from reader.userdata.store import StoredFile, UserDataError

TABLE = "feed"


def same_url(url: str) -> str:
    """The form of a feed URL used to tell whether two URLs name the same feed.

    Scheme and host are case-insensitive and a fragment never reaches the server, so
    ``HTTPS://Example.org/feed#top`` and ``https://example.org/feed`` are one feed.

    Args:
        url: A feed URL as given.

    Returns:
        The URL with scheme and host lower-cased and any fragment removed.
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


@dataclass(frozen=True)
class Feed:
    """A feed the user follows.

    Attributes:
        url: The feed's URL (RSS or Atom), http or https.
        title: Its title, from the feed or the user; ``""`` if not known yet.
        added: When it was added, ISO 8601 UTC.
    """

    url: str
    title: str
    added: str

    def to_toml(self) -> dict[str, Any]:
        """Return the fields as one ``[[feed]]`` table."""
        return {"url": self.url, "title": self.title, "added": self.added}

    @classmethod
    def from_toml(cls, entry: object) -> Feed | None:
        """Read one ``[[feed]]`` table.

        ``url`` is required; ``title`` and ``added`` default to ``""``. Unknown fields are
        ignored here (and kept in the file).

        Args:
            entry: The parsed table.

        Returns:
            The feed, or ``None`` if the entry is malformed.
        """
        if not isinstance(entry, dict):
            return None
        url = entry.get("url")
        title, added = optional_text(entry, "title"), optional_text(entry, "added")
        if not isinstance(url, str) or not url.strip() or title is None or added is None:
            return None
        return cls(url, title, added)


class Feeds(StoredFile):
    """The user's feeds, read from and written to one TOML file.

    Every change re-reads the file under a lock, so a refresh in the interface and a
    ``reader feeds add`` in a shell lose nothing. If the file does not parse, reads return
    nothing, :attr:`error` says why, and changes raise :class:`UserDataError` without
    touching it.

    Args:
        path: The file, normally ``<config dir>/feeds.toml``.
        clock: Gives the time stamped on new feeds.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, table_array(TABLE), clock)

    def all(self) -> list[Feed]:
        """Return every readable feed in file order (``[]`` if the file is broken)."""
        try:
            return self.read()
        except UserDataError:
            return []

    def read(self) -> list[Feed]:
        """Return every readable feed in file order.

        Raises:
            UserDataError: The file cannot be read or does not parse.
        """
        return self._read(self.store.load_shared())

    @staticmethod
    def _read(data: dict[str, Any]) -> list[Feed]:
        found = (Feed.from_toml(entry) for entry in data.get(TABLE, ()))
        return [feed for feed in found if feed is not None]

    def find(self, url: str) -> Feed | None:
        """Return the feed with this URL (compared by :func:`same_url`), or ``None``."""
        wanted = same_url(url)
        try:
            feeds = self.read()
        except UserDataError:
            return None
        return next((feed for feed in feeds if same_url(feed.url) == wanted), None)

    def add(self, url: str, title: str = "") -> tuple[Feed, bool]:
        """Follow a feed, unless it is followed already.

        Args:
            url: The feed's URL.
            title: Its title, if known.

        Returns:
            The feed, and whether it was added (``False``: it was there already).

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: An argument is not a string.
            ValueError: A string holds lone surrogates.
        """
        added = self.add_many([(url, title)])
        feed = self.find(url)
        assert feed is not None  # just written under the lock, or there before
        return feed, bool(added)

    def add_many(self, feeds: Iterable[tuple[str, str]]) -> list[Feed]:
        """Follow several feeds in one write (an OPML import); known URLs are skipped.

        Args:
            feeds: ``(url, title)`` pairs.

        Returns:
            The feeds that were added, in the order given.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
            TypeError: A URL or title is not a string.
            ValueError: A string holds lone surrogates.
        """
        wanted = [
            (require_text("url", url).strip(), require_text("title", title)) for url, title in feeds
        ]
        result: list[Feed] = []

        def change(data: dict[str, Any]) -> None:
            result.clear()
            entries: list[Any] = data.get(TABLE, [])
            known = {same_url(feed.url) for feed in map(Feed.from_toml, entries) if feed}
            for url, title in wanted:
                if same_url(url) in known:
                    continue
                known.add(same_url(url))
                feed = Feed(url, title, iso_utc(self._clock()))
                entries.append(feed.to_toml())
                result.append(feed)
            if entries:
                data[TABLE] = entries

        self.store.update(change)
        return result

    def set_title(self, url: str, title: str) -> None:
        """Give a feed the title its document announces, if it has none yet.

        A title the user wrote (by hand, or from OPML) is never replaced.

        Args:
            url: The feed's URL.
            title: The title found in the feed.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        require_text("title", title)
        wanted = same_url(url)

        def change(data: dict[str, Any]) -> None:
            for entry in data.get(TABLE, []):
                feed = Feed.from_toml(entry)
                if feed and same_url(feed.url) == wanted and not feed.title:
                    entry["title"] = title

        self.store.update(change)

    def remove(self, url: str) -> Feed | None:
        """Stop following a feed.

        Args:
            url: The feed's URL (compared by :func:`same_url`).

        Returns:
            The feed that was removed, or ``None`` if none had that URL.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        wanted = same_url(url)
        removed: list[Feed] = []

        def change(data: dict[str, Any]) -> None:
            removed.clear()
            kept = []
            for entry in data.get(TABLE, []):
                feed = Feed.from_toml(entry)
                if feed is not None and same_url(feed.url) == wanted:
                    removed.append(feed)
                else:
                    kept.append(entry)
            if kept:
                data[TABLE] = kept
            else:
                data.pop(TABLE, None)

        self.store.update(change)
        return removed[0] if removed else None

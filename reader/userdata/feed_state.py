"""What refreshing the feeds has learnt, kept in ``feeds-state.toml`` in the data directory.

Per feed: the validators the server gave (``ETag``, ``Last-Modified``) so an unchanged
feed costs a ``304``; the ids and links of entries already imported, so an entry is
imported once even when the feed changes its GUIDs; when it last worked and the last
error. Written like every app-written file: lock, re-read, one change, atomic replace::

    version = 1

    [feeds."https://example.org/feed.xml"]
    etag = "\\"abc\\""
    last_modified = "Wed, 25 Nov 2026 03:40:00 GMT"
    last_success = "2026-11-25T03:40:00Z"
    last_error = ""
    entries = 20
    imported = 20
    seen = ["urn:uuid:...", ...]
    links = ["https://example.org/2026/11/article", ...]

The keys of articles that arrived and were not opened yet (the Library's "new" marks) are
a separate small file, ``new.toml`` (:mod:`reader.userdata.new_marks`), because the
Library reads it at every start and the fetch state can grow to thousands of ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.userdata.clock import iso_utc, utc_now
from reader.userdata.feeds import same_url
from reader.userdata.store import StoredFile, UserDataError

MAX_SEEN = 5000
"""Ids (and links) remembered per feed; the oldest are forgotten first. Far more than any
feed lists at once, so an entry still in the feed is never imported twice."""


def _validate(data: dict[str, Any]) -> str | None:
    if "feeds" in data and not isinstance(data["feeds"], dict):
        return "unexpected structure: 'feeds' should be a table"
    return None


def _text(entry: dict[str, Any], name: str) -> str:
    value = entry.get(name, "")
    return value if isinstance(value, str) else ""


def _count(entry: dict[str, Any], name: str) -> int:
    value = entry.get(name, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _strings(entry: dict[str, Any], name: str) -> list[str]:
    value = entry.get(name, [])
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


@dataclass(frozen=True)
class FeedStatus:
    """What is known about one feed from refreshing it.

    Attributes:
        etag: The ``ETag`` of the last document fetched in full, or ``""``.
        last_modified: Its ``Last-Modified``, or ``""``.
        last_success: When the feed was last fetched without error, ISO 8601 UTC, or ``""``.
        last_error: The last refresh's error, one line; ``""`` if it worked.
        last_error_at: When that error happened, or ``""``.
        entries: How many entries the feed listed when last fetched.
        imported: How many of its entries have been imported, all told.
        seen: Ids of the entries already imported (or known to be the same as one).
        links: Links of those entries.
    """

    etag: str = ""
    last_modified: str = ""
    last_success: str = ""
    last_error: str = ""
    last_error_at: str = ""
    entries: int = 0
    imported: int = 0
    seen: frozenset[str] = field(default_factory=frozenset)
    links: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_toml(cls, entry: object) -> FeedStatus:
        """Read one feed's table; anything malformed reads as not known."""
        if not isinstance(entry, dict):
            return cls()
        return cls(
            etag=_text(entry, "etag"),
            last_modified=_text(entry, "last_modified"),
            last_success=_text(entry, "last_success"),
            last_error=_text(entry, "last_error"),
            last_error_at=_text(entry, "last_error_at"),
            entries=_count(entry, "entries"),
            imported=_count(entry, "imported"),
            seen=frozenset(_strings(entry, "seen")),
            links=frozenset(_strings(entry, "links")),
        )


def _append_capped(entry: dict[str, Any], name: str, items: Iterable[str]) -> None:
    """Add items to a remembered list, once each, forgetting the oldest beyond MAX_SEEN."""
    current = _strings(entry, name)
    known = set(current)
    for item in items:
        if item and item not in known:
            current.append(item)
            known.add(item)
    entry[name] = current[-MAX_SEEN:]


class FeedState(StoredFile):
    """Fetch state of every feed, in one TOML file.

    Refreshes of several feeds at once (threads, or two instances of the app) each
    change only their own feed's table under the lock, so none loses another's news.
    If the file does not parse, reads give nothing known and writes raise
    :class:`UserDataError` without touching it (a refresh refuses to start).

    Args:
        path: The file, normally ``<data dir>/feeds-state.toml``.
        clock: Gives the times stamped on successes and errors.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(path, _validate, clock)

    def _data(self) -> dict[str, Any]:
        try:
            return self.store.load_shared()
        except UserDataError:
            return {}

    def status(self, url: str) -> FeedStatus:
        """Return what is known about a feed (all empty if nothing is).

        Args:
            url: The feed's URL.
        """
        feeds = self._data().get("feeds", {})
        return FeedStatus.from_toml(feeds.get(same_url(url)) if isinstance(feeds, dict) else None)

    def statuses(self) -> dict[str, FeedStatus]:
        """Return what is known about every feed, by :func:`same_url` of its URL (one read
        of the file, for listing many feeds)."""
        feeds = self._data().get("feeds", {})
        if not isinstance(feeds, dict):
            return {}
        return {url: FeedStatus.from_toml(entry) for url, entry in feeds.items()}

    def _change_feed(self, url: str, change: Callable[[dict[str, Any]], None]) -> None:
        key = same_url(url)

        def apply(data: dict[str, Any]) -> None:
            feeds: dict[str, Any] = data.setdefault("feeds", {})
            entry = feeds.get(key)
            if not isinstance(entry, dict):
                entry = feeds[key] = {}
            change(entry)

        self.store.update(apply)

    def record_imported(self, url: str, ids: Iterable[str], links: Iterable[str]) -> None:
        """Remember one imported entry by its ids and links.

        Called after each entry, so an interrupted refresh keeps what it did.

        Args:
            url: The feed's URL.
            ids: The entry's ids (its GUID, or the fallback id), never to import again.
            links: The entry's links (and its variants'), never to import again either.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        ids, links = list(ids), list(links)

        def change(entry: dict[str, Any]) -> None:
            _append_capped(entry, "seen", ids)
            _append_capped(entry, "links", links)
            entry["imported"] = _count(entry, "imported") + 1

        self._change_feed(url, change)

    def record_known(self, url: str, ids: Iterable[str], links: Iterable[str]) -> None:
        """Remember more ids and links of entries already imported (a changed GUID).

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        ids, links = list(ids), list(links)

        def change(entry: dict[str, Any]) -> None:
            _append_capped(entry, "seen", ids)
            _append_capped(entry, "links", links)

        self._change_feed(url, change)

    def record_success(
        self, url: str, *, entries: int | None, etag: str | None, last_modified: str | None
    ) -> None:
        """Remember a refresh that worked.

        Args:
            url: The feed's URL.
            entries: How many entries the document listed; ``None`` if it was not
                fetched (``304``).
            etag: The new ``ETag`` to send next time (``""`` forgets it); ``None`` keeps
                the one known.
            last_modified: The same for ``Last-Modified``.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        moment = iso_utc(self._clock())

        def change(entry: dict[str, Any]) -> None:
            entry["last_success"] = moment
            entry["last_error"] = ""
            entry.pop("last_error_at", None)
            if entries is not None:
                entry["entries"] = entries
            if etag is not None:
                entry["etag"] = etag
            if last_modified is not None:
                entry["last_modified"] = last_modified

        self._change_feed(url, change)

    def record_error(self, url: str, message: str, *, entries: int | None = None) -> None:
        """Remember why the last refresh of a feed failed.

        The ``ETag`` and ``Last-Modified`` are forgotten, so that the next refresh
        fetches the document in full and retries what failed.

        Args:
            url: The feed's URL.
            message: One line saying what went wrong.
            entries: How many entries the document listed, if it was fetched.

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        moment = iso_utc(self._clock())

        def change(entry: dict[str, Any]) -> None:
            entry["last_error"] = message
            entry["last_error_at"] = moment
            entry.pop("etag", None)
            entry.pop("last_modified", None)
            if entries is not None:
                entry["entries"] = entries

        self._change_feed(url, change)

    def forget(self, url: str) -> None:
        """Forget everything about a feed (it was removed).

        Raises:
            UserDataError: The file does not parse or cannot be saved.
        """
        key = same_url(url)

        def change(data: dict[str, Any]) -> None:
            feeds = data.get("feeds")
            if isinstance(feeds, dict):
                feeds.pop(key, None)

        self.store.update(change)

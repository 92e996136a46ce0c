"""Refreshing feeds: fetch each (with its ETag and Last-Modified), import what is new.

Feeds are fetched several at a time; each new entry is imported like ``reader add`` (the
full article with its language variants) by :func:`reader.sources.importer.import_article`.
One feed's failure, or one entry's, never stops the others: it becomes that feed's
status, and the feed's validators are forgotten so that the next refresh retries it.

An entry is new when neither its id (GUID, else link, else title and date) nor any of its
links has been imported before. So a feed that changes its GUIDs brings nothing twice, and
neither does an entry that links to another language variant of an article already in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reader.sanitize import clean_line
from reader.sources.feeds import (
    FEED_ACCEPT,
    FEED_TYPES,
    FeedEntry,
    FeedError,
    find_feed_links,
    looks_like_html,
    parse_feed,
)
from reader.userdata.feed_state import FeedState
from reader.userdata.feeds import Feed, Feeds
from reader.userdata.new_marks import NewMarks
from reader.userdata.store import UserDataError

if TYPE_CHECKING:
    import httpx

    from reader.sources.importer import ImportResult

FEED_CONCURRENCY = 4
"""Feeds refreshed at once, each with an HTTP client (and connection pool) of its own
thread, so that a slow site never holds the connections another feed needs."""

ENTRY_CONCURRENCY = 2
"""Entries of one feed imported at once. Each import fetches its variants 6 at a time,
so a feed's site sees at most 12 requests at once: the client's connection limit, and
no request waits for a connection. (20 entries of 5 variants from loopback: 2.9 s one
at a time, 1.7-1.9 s two at a time, 1.1-1.6 s with three or four.)"""

FEED_MAX_BYTES = 5 * 1024 * 1024
"""The biggest feed document read (feeds are rarely over a few hundred KiB)."""

Status = Literal["new", "unchanged", "not_modified", "error"]

Progress = Callable[[str, str], None]
"""Told ``(feed url, one line)`` as a refresh goes: an entry imported, or failed."""


@dataclass
class FeedResult:
    """How refreshing one feed went.

    Attributes:
        url: The feed's URL.
        title: Its title (from the feed, else feeds.toml), or ``""``.
        status: ``new`` (articles came in), ``unchanged`` (fetched, nothing new),
            ``not_modified`` (the server said 304) or ``error``.
        articles: Keys of the articles imported.
        failed: ``(entry link, reason)`` of entries that could not be imported.
        error: The feed's error, one line, or ``""``.
        entries: How many entries the document listed (``None`` if not fetched).
    """

    url: str
    title: str
    status: Status = "unchanged"
    articles: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    entries: int | None = None

    @property
    def ok(self) -> bool:
        """``False`` if the feed or any of its new entries failed."""
        return self.status != "error"

    def summary(self) -> str:
        """The status in a few words: ``3 new``, ``not modified``, or the error."""
        if self.status == "not_modified":
            return "not modified"
        if self.status == "error" and not self.articles and not self.failed:
            return f"error: {self.error}"
        text = f"{len(self.articles)} new"
        if self.failed:
            reason = self.failed[0][1]
            text += f", {len(self.failed)} failed ({reason})"
        return text


def discover(client: httpx.Client, url: str) -> tuple[str, str]:
    """Find the feed at a URL: the URL itself, or the first feed a web page names.

    Args:
        client: From :func:`reader.sources.fetch.make_client`.
        url: A feed's URL, or a page's.

    Returns:
        The feed's URL and title.

    Raises:
        FetchError: The URL (or the feed it names) could not be fetched.
        FeedError: Neither a feed nor a page naming one.
    """
    from reader.sources.fetch import fetch

    fetched = fetch(
        client, url, accept=FEED_ACCEPT, allowed_types=FEED_TYPES, max_bytes=FEED_MAX_BYTES
    )
    content_type = fetched.headers.get("content-type", "")
    if looks_like_html(fetched.body, content_type):
        links = find_feed_links(fetched.body, fetched.final_url)
        if not links:
            raise FeedError("the page names no RSS or Atom feed (no <link rel=alternate>)")
        feed_url = links[0]
        fetched = fetch(
            client,
            feed_url,
            accept=FEED_ACCEPT,
            allowed_types=FEED_TYPES,
            max_bytes=FEED_MAX_BYTES,
        )
        content_type = fetched.headers.get("content-type", "")
        if looks_like_html(fetched.body, content_type):
            raise FeedError(f"the page's feed link is a web page, not a feed: {feed_url}")
        return feed_url, parse_feed(fetched.body, fetched.final_url, content_type).title
    return url, parse_feed(fetched.body, fetched.final_url, content_type).title


def _variant_sources(files: Sequence[Path]) -> list[str]:
    """The ``source`` URLs in the front matter of imported files (to know them by link)."""
    import tomllib

    sources = []
    for path in files:
        try:
            with open(path, encoding="utf-8") as file:
                head = file.read(8192)
        except (OSError, UnicodeDecodeError):
            continue
        if not head.startswith("+++"):
            continue
        block = head[3:].split("\n+++", 1)[0]
        for line in block.splitlines():
            if line.startswith("source"):
                try:
                    value = tomllib.loads(line).get("source")
                except tomllib.TOMLDecodeError:
                    continue
                if isinstance(value, str) and value:
                    sources.append(value)
    return sources


class FeedRefresher:
    """Refreshes the user's feeds into one library directory.

    Args:
        feeds: ``feeds.toml``.
        state: The fetch state (``feeds-state.toml``).
        library: Where new articles are written.
        marks: Where new articles are marked as new until opened, if anywhere.
        client: An httpx client to share; one is made (and closed) if not given.
        progress: Told about each entry as it is imported or fails.
        concurrency: Feeds fetched at once.
        cancelled: Asked before each feed and each entry; once it says ``True`` nothing
            more is fetched (what is under way finishes within its deadline).
    """

    def __init__(
        self,
        feeds: Feeds,
        state: FeedState,
        library: Path,
        *,
        marks: NewMarks | None = None,
        client: httpx.Client | None = None,
        progress: Progress | None = None,
        concurrency: int = FEED_CONCURRENCY,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.feeds = feeds
        self.state = state
        self.library = library
        self.marks = marks
        self._client = client
        self._progress = progress
        self._concurrency = max(1, concurrency)
        self._cancelled = threading.Event()
        self._asked = cancelled

    def cancel(self) -> None:
        """Stop fetching further feeds and entries (what is under way finishes)."""
        self._cancelled.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called or the ``cancelled`` callback says so."""
        return self._is_cancelled()

    def _is_cancelled(self) -> bool:
        """:attr:`is_cancelled` as a callable, for fetches and imports to ask while they
        wait (they stop within a quarter second)."""
        if not self._cancelled.is_set() and self._asked is not None and self._asked():
            self._cancelled.set()
        return self._cancelled.is_set()

    def refresh_all(self, feeds: Sequence[Feed] | None = None) -> Iterator[FeedResult]:
        """Refresh feeds concurrently, giving each result as soon as its feed is done.

        Args:
            feeds: The feeds to refresh; all of ``feeds.toml`` by default.

        Yields:
            One result per feed, in the order they finish.

        Raises:
            UserDataError: ``feeds.toml`` cannot be read (only when ``feeds`` is not
                given), or the fetch state cannot be used (nothing is fetched then: what
                is imported could not be remembered).
        """
        chosen = list(self.feeds.read() if feeds is None else feeds)
        if not chosen:
            return
        problem = self.state.check()
        if problem is not None:
            raise problem
        from reader.sources.fetch import make_client

        local = threading.local()
        made: list[httpx.Client] = []
        made_lock = threading.Lock()

        def client_of_thread() -> httpx.Client:
            if self._client is not None:
                return self._client
            client: httpx.Client | None = getattr(local, "client", None)
            if client is None:
                client = local.client = make_client()
                with made_lock:
                    made.append(client)
            return client

        def refresh(feed: Feed) -> FeedResult:
            return self.refresh_one(feed, client_of_thread())

        try:
            workers = min(self._concurrency, len(chosen))
            with ThreadPoolExecutor(workers, thread_name_prefix="feed") as pool:
                futures = [pool.submit(refresh, feed) for feed in chosen]
                for future in as_completed(futures):
                    yield future.result()
        finally:
            for client in made:
                client.close()

    def refresh_one(self, feed: Feed, client: httpx.Client) -> FeedResult:
        """Refresh one feed. Never raises: every failure becomes the result's error.

        Args:
            feed: The feed.
            client: The httpx client to fetch with.
        """
        result = FeedResult(feed.url, feed.title)
        if self.is_cancelled:
            result.status, result.error = "error", "cancelled"
            return result
        try:
            self._refresh(feed, client, result)
        except Exception as error:  # one feed never stops the others, whatever happened
            from reader.sources.fetch import FetchError

            known = (FetchError, FeedError, UserDataError, OSError, ValueError)
            message = str(error) if isinstance(error, known) else f"{type(error).__name__}: {error}"
            result.status = "error"
            result.error = clean_line(message).strip() or type(error).__name__
            if self.is_cancelled:
                return result  # not the feed's fault: its state stays as it was
            try:
                self.state.record_error(feed.url, result.error, entries=result.entries)
            except UserDataError as state_error:
                result.error += f" (and {state_error})"
        return result

    def _refresh(self, feed: Feed, client: httpx.Client, result: FeedResult) -> None:
        from reader.sources.fetch import fetch

        status = self.state.status(feed.url)
        fetched = fetch(
            client,
            feed.url,
            accept=FEED_ACCEPT,
            etag=status.etag or None,
            last_modified=status.last_modified or None,
            allowed_types=FEED_TYPES,
            max_bytes=FEED_MAX_BYTES,
            cancelled=self._is_cancelled,
        )
        if fetched.status == 304:
            result.status = "not_modified"
            self.state.record_success(feed.url, entries=None, etag=None, last_modified=None)
            return
        content_type = fetched.headers.get("content-type", "")
        if looks_like_html(fetched.body, content_type):
            raise FeedError("the feed's URL now gives a web page, not a feed")
        parsed = parse_feed(fetched.body, fetched.final_url, content_type)
        result.entries = len(parsed.entries)
        if parsed.title:
            result.title = parsed.title
            if not feed.title:
                self.feeds.set_title(feed.url, parsed.title)
        fresh = self._new_entries(feed.url, parsed.entries, status.seen, status.links)
        with ThreadPoolExecutor(ENTRY_CONCURRENCY, thread_name_prefix="entry") as pool:
            # Submitted oldest first and recorded in that order as each is done.
            pending = [(entry, pool.submit(self._import, entry, client)) for entry in fresh]
            for entry, future in pending:
                imported = future.result()
                if isinstance(imported, str):
                    result.failed.append((entry.link, imported))
                    self._tell(feed.url, f"failed {entry.link}: {imported}")
                    continue
                sources = _variant_sources(imported.files)
                self.state.record_imported(feed.url, [entry.id], [*entry.links, *sources])
                if self.marks is not None:
                    self.marks.add([imported.key])
                if imported.key not in result.articles:
                    result.articles.append(imported.key)
                self._tell(feed.url, f"{imported.key} ({' '.join(imported.languages)})")
        if result.failed:
            result.status = "error"
            result.error = f"{len(result.failed)} of the new entries failed: {result.failed[0][1]}"
            if not self.is_cancelled:  # a cancelled refresh says nothing about the feed
                self.state.record_error(feed.url, result.error, entries=result.entries)
            return
        result.status = "new" if result.articles else "unchanged"
        self.state.record_success(
            feed.url,
            entries=result.entries,
            etag=fetched.headers.get("etag", ""),
            last_modified=fetched.headers.get("last-modified", ""),
        )

    def _new_entries(
        self,
        url: str,
        entries: Sequence[FeedEntry],
        seen: frozenset[str],
        links: frozenset[str],
    ) -> list[FeedEntry]:
        """The entries not imported before, oldest first (feeds list the newest first).

        An entry known by one of its links but not by its id (the feed changed its GUIDs)
        is not new; its id is remembered so it is recognised at once next time. So is the
        id of an entry with no link, which cannot be imported.
        """
        fresh: list[FeedEntry] = []
        known_ids: list[str] = []
        known_links = set(links)
        for entry in reversed(entries):
            if entry.id in seen:
                continue
            if not entry.link or known_links.intersection(entry.links):
                known_ids.append(entry.id)
                continue
            known_links.update(entry.links)  # the same page listed twice comes in once
            fresh.append(entry)
        if known_ids:
            self.state.record_known(url, known_ids, [])
        return fresh

    def _import(self, entry: FeedEntry, client: httpx.Client) -> ImportResult | str:
        """Import one entry's page with its variants; the reason, one line, if it failed."""
        from reader.sources.fetch import FetchError
        from reader.sources.importer import import_article

        if self.is_cancelled:
            return "cancelled"
        try:
            return import_article(
                entry.link, self.library, client=client, cancelled=self._is_cancelled
            )
        except FetchError as error:
            return clean_line(str(error)).strip() or "failed"

    def _tell(self, url: str, line: str) -> None:
        if self._progress is not None:
            self._progress(url, line)

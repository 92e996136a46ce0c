"""``reader feeds``: follow RSS and Atom feeds and bring their new articles into the library.

Kept apart from :mod:`reader.cli` so that nothing of it (nor httpx, feedparser or
trafilatura) is imported unless a ``feeds`` command runs. It does not import
:mod:`reader.cli` (no import loops): failures are :class:`FeedsCommandError`, which the
CLI reports like its own, and JSON is printed by the printer the CLI hands over.
"""

from __future__ import annotations

import sys

from reader.sanitize import clean_line

# Imported by every command's parser: no typing or pathlib here (see reader.cli).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    from reader.sources.feed_refresh import FeedResult
    from reader.userdata import UserData
    from reader.userdata.feed_state import FeedState
    from reader.userdata.feeds import Feeds

    JsonPrinter = Callable[[Any], None]


class FeedsCommandError(Exception):
    """A failure of a ``feeds`` command, to report as one line on stderr (exit 1)."""


FEEDS_HELP = """\
Follow RSS and Atom feeds. 'reader feeds refresh' fetches every feed (a few at a time,
sending the ETag and Last-Modified the server gave last time, so an unchanged feed costs
one short answer) and imports each new entry like 'reader add': the full article with all
its language variants. An entry is imported once, even if the feed later changes its ids.

The list of feeds is feeds.toml in the config directory; what refreshing learns (ETag,
entries already imported, last success and error) is feeds-state.toml in the data
directory (READER_DATA_DIR)."""

FEEDS_EPILOG = """\
examples:
  reader feeds add https://example.org/news/        a page that names its feed
  reader feeds add https://example.org/feed.xml
  reader feeds refresh
  reader feeds list --json
  reader feeds export > feeds.opml
  reader feeds import feeds.opml"""

REFRESH_HELP = """\
Fetch every feed and import its new entries into the library (--library DIR, else the
reader's own library in the data directory). One line per feed: how many new articles,
'not modified', or the error. One feed's failure never stops the others.

exit status: 0 if every feed was refreshed, 1 if any feed (or any of its new entries)
failed; a failed entry is retried on the next refresh."""


def add_feeds_parser(
    commands: Any,
    parser_class: type[argparse.ArgumentParser],
    also_global: Callable[..., None],
) -> None:
    """Add ``feeds`` and its actions to the ``reader`` parser.

    Args:
        commands: The main parser's subparsers.
        parser_class: The parser class that reports errors in one line.
        also_global: Adds the global options to a subparser.
    """
    import argparse

    raw = argparse.RawDescriptionHelpFormatter
    feeds = commands.add_parser(
        "feeds",
        help="follow RSS and Atom feeds; refresh imports their new articles",
        description=FEEDS_HELP,
        epilog=FEEDS_EPILOG,
        formatter_class=raw,
    )
    feeds.add_argument("--json", action="store_true", help="machine-readable output (list)")
    also_global(feeds, "sub")
    actions = feeds.add_subparsers(dest="action", metavar="ACTION", parser_class=parser_class)
    add = actions.add_parser(
        "add",
        help="follow a feed (its URL, or a page that names it)",
        description="Follow a feed: its URL, or a web page whose <link rel=alternate> names "
        "one. The feed is fetched once to check it and learn its title.",
    )
    add.add_argument("url", metavar="URL")
    also_global(add, "action")
    listing = actions.add_parser("list", help="the feeds, with last success, error and entries")
    listing.add_argument(
        "--json", action="store_true", dest="action_json", help="machine-readable output"
    )
    also_global(listing, "action")
    refresh = actions.add_parser(
        "refresh",
        help="fetch every feed and import new entries",
        description=REFRESH_HELP,
        formatter_class=raw,
    )
    refresh.add_argument(
        "--json", action="store_true", dest="action_json", help="one JSON object per feed"
    )
    refresh.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    also_global(refresh, "action")
    remove = actions.add_parser("remove", help="stop following a feed")
    remove.add_argument("url", metavar="URL")
    also_global(remove, "action")
    opml_in = actions.add_parser("import", help="follow the feeds of an OPML file")
    opml_in.add_argument("file", metavar="FILE.opml")
    also_global(opml_in, "action")
    opml_out = actions.add_parser("export", help="print the feeds as OPML 2.0")
    also_global(opml_out, "action")


def import_library(cli_roots: list[str] | None) -> Path:
    """Where feeds import into: the first ``--library``, else the reader's own library of
    imported articles (``<data dir>/library``, where ``reader add`` puts them too)."""
    import os
    from pathlib import Path

    from reader.paths import resolve_imported_library

    if cli_roots:
        return Path(os.path.expanduser(cli_roots[0]))
    return resolve_imported_library()


def run_feeds(args: Any, config_dir: Path, print_json: JsonPrinter) -> int:
    """Run a ``reader feeds`` command.

    Args:
        args: The parsed command line.
        config_dir: The config directory (where ``feeds.toml`` is).
        print_json: Prints data as JSON, safe for a terminal.

    Returns:
        The exit status.

    Raises:
        FeedsCommandError: Something the user can fix; one line.
    """
    from reader.sources.feeds import FeedError
    from reader.userdata import UserData
    from reader.userdata.store import UserDataError

    userdata = UserData(config_dir)
    feeds, state = userdata.feeds, userdata.feed_state
    action = args.action or "list"
    as_json = bool(getattr(args, "json", False) or getattr(args, "action_json", False))
    try:
        if action == "list":
            return _list(feeds, state, print_json if as_json else None)
        if action == "add":
            return _add(feeds, args.url)
        if action == "remove":
            return _remove(feeds, state, args.url)
        if action == "import":
            from pathlib import Path

            return _import_opml(feeds, Path(args.file))
        if action == "export":
            return _export(feeds)
        if action == "refresh":
            quiet = args.quiet or as_json or not sys.stderr.isatty()
            library = import_library(args.library)
            printer = print_json if as_json else None
            return _refresh(userdata, library, printer, quiet)
    except (UserDataError, FeedError) as error:
        raise FeedsCommandError(str(error)) from error
    raise FeedsCommandError(f"unknown feeds action {action!r}")


def _name(title: str, url: str) -> str:
    return clean_line(title).strip() or clean_line(url, visible=True)


def _list(feeds: Feeds, state: FeedState, print_json: JsonPrinter | None) -> int:
    from reader.userdata.feed_state import FeedStatus
    from reader.userdata.feeds import same_url

    known = state.statuses()
    rows = [(feed, known.get(same_url(feed.url)) or FeedStatus()) for feed in feeds.read()]
    problem = state.error
    if problem is not None:  # the list is still worth showing, without its history
        print(f"reader: {clean_line(str(problem))}", file=sys.stderr)
    if print_json is not None:
        print_json(
            [
                {
                    "url": feed.url,
                    "title": clean_line(feed.title),
                    "added": feed.added,
                    "last_success": status.last_success or None,
                    "last_error": status.last_error or None,
                    "last_error_at": status.last_error_at or None,
                    "entries": status.entries,
                    "imported": status.imported,
                }
                for feed, status in rows
            ]
        )
        return 0
    if not rows:
        print("no feeds (add one with 'reader feeds add URL')", file=sys.stderr)
    for feed, status in rows:
        error = clean_line(status.last_error) if status.last_error else "ok"
        print(
            "\t".join(
                (
                    _name(feed.title, feed.url),
                    clean_line(feed.url, visible=True),
                    status.last_success or "never",
                    f"{status.entries} entries",
                    error,
                )
            )
        )
    return 0


def _client() -> Any:
    from reader.sources.fetch import make_client

    return make_client()


def _add(feeds: Feeds, url: str) -> int:
    from reader.sources.feed_refresh import discover
    from reader.sources.feeds import check_feed_url
    from reader.sources.fetch import FetchError

    url = check_feed_url(url)
    known = feeds.find(url)
    if known is not None:
        print(f"already following {_name(known.title, known.url)} ({known.url})")
        return 0
    try:
        with _client() as client:
            feed_url, title = discover(client, url)
    except FetchError as error:
        raise FeedsCommandError(str(error)) from error
    feed, added = feeds.add(feed_url, title)
    shown = f"{_name(feed.title, feed.url)} ({clean_line(feed.url, visible=True)})"
    if not added:
        print(f"already following {shown}")
        return 0
    print(f"following {shown}; 'reader feeds refresh' brings its articles in")
    return 0


def _remove(feeds: Feeds, state: FeedState, url: str) -> int:
    from reader.userdata.store import UserDataError

    removed = feeds.remove(url)
    if removed is None:
        raise FeedsCommandError(
            f"not following {clean_line(url, visible=True)} (see 'reader feeds list')"
        )
    try:
        state.forget(removed.url)
    except UserDataError as error:  # the feed is gone all the same
        print(f"reader: {clean_line(str(error))}", file=sys.stderr)
    print(f"stopped following {_name(removed.title, removed.url)}; its articles stay")
    return 0


def _import_opml(feeds: Feeds, path: Path) -> int:
    from reader.sources.feeds import read_opml

    try:
        with open(path, "rb") as file:
            data = file.read(16 * 1024 * 1024 + 1)
    except OSError as error:
        raise FeedsCommandError(f"cannot read {path}: {error.strerror or error}") from error
    if len(data) > 16 * 1024 * 1024:
        raise FeedsCommandError(f"{path}: larger than 16 MiB, not an OPML list of feeds")
    found = read_opml(data)
    if not found:
        raise FeedsCommandError(f"{path}: no feeds in it (no <outline xmlUrl=…>)")
    added = feeds.add_many(found)
    for feed in added:
        print(f"following {_name(feed.title, feed.url)} ({clean_line(feed.url, visible=True)})")
    known = len(found) - len(added)
    print(f"{len(added)} feeds added" + (f", {known} already followed" if known else ""))
    return 0


def _export(feeds: Feeds) -> int:
    from email.utils import formatdate

    from reader.sources.feeds import write_opml

    sys.stdout.write(write_opml([(f.url, f.title) for f in feeds.read()], formatdate(usegmt=True)))
    return 0


def _refresh(userdata: UserData, library: Path, print_json: JsonPrinter | None, quiet: bool) -> int:
    from reader.sources.feed_refresh import FeedRefresher

    chosen = userdata.feeds.read()
    if not chosen:
        if print_json is not None:
            print_json([])
        else:
            print("no feeds (add one with 'reader feeds add URL')", file=sys.stderr)
        return 0

    def progress(url: str, line: str) -> None:
        print(f"  {clean_line(url, visible=True)}: {clean_line(line)}", file=sys.stderr)

    refresher = FeedRefresher(
        userdata.feeds,
        userdata.feed_state,
        library,
        marks=userdata.new_marks,
        progress=None if quiet else progress,
    )
    results: list[FeedResult] = []
    try:
        for result in refresher.refresh_all(chosen):
            results.append(result)
            if print_json is None:
                line = f"{_name(result.title, result.url)}: {clean_line(result.summary())}"
                print(line, flush=True)
    except KeyboardInterrupt:
        refresher.cancel()  # what is under way finishes; nothing more is fetched
        raise
    if print_json is not None:
        order = {feed.url: index for index, feed in enumerate(chosen)}
        results.sort(key=lambda result: order.get(result.url, 0))
        print_json(
            [
                {
                    "url": result.url,
                    "title": clean_line(result.title),
                    "status": result.status,
                    "new": len(result.articles),
                    "articles": result.articles,
                    "entries": result.entries,
                    "error": result.error or None,
                    "failed": [{"url": url, "reason": why} for url, why in result.failed],
                }
                for result in results
            ]
        )
    return 0 if all(result.ok for result in results) else 1

"""Refreshing the feeds from the interface (``R`` in the Library), run in a worker thread.

Progress goes to the Library's status line; the outcome is a notification, and the
library is scanned again so the new articles appear, marked • until opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from reader.sanitize import clean_line

if TYPE_CHECKING:
    from textual.app import App

    from reader.tui.screens.library_screen import LibraryScreen
    from reader.userdata import UserData, UserDataError


class FeedsHost(Protocol):
    """What a feed refresh needs of the app (the reader's app is one)."""

    userdata: UserData

    @property
    def library_screen(self) -> LibraryScreen | None:
        """The Library screen, for progress in its status line."""

    def report_userdata_error(self, error: UserDataError) -> None:
        """Say that a user-data file is broken (and offer to move it aside)."""

    def rescan(self) -> None:
        """Scan the library again (new articles came)."""

    def show_library_status(self) -> None:
        """Show the library's totals in the Library's status line again."""


def _status(host: FeedsHost, line: str) -> None:
    screen = host.library_screen
    if screen is not None:
        screen.show_feed_progress(line)


def refresh_feeds(app: App[Any], host: FeedsHost) -> None:
    """Refresh every feed into the reader's own library; call from a worker thread.

    Args:
        app: The running app (only touched through ``call_from_thread``).
        host: The same app, as the refresh uses it.
    """
    from textual.worker import get_current_worker

    from reader.paths import resolve_imported_library
    from reader.sources.feed_refresh import FeedRefresher, FeedResult
    from reader.userdata.store import UserDataError

    userdata = host.userdata
    try:
        feeds = userdata.feeds.read()
    except UserDataError as error:  # says which file and why, and offers to move it aside
        app.call_from_thread(host.report_userdata_error, error)
        return
    if not feeds:
        app.call_from_thread(
            app.notify,
            "No feeds yet. Follow one with: reader feeds add URL",
            title="Feeds",
            markup=False,
        )
        return
    total = len(feeds)
    done: list[FeedResult] = []
    worker = get_current_worker()

    def line(extra: str = "") -> str:
        text = f"Refreshing {total} feed{'s' if total != 1 else ''}… {len(done)}/{total} done"
        return f"{text} · {clean_line(extra)}" if extra else text

    def progress(url: str, message: str) -> None:
        if not worker.is_cancelled:
            app.call_from_thread(_status, host, line(message))

    # The app cancels its workers when it quits: no further feed or entry is fetched.
    refresher = FeedRefresher(
        userdata.feeds,
        userdata.feed_state,
        resolve_imported_library(),  # a root of the interface's Library (see reader.cli)
        marks=userdata.new_marks,
        progress=progress,
        cancelled=lambda: worker.is_cancelled,
    )
    app.call_from_thread(_status, host, line())
    try:
        for result in refresher.refresh_all(feeds):
            if worker.is_cancelled:
                return  # the app is going: call_from_thread would wait for it forever
            done.append(result)
            name = result.title or result.url
            app.call_from_thread(_status, host, line(f"{name}: {result.summary()}"))
    except UserDataError as error:  # feeds-state.toml: nothing was fetched
        app.call_from_thread(_status, host, "")
        app.call_from_thread(host.report_userdata_error, error)
        return
    new = sum(len(result.articles) for result in done)
    failed = [result for result in done if not result.ok]
    summary = (
        f"{new} new article{'s' if new != 1 else ''} from {total} feed{'s' if total != 1 else ''}"
    )
    severity = "information"
    if failed:
        severity = "warning"
        first = failed[0]
        summary += f"; {len(failed)} failed ({first.title or first.url}: {first.error})"
    app.call_from_thread(
        app.notify, clean_line(summary), title="Feeds", severity=severity, markup=False
    )
    if new:
        app.call_from_thread(host.rescan)
    else:
        app.call_from_thread(host.show_library_status)

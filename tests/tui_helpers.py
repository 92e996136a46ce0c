"""Helpers for Pilot tests: build the app on a real library and wait for it to settle."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from reader.library import Library
from reader.tui.app import ReaderApp
from reader.userdata import UserData
from reader.userdata.config import Config


def make_app(
    library_root: Path,
    config_dir: Path,
    *,
    languages: tuple[str, ...] = ("de",),
    open_key: str | None = None,
    config: Config | None = None,
) -> ReaderApp:
    """A ReaderApp on a real library directory and a real (temporary) config dir."""
    library = Library([library_root], name="test library")
    return ReaderApp(
        library, UserData(config_dir), config=config, languages=languages, open_key=open_key
    )


async def settle(pilot: Pilot[None]) -> None:
    """Wait until workers finished, their results were applied and the screen painted.

    A worker's result reaches the UI through ``call_from_thread``, which may start
    another worker (scan -> open article -> load variant), so wait until two rounds in
    a row find nothing running and nothing pending.
    """
    from reader.tui.app import ReaderApp
    from reader.tui.article_screen import ArticleScreen

    app = pilot.app
    quiet_rounds = 0
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not worker.is_finished for worker in app.workers)
        if isinstance(app, ReaderApp) and (app.scanning or app.open_key is not None):
            busy = True
        screen = app.screen
        if isinstance(screen, ArticleScreen) and screen.language is None:
            busy = True
        quiet_rounds = 0 if busy else quiet_rounds + 1
        if quiet_rounds >= 2:
            return


def screen_text(pilot: Pilot[None]) -> str:
    """Everything the current screen shows as text (static widgets and the list)."""
    from reader.tui.article_list import ArticleList

    screen = pilot.app.screen
    parts: list[str] = []
    for widget in screen.query(Static):
        parts.append(str(widget.render()))
    for article_list in screen.query(ArticleList):
        for y in range(article_list.size.height):
            parts.append(article_list.render_line(y).text)
    return "\n".join(parts)


def record_notices(app: ReaderApp) -> list[str]:
    """Every notification the app shows from now on, in order, as plain messages.

    Textual forgets a notification once its timeout has passed; this list does not, so
    a test can count them without depending on time.
    """
    shown: list[str] = []
    notify = app.notify

    def recording(message: str, *args: object, **kwargs: object) -> None:
        shown.append(message)
        notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign]
    return shown

"""Helpers for Pilot tests: build the app on a real library and wait for it to settle."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
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
    from reader.tui.screens.article_screen import ArticleScreen

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
    from reader.tui.widgets.article_list import ArticleList

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


# -- what the screen shows ---------------------------------------------------------------
#
# The helpers below read the *rendered* screen (the compositor's strips: exactly the cells
# a terminal would be sent), cropped to a widget's region on screen. Text scrolled out of
# view is not there; a widget covered by another is not there. Use them for "what does
# the user see", and the widget's state only for what the screen cannot show.

#: Box-drawing and block characters: the margin marks (borders) of the article's
#: paragraphs and of notes, stripped before a line is matched against paragraph text.
_MARKS = "".join(chr(c) for c in range(0x2500, 0x25A0))
_COLUMN_GAP = re.compile(f"[{_MARKS}]|\\s{{2,}}")


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """Every line of the rendered screen, as the terminal would show it."""
    compositor = pilot.app.screen._compositor
    return [strip.text for strip in compositor.render_strips()]


def _widget(pilot: Pilot[None], target: str | Widget) -> Widget:
    return pilot.app.screen.query_one(target) if isinstance(target, str) else target


def visible_lines(pilot: Pilot[None], target: str | Widget) -> list[str]:
    """The rendered lines inside a widget's region on screen (a selector or a widget).

    For a scrolling container this is its viewport: only the lines scrolled into view,
    without its padding and scroll bars. Cells are cropped by screen column, so wide
    (CJK) characters are counted as the two cells they take.
    """
    widget = _widget(pilot, target)
    region = widget.scrollable_content_region
    strips = pilot.app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


def visible_text(pilot: Pilot[None], target: str | Widget) -> str:
    """:func:`visible_lines` joined with newlines, trailing blanks removed per line."""
    return "\n".join(line.rstrip() for line in visible_lines(pilot, target))


def _squeeze(text: str) -> str:
    """Text without whitespace: lines wrap at spaces, and CJK text has none to keep."""
    return "".join(text.split())


def visible_paragraphs(pilot: Pilot[None], paragraphs: list[str]) -> list[int]:
    """Indexes (from 0) of ``paragraphs`` with at least one line in the article's viewport,
    top to bottom.

    ``paragraphs`` are the texts of the variant the test expects to see (for example
    :func:`variant_paragraphs`); a visible line belongs to a paragraph when the paragraph
    contains it; a line that more than one paragraph contains (a short last line) is
    skipped. Side by side, each column's text is matched on its own.
    """
    squeezed = [_squeeze(text) for text in paragraphs]
    seen: list[int] = []
    for line in visible_lines(pilot, "#body"):
        # Side by side, a line holds two columns: split at margin marks and at runs of
        # spaces (wrapped text has single spaces) and match each piece on its own.
        for piece in _COLUMN_GAP.split(line):
            text = _squeeze(piece)
            if not text:
                continue
            owners = [index for index, paragraph in enumerate(squeezed) if text in paragraph]
            if len(owners) == 1 and owners[0] not in seen:
                seen.append(owners[0])
    return seen


def first_visible_paragraph(pilot: Pilot[None], paragraphs: list[str]) -> int | None:
    """The index of the topmost paragraph of ``paragraphs`` shown in the article's
    viewport, or None when none of their text is on screen (another language shown)."""
    seen = visible_paragraphs(pilot, paragraphs)
    return seen[0] if seen else None


def variant_paragraphs(app: ReaderApp, key: str, language: str) -> list[str]:
    """The plain text of each paragraph of an article's variant, read from its file."""
    article = app.library.article(key)
    assert article is not None, key
    return [block.plain_text for block in app.library.load(article.variants[language]).blocks]


async def wheel(pilot: Pilot[None], target: str | Widget, notches: int) -> None:
    """Turn the mouse wheel over the middle of a widget: ``notches`` down (up if negative).

    Each notch is the event a terminal's mouse report becomes, posted to the app as the
    driver posts it (the app records the pointer and forwards it to the widget under it),
    not called on the widget: whatever stops or handles it on the way does so here too.
    """
    region = _widget(pilot, target).region
    x, y = region.x + region.width // 2, region.y + region.height // 2
    kind = events.MouseScrollDown if notches > 0 else events.MouseScrollUp
    for _ in range(abs(notches)):
        pilot.app.post_message(
            kind(
                widget=None,
                x=x,
                y=y,
                delta_x=0,
                delta_y=0,
                button=0,
                shift=False,
                meta=False,
                ctrl=False,
                screen_x=x,
                screen_y=y,
            )
        )
        await pilot.pause()


def status_line(pilot: Pilot[None]) -> str:
    """The Article screen's status line as shown."""
    return visible_text(pilot, "#article-status").strip()


#: How long :func:`wait_for` waits (``make mutate`` shortens it: most mutants never
#: show what a test waits for, and each would cost the whole wait).
WAIT_SECONDS = float(os.environ.get("READER_TEST_WAIT", "10"))


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], timeout: float | None = None
) -> bool:
    """Let the app run until ``condition()`` is true; False if it is not within ``timeout``
    seconds (generous: the limit only bounds a failing test, a passing one returns as
    soon as the screen shows what it should).

    For what is applied after a paint (a scroll to a paragraph once the body is laid
    out) instead of sleeping a fixed time and hoping.
    """
    deadline = time.monotonic() + (WAIT_SECONDS if timeout is None else timeout)
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.01)


async def first_visible_after_wait(
    pilot: Pilot[None], paragraphs: list[str], expected: int | None
) -> int | None:
    """Wait until ``expected`` is the first visible paragraph of ``paragraphs`` (or the
    timeout), then return the first visible one: ``assert await ... == expected``."""
    await wait_for(pilot, lambda: first_visible_paragraph(pilot, paragraphs) == expected)
    return first_visible_paragraph(pilot, paragraphs)

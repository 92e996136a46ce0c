"""Pilot tests of adding an article from the web (`+`) and opening its source (`o`)."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.library import Library
from reader.tui.app import ReaderApp
from reader.tui.modals.add_article_screen import AddArticleScreen
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.userdata import UserData
from tests.tui_helpers import record_notices, screen_text, settle
from tests.web_site import LANGUAGES, WebSite, article_path, build_news_site, source_text


def _app(root: Path, config_dir: Path) -> ReaderApp:
    return ReaderApp(
        Library([root], name="mine"), UserData(config_dir), languages=("de",), import_library=root
    )


async def _wait_for_import(app: ReaderApp, pilot: object) -> None:
    screen = app.screen
    assert isinstance(screen, AddArticleScreen)
    for _ in range(400):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        if not screen.running:
            return
    raise AssertionError("the import did not finish")


async def test_plus_asks_for_a_url_shows_progress_and_opens_the_article(
    web_site: WebSite, tmp_path: Path, config_dir: Path
) -> None:
    build_news_site(web_site)
    root = tmp_path / "mine"
    root.mkdir()
    app = _app(root, config_dir)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        assert isinstance(app.screen, AddArticleScreen)
        app.screen.query_one(Input).value = web_site.url(article_path("fr"))
        await pilot.press("enter")
        await _wait_for_import(app, pilot)
        text = screen_text(pilot)
        assert "Added gpu-training-dilemma: 7 languages (fr " in text
        assert "enter opens it" in text
        # One progress line per variant, and the skipped links with their reason.
        for language in LANGUAGES:
            assert any(line.startswith(language) for line in text.splitlines())
        assert "skipped" in text and "HTTP 404" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        shown = screen_text(pilot)
        assert source_text("de").title in shown  # the preferred language
        assert source_text("de").paragraphs[0][:60] in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert source_text("de").title in screen_text(pilot)
    assert len(list(root.glob("gpu-training-dilemma.*.md"))) == len(LANGUAGES)


async def test_a_failed_add_says_why_and_writes_nothing(
    web_site: WebSite, tmp_path: Path, config_dir: Path
) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    app = _app(root, config_dir)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        field = app.screen.query_one(Input)
        field.value = "javascript:alert(1)"
        await pilot.press("enter")
        assert "Only http:// and https:// addresses" in screen_text(pilot)
        field.value = web_site.url("/missing.html")
        await pilot.press("enter")
        await _wait_for_import(app, pilot)
        assert "HTTP 404 Not Found" in screen_text(pilot)
        assert not field.disabled  # another try is possible
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
    assert list(root.iterdir()) == []


async def test_closing_the_prompt_lets_the_import_finish_with_a_notice(
    web_site: WebSite, tmp_path: Path, config_dir: Path
) -> None:
    build_news_site(web_site)
    release = web_site.hold(article_path("ja"))  # the page answers when the prompt is closed
    root = tmp_path / "mine"
    root.mkdir()
    app = _app(root, config_dir)
    async with app.run_test(size=(110, 36)) as pilot:
        notices = record_notices(app)
        await settle(pilot)
        await pilot.press("plus")
        prompt = app.screen
        assert isinstance(prompt, AddArticleScreen)
        prompt.query_one(Input).value = web_site.url(article_path("ja"))
        await pilot.press("enter")
        assert prompt.running
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        release.set()
        await settle(pilot)
        assert any(n.startswith("Added gpu-training-dilemma: 7 languages") for n in notices), (
            notices
        )
        assert source_text("de").title in screen_text(pilot)


async def test_the_palette_offers_adding_an_article(tmp_path: Path, config_dir: Path) -> None:
    app = _app(tmp_path, config_dir)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Add article from URL" in titles


class _Browser:
    name = "firefox"

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str) -> bool:
        self.opened.append(url)
        return True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://example.org/de/artikel.html", "Opening https://example.org/de/artikel.html"),
        ("javascript:alert(1)", "Not opened: only http and https links are"),
        (None, "This article has no web address"),
    ],
)
async def test_o_opens_the_source_in_the_browser_if_it_is_http(
    tmp_path: Path,
    config_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    source: str | None,
    expected: str,
) -> None:
    # A recording browser: there is no real one on this machine.
    browser = _Browser()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)
    line = f'source = "{source}"\n' if source else ""
    (tmp_path / "artikel.de.md").write_text(
        f'+++\ntitle = "Ein Artikel"\n{line}+++\n\nEin Absatz mit genug Text.\n', "utf-8"
    )
    app = _app(tmp_path, config_dir)
    app.open_key = "artikel"
    async with app.run_test(size=(110, 36)) as pilot:
        notices = record_notices(app)
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("o")
        await settle(pilot)
        assert any(n.startswith(expected) for n in notices), notices
        assert browser.opened == ([source] if expected.startswith("Opening") else [])

"""`R` in the Library refreshes the feeds in a worker; new articles are marked • until opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.tui.widgets.article_list import ArticleList
from reader.userdata.feeds import Feeds
from tests.feed_site import Entry, article_title, publish_article, rss, serve_feed
from tests.tui_helpers import make_app, settle


def list_lines(app: Any) -> list[str]:
    article_list = app.screen.query_one(ArticleList)
    return [article_list.render_line(y).text for y in range(article_list.size.height)]


def line_of(app: Any, title: str) -> str:
    return next(line for line in list_lines(app) if title[:30] in line)


async def test_r_refreshes_feeds_and_marks_new_articles_until_opened(
    web_site: Any, isolated_home: Path, config_dir: Path
) -> None:
    entries = [
        Entry(article_title(n), publish_article(web_site, n), guid=f"urn:{n}") for n in (1, 2)
    ]
    Feeds(config_dir / "feeds.toml").add(serve_feed(web_site, "/feed.xml", rss("News", entries)))
    library = isolated_home / "data" / "library"
    library.mkdir(parents=True)
    app = make_app(library, config_dir, languages=("en",))
    notes: list[str] = []
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        assert list_lines(app)[0].strip() == ""  # nothing yet
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("R")
        await settle(pilot)
        for _ in range(100):  # the rescan that follows the refresh
            await settle(pilot)
            if len(app.library.articles) == 2:
                break
        assert notes[-1] == "2 new articles from 1 feed"
        first, second = article_title(1, "en"), article_title(2, "en")
        assert line_of(app, first).startswith("  •")
        assert line_of(app, second).startswith("  •")

        key = next(k for k, a in app.library.articles.items() if a.variants["en"].title == first)
        assert app.screen.query_one(ArticleList).select_key(key)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert line_of(app, first).startswith("   ")
        assert line_of(app, second).startswith("  •")
    assert len(app.userdata.new_marks.keys()) == 1


async def test_r_with_no_feeds_says_how_to_add_one(config_dir: Path, bundled_library: Path) -> None:
    app = make_app(bundled_library, config_dir)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("R")
        await settle(pilot)
    assert notes == ["No feeds yet. Follow one with: reader feeds add URL"]


async def test_r_with_a_broken_feeds_toml_offers_to_move_it_aside(
    config_dir: Path, bundled_library: Path
) -> None:
    from reader.tui.modals.confirm_screen import ConfirmScreen

    config_dir.mkdir(parents=True)
    broken = b'version = 1\n[[feed]]\nurl = "https://a.example/feed\n'
    (config_dir / "feeds.toml").write_bytes(broken)
    app = make_app(bundled_library, config_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # said at start, like bookmarks.toml
        await pilot.press("n")  # keep it read-only
        await settle(pilot)
        assert (config_dir / "feeds.toml").read_bytes() == broken
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.question).startswith("feeds.toml line 3")
        await pilot.press("y")
        await settle(pilot)
    assert not (config_dir / "feeds.toml").exists()
    (aside,) = config_dir.glob("feeds.toml.corrupt-*")
    assert aside.read_bytes() == broken

"""Command palette provider: jump to any article by its title in any language (fuzzy)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.languages import describe
from reader.sanitize import clean_line

if TYPE_CHECKING:
    from reader.library import Library
    from reader.tui.preferences import Preferences

#: Fuzzy matching is Python code per title; past this many hits the rest are not shown.
MAX_HITS = 50


@runtime_checkable
class ArticleSource(Protocol):
    """What the palette needs of the app (the reader's app is one): the library, the
    preferences, and a way to open an article."""

    library: Library
    preferences: Preferences

    def open_article(
        self, key: str, language: str | None = None, paragraph: int | None = None
    ) -> None:
        """Show article ``key``."""


class ArticleCommands(Provider):
    """Offer "Open: <title>" for every title of every article.

    Textual makes a provider with the screen the palette opened on, so the articles come
    from the app, typed by :class:`ArticleSource` (the app does not import this module's
    importers, nor this module the app).
    """

    @property
    def source(self) -> ArticleSource:
        """The app, as far as the palette needs it."""
        app = self.app
        assert isinstance(app, ArticleSource)
        return app

    def _titles(self) -> list[tuple[str, str, str]]:
        app = self.source
        found: list[tuple[str, str, str]] = []
        for article in app.library.articles.values():
            for language, variant in article.variants.items():
                found.append((clean_line(variant.title), article.key, language))
        return found

    async def discover(self) -> Hits:
        app = self.source
        for article in list(app.library.articles.values())[:20]:
            language = app.preferences.language_for(article)
            title = clean_line(article.variants[language].title)
            yield DiscoveryHit(
                f"Open: {title}",
                partial(app.open_article, article.key, language),
                help=describe(language),
            )

    async def search(self, query: str) -> Hits:
        app = self.source
        matcher = self.matcher(query)
        hits = 0
        for title, key, language in self._titles():
            score = matcher.match(title)
            if score > 0:
                hits += 1
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(app.open_article, key, language),
                    help=f"{describe(language)} · {key}",
                )
                if hits >= MAX_HITS:
                    return

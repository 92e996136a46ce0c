"""Command palette provider: jump to any article by its title in any language (fuzzy)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.languages import describe
from reader.sanitize import clean_line
from reader.tui.base import reader_app

#: Fuzzy matching is Python code per title; past this many hits the rest are not shown.
MAX_HITS = 50


class ArticleCommands(Provider):
    """Offer "Open: <title>" for every title of every article."""

    def _titles(self) -> list[tuple[str, str, str]]:
        app = reader_app(self.screen)
        found: list[tuple[str, str, str]] = []
        for article in app.library.articles.values():
            for language, variant in article.variants.items():
                found.append((clean_line(variant.title), article.key, language))
        return found

    async def discover(self) -> Hits:
        app = reader_app(self.screen)
        for article in list(app.library.articles.values())[:20]:
            language = app.language_for(article)
            title = clean_line(article.variants[language].title)
            yield DiscoveryHit(
                f"Open: {title}",
                partial(app.open_article, article.key, language),
                help=describe(language),
            )

    async def search(self, query: str) -> Hits:
        app = reader_app(self.screen)
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

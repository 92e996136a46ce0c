"""The :class:`Library`: one or more directories of pages, grouped into articles.

Never imports Textual. The TUI gets a :class:`Library` injected.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.languages import AUTO_LANGUAGE
from reader.library.decode import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from reader.library.catalog import Catalog, PeekArticle, RefreshReport
    from reader.library.model import Article, Document, Problem, Variant
    from reader.library.scan import PageLocation, ProgressCallback, ScanResult
    from reader.library.search import SearchHit

# The scanner and the data model (a dozen dataclasses, ~10 ms to import) are imported
# where they are first needed: the interface draws its first screen without them.


class Library:
    """One or more library directories, scanned into articles.

    Args:
        roots: Library directories.
        default_language: Language of pages whose path and front matter name none;
            ``"auto"`` detects it from the text (falling back to English).
        max_bytes: Files larger than this are cut with a notice.
        name: Display name (defaults to the first root's directory name).
        catalog: The catalog cache to load from, refresh and search (see
            :meth:`load_cached`, :meth:`refresh`, :meth:`search`); without one,
            :meth:`refresh` is a full scan and :meth:`search` builds a catalog in memory.
        catalog_path: Instead of ``catalog``, the catalog's file: the catalog is then
            made on first use, and :meth:`first_page` reads the file without it (the
            interface's first screen needs neither the catalog module nor the scanner).
    """

    def __init__(
        self,
        roots: list[Path],
        *,
        default_language: str = AUTO_LANGUAGE,
        max_bytes: int = DEFAULT_MAX_BYTES,
        name: str | None = None,
        catalog: Catalog | None = None,
        catalog_path: Path | None = None,
    ) -> None:
        self.roots = [Path(root) for root in roots]
        self.default_language = default_language
        self.max_bytes = max_bytes
        self.name = name or (self.roots[0].name if self.roots else "library")
        self.articles: dict[str, Article] = {}
        self.problems: list[Problem] = []
        self.files = 0
        self.scanned = False
        self._stamp: str | None = None
        self._lock = threading.Lock()
        self._titles: dict[str, str] | None = None
        self._language_dirs: dict[Path, dict[str, str]] = {}
        self._catalog = catalog
        self._catalog_path = catalog_path if catalog is None else None
        self._memory_catalog: Catalog | None = None
        self._early: dict[str, Article] = {}
        self._languages: tuple[dict[str, Article], list[str]] | None = None

    def scan(self, progress: ProgressCallback | None = None) -> ScanResult:
        """Scan every root and replace the library's articles with what was found."""
        from reader.library.scan import scan_library

        result = scan_library(self.roots, self.default_language, self.max_bytes, progress)
        self.apply(result)
        return result

    @property
    def catalog(self) -> Catalog | None:
        """The catalog cache, or ``None`` (then :meth:`refresh` scans every file)."""
        if self._catalog is None and self._catalog_path is not None:
            with self._lock:
                if self._catalog is None:
                    from reader.library.catalog import Catalog

                    self._catalog = Catalog(self._catalog_path)
        return self._catalog

    @property
    def catalog_problem(self) -> str | None:
        """What is wrong with the catalog cache file, in one line, or ``None``.

        The library works all the same (a damaged file is rebuilt; an unusable one is
        replaced by a catalog in memory); this is for telling the user once.
        """
        catalog = self._catalog
        return None if catalog is None else catalog.problem

    def first_page(self) -> tuple[int, list[PeekArticle]] | None:
        """The article count and the first articles in display order, from the catalog.

        Cheap (one small row), so a big library's first screen can be drawn before
        :meth:`load_cached` has built every article. ``None`` without a usable catalog.
        """
        if self._catalog is None and self._catalog_path is not None:
            from reader.library.catalog_file import read_first_page

            return read_first_page(self._catalog_path, self.roots)
        catalog = self.catalog
        return None if catalog is None else catalog.first_page(self.roots)

    def load_cached(self, checkpoint: Callable[[], None] | None = None) -> bool:
        """Show what the catalog knows, reading no page file (the fast startup path).

        Args:
            checkpoint: Called every few hundred variants (see
                :meth:`reader.library.catalog.Catalog.load`).

        Returns:
            ``True`` if the catalog had this library and its content was applied;
            ``False`` without a catalog, or if it is new, empty or damaged.
        """
        if self.catalog is None:
            return False
        result = self.catalog.load(self.roots, self.default_language, checkpoint)
        if result is None:
            return False
        self.apply(result)
        return True

    def refresh(self, progress: Callable[[int, int, str], None] | None = None) -> RefreshReport:
        """Bring the library up to date, reading only new and changed files, and apply it.

        Without a catalog this is a full :meth:`scan`. Safe to run in a worker thread.
        When no page changed, :attr:`articles` stays the very same dict; otherwise it is
        replaced by a new one (never changed in place), which reuses the
        :class:`Article` objects of articles no changed file belongs to.

        Args:
            progress: Called as ``progress(done, total, relpath)`` now and then;
                ``total`` is 0 while the files are still being counted.
        """
        from reader.library.catalog import RefreshReport

        if self.catalog is None:

            def scan_progress(done: int, relpath: str) -> None:
                if progress is not None:
                    progress(done, 0, relpath)

            result = self.scan(scan_progress)
            self._memory_catalog = None  # the next search indexes the files afresh
            return RefreshReport(
                result, added=result.files, files=result.files, problems=result.problems
            )
        from reader.library.scan import ScanResult

        current = None
        if self.scanned and self._stamp is not None:
            current = ScanResult(self.articles, self.problems, self.files, self._stamp)
        report = self.catalog.refresh(
            self.roots, self.default_language, self.max_bytes, progress, current
        )
        self.apply(report.result)
        return report

    def search(self, query: str, language: str | None = None, limit: int = 20) -> list[SearchHit]:
        """Search the text of every variant in every language.

        Uses the catalog without walking the library, unless the catalog is empty (then
        it is refreshed first). Without a catalog, the first search reads every file into
        an in-memory catalog that later searches reuse until the next :meth:`refresh`:
        correct, but slow for a big library, so the app and the CLI pass a catalog.

        Args:
            query: Words (each also a prefix from three characters on) and
                ``"phrases"``; any text is accepted, nothing in it is an operator.
            language: Only variants in this language (``zh`` also matches ``zh-CN``).
            limit: At most this many hits, at most one per article and language.

        Returns:
            Hits, best first; see :class:`reader.library.search.SearchHit`.
        """
        from reader.library.catalog import Catalog

        catalog = self.catalog
        if catalog is None:
            if self._memory_catalog is None:
                self._memory_catalog = Catalog.in_memory()
                self._memory_catalog.refresh(self.roots, self.default_language, self.max_bytes)
            catalog = self._memory_catalog
        elif catalog.is_empty():
            self.refresh()
        return catalog.search(query, language, limit)

    def apply(self, result: ScanResult) -> None:
        """Replace the library's content with a scan's (or the catalog's) result."""
        with self._lock:
            if result.articles is not self.articles:
                self.articles = result.articles
                self._titles = None
            self.problems = result.problems
            self.files = result.files
            self.scanned = True
            self._stamp = result.stamp
            self._early.clear()

    def article(self, key: str) -> Article | None:
        """Return the article with ``key``, or ``None``.

        Before the library is loaded, the catalog is asked for that one article: opening
        an article from the first page must not wait for 100,000 variants to load.
        """
        found = self.articles.get(key)
        if found is None and not self.scanned and self.catalog is not None:
            found = self._early.get(key)
            if found is None:
                found = self.catalog.load_article(self.roots, key, self.default_language)
                if found is not None:
                    self._early[key] = found
        return found

    def languages(self) -> list[str]:
        """Every language that any article has a variant in, sorted.

        Remembered until the articles change: with 100,000 variants counting them takes
        tens of milliseconds, too long to repeat on the interface's thread.
        """
        articles = self.articles
        cached = self._languages
        if cached is not None and cached[0] is articles:
            return list(cached[1])
        found: set[str] = set()
        for article in articles.values():
            found.update(article.variants)
        languages = sorted(found)
        self._languages = (articles, languages)
        return list(languages)

    def titles(self) -> dict[str, str]:
        """Every variant title -> article key, for "next article" links."""
        if self._titles is None:
            self._titles = {
                variant.title: article.key
                for article in self.articles.values()
                for variant in article.variants.values()
                if variant.title
            }
        return self._titles

    def load(self, variant: Variant) -> Document:
        """Read and parse one variant (one file), splitting a glued "next article" title.

        Raises:
            OSError: The file cannot be read.
            reader.library.decode.UndecodableError: The file is not text.
        """
        from dataclasses import replace

        from reader.library.scan import parse_page
        from reader.library.text_page import split_next_title

        location = self._location(variant)
        document = parse_page(location, self.max_bytes)
        if location.kind == "text":
            others = [title for title, key in self.titles().items() if key != variant.key]
            document = split_next_title(document, others)
        if not document.title:
            document = replace(document, title=variant.title)
        return document

    def _location(self, variant: Variant) -> PageLocation:
        from reader.library.formats import PAGE_EXTENSIONS
        from reader.library.scan import (
            PageLocation,
            language_directories,
            locate,
            page_suffix,
            relative_path,
        )

        for root in self.roots:
            try:
                relative_path(root, variant.path)
            except ValueError:
                continue
            if root not in self._language_dirs:
                self._language_dirs[root] = language_directories(root)
            found = locate(root, variant.path, self._language_dirs[root])
            if found is not None:
                return found
        suffix = page_suffix(os.path.basename(variant.path)).lower()
        kind = PAGE_EXTENSIONS.get(suffix, "text")
        return PageLocation(variant.path, variant.relpath, variant.key, variant.language, "", kind)

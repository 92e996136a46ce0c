"""The library: pages on disk, grouped into articles of language variants.

Never imports Textual. The TUI gets a :class:`Library` injected.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from reader.library.decode import DEFAULT_MAX_BYTES
from reader.library.model import Article, Block, Document, ListItem, Problem, Span, Variant
from reader.library.scan import (
    PageLocation,
    ProgressCallback,
    ScanResult,
    language_directories,
    locate,
    parse_page,
    scan_library,
)

__all__ = [
    "Article",
    "Block",
    "Document",
    "Library",
    "ListItem",
    "Problem",
    "ScanResult",
    "Span",
    "Variant",
    "bundled_library_path",
]


def bundled_library_path() -> Path:
    """Return the directory of the library that ships with the reader.

    In an installed wheel it is ``reader/_bundled/library``; in a source checkout it is
    the repository's ``assets/library``.
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "_bundled" / "library"
    if installed.is_dir():
        return installed
    return package.parent / "assets" / "library"


class Library:
    """One or more library directories, scanned into articles.

    Args:
        roots: Library directories.
        default_language: Language of pages whose path and front matter name none.
        max_bytes: Files larger than this are cut with a notice.
        name: Display name (defaults to the first root's directory name).
    """

    def __init__(
        self,
        roots: list[Path],
        *,
        default_language: str = "en",
        max_bytes: int = DEFAULT_MAX_BYTES,
        name: str | None = None,
    ) -> None:
        self.roots = [Path(root) for root in roots]
        self.default_language = default_language
        self.max_bytes = max_bytes
        self.name = name or (self.roots[0].name if self.roots else "library")
        self.articles: dict[str, Article] = {}
        self.problems: list[Problem] = []
        self.files = 0
        self.scanned = False
        self._lock = threading.Lock()
        self._titles: dict[str, str] | None = None
        self._language_dirs: dict[Path, dict[str, str]] = {}

    def scan(self, progress: ProgressCallback | None = None) -> ScanResult:
        """Scan every root and replace the library's articles with what was found."""
        result = scan_library(self.roots, self.default_language, self.max_bytes, progress)
        self.apply(result)
        return result

    def apply(self, result: ScanResult) -> None:
        """Replace the library's content with a scan's (or the catalog's) result."""
        with self._lock:
            self.articles = result.articles
            self.problems = result.problems
            self.files = result.files
            self.scanned = True
            self._titles = None

    def article(self, key: str) -> Article | None:
        """Return the article with ``key``, or ``None``."""
        return self.articles.get(key)

    def languages(self) -> list[str]:
        """Every language that any article has a variant in, sorted."""
        found: set[str] = set()
        for article in self.articles.values():
            found.update(article.variants)
        return sorted(found)

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
        for root in self.roots:
            try:
                variant.path.relative_to(root)
            except ValueError:
                continue
            if root not in self._language_dirs:
                self._language_dirs[root] = language_directories(root)
            found = locate(root, variant.path, self._language_dirs[root])
            if found is not None:
                return found
        kind = "markdown" if variant.path.suffix.lower() in (".md", ".markdown") else "text"
        return PageLocation(variant.path, variant.relpath, variant.key, variant.language, "", kind)

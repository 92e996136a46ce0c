"""Rows of the catalog -> the data model: variants, pages and articles.

Never imports Textual.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from reader.languages import AUTO_LANGUAGE
from reader.library.formats import PAGE_EXTENSIONS
from reader.library.model import Article, Variant
from reader.library.scan import (
    CHECKPOINT_EVERY,
    PageLocation,
    ScannedPage,
    page_suffix,
    sort_articles,
)

ROW_COLUMNS = (
    "id, root, rel, relpath, path_key, translation_key, article_key, language, "
    "language_source, title, date, advertised, size, mtime_ns, checked_ns, paragraphs"
)
LOAD_COLUMNS = (
    "root, rel, relpath, article_key, language, language_source, title, date, advertised,"
    " size, mtime_ns, paragraphs"
)

#: How many articles the quick first page holds (more than any screen shows).
FIRST_PAGE_SIZE = 120


def first_page_json(articles: dict[str, Article]) -> str:
    """``meta.first_page``: key, date and titles of the first articles, as JSON."""
    page = [
        [article.key, article.date, [[tag, v.title] for tag, v in article.variants.items()]]
        for article in itertools.islice(articles.values(), FIRST_PAGE_SIZE)
    ]
    return json.dumps(page, ensure_ascii=False)


class Row(NamedTuple):
    """A ``variants`` row, all of it (:data:`ROW_COLUMNS`)."""

    id: int
    root: int
    rel: bytes
    relpath: str
    path_key: str
    translation_key: str | None
    article_key: str | None
    language: str
    language_source: str
    title: str
    date: str | None
    advertised: str
    size: int
    mtime_ns: int
    checked_ns: int
    paragraphs: int


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while ~100,000 objects are built (none cyclic)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What was built is kept. Left in the youngest generation, it would all be
            # walked by the first collection after this (~100 ms with the interpreter
            # held, whichever thread allocates next: the interface's too). Freezing and
            # unfreezing moves it to the oldest generation without walking it.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _variant(row: Row, path: str, key: str, language: str) -> Variant:
    return Variant(
        key=key,
        language=language,
        path=path,
        relpath=row.relpath,
        title=row.title,
        date=row.date,
        advertised=tuple(row.advertised.split()) if row.advertised else (),
        size=row.size,
        mtime_ns=row.mtime_ns,
        paragraphs=row.paragraphs,
        language_source=row.language_source,
    )


def page_from_row(row: Row, bases: list[str], default_language: str) -> ScannedPage:
    """The scanned page a ``variants`` row (:data:`ROW_COLUMNS`) stands for."""
    path = os.path.join(bases[row.root], os.fsdecode(row.rel))
    use_default = row.language_source == "default" and default_language != AUTO_LANGUAGE
    language = default_language if use_default else row.language
    from_path = row.language_source in ("filename", "directory")
    location = PageLocation(
        path=path,
        relpath=row.relpath,
        path_key=row.path_key,
        language=language if from_path else None,
        language_source=row.language_source if from_path else "default",
        kind=PAGE_EXTENSIONS.get(page_suffix(os.path.basename(path)).lower(), "text"),
    )
    return ScannedPage(location, _variant(row, path, row.path_key, language), row.translation_key)


class VariantMaker:
    """Builds variants from rows (``LOAD_COLUMNS``), sharing equal strings and tuples.

    An article's key, date and tags are the same string objects in all its variants, and
    equal tag tuples are one tuple: at 100,000 variants that is tens of megabytes less.
    """

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self.strings: dict[str, str] = {}
        self.advertised: dict[str, tuple[str, ...]] = {}

    def __call__(self, row: tuple[Any, ...]) -> Variant:
        root, rel, relpath, key, language, source, title, date, advertised, *rest = row
        size, mtime_ns, paragraphs = rest
        share = self.strings.setdefault
        tags = self.advertised.get(advertised)
        if tags is None:
            tags = tuple(share(tag, tag) for tag in advertised.split())
            self.advertised[advertised] = tags
        return Variant(
            share(key, key),
            share(language, language),
            os.path.join(self.bases[root], os.fsdecode(rel)),
            relpath,
            title,
            share(date, date) if date is not None else None,
            tags,
            size,
            mtime_ns,
            paragraphs,
            share(source, source),
        )


def load_articles(
    conn: sqlite3.Connection, bases: list[str], checkpoint: Callable[[], None] | None = None
) -> tuple[dict[str, Article], int]:
    """Build the articles from the rows as the last refresh grouped them.

    Rows are streamed, never all held at once. Returns the articles in display order and
    how many variants they have. ``checkpoint`` is called every
    :data:`CHECKPOINT_EVERY` rows.
    """
    make = VariantMaker(bases)
    groups: dict[str, dict[str, Variant]] = {}
    count = 0
    for row in conn.execute(f"SELECT {LOAD_COLUMNS} FROM variants WHERE article_key IS NOT NULL"):
        variant = make(row)
        found = groups.get(variant.key)
        if found is None:
            found = groups[variant.key] = {}
        found[variant.language] = variant
        count += 1
        if checkpoint is not None and not count % CHECKPOINT_EVERY:
            checkpoint()
    articles: dict[str, Article] = {}
    for key, found in groups.items():
        articles[key] = Article(key, dict(sorted(found.items())))
        if checkpoint is not None and not len(articles) % CHECKPOINT_EVERY:
            checkpoint()
    return sort_articles(articles, checkpoint), count

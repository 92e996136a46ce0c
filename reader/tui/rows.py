"""The Library's rows, from plain data: no app, no widgets.

:func:`build_rows` takes the articles, the keys with bookmarks, notes and "new" marks,
and the preferred languages, so a worker thread can build 20,000 rows while the
interface keeps answering keys, and a test can build them from a list;
:func:`library_rows` gathers those from a library and the user's files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.languages import order_by_preference

if TYPE_CHECKING:
    # Types only: the model module is not on the first paint's path.
    from reader.library import Article, Library
    from reader.userdata import UserData

#: Rows built between two calls of :func:`build_rows`' ``checkpoint`` (a few ms of work).
ROWS_PER_CHECKPOINT = 250


@dataclass(frozen=True)
class ArticleRow:
    """What one line of the list shows.

    Attributes:
        key: Article key.
        title: Title in the preferred language (untrusted; cleaned when drawn).
        date: ISO date or empty.
        languages: Language codes present, in preference order.
        bookmarked: Whether any bookmark points into it.
        noted: Whether it has notes.
        new: Whether it came from a feed and was not opened yet.
        search_text: Every title in every language, case-folded, for the filter.
    """

    key: str
    title: str
    date: str
    languages: tuple[str, ...]
    bookmarked: bool = False
    noted: bool = False
    search_text: str = ""
    new: bool = False


def build_rows(
    articles: Mapping[str, Article],
    preferred: Iterable[str],
    bookmarked: Set[str],
    noted: Set[str],
    new: Set[str] = frozenset(),
    checkpoint: Callable[[], None] | None = None,
) -> list[ArticleRow]:
    """The Library's rows: titles in the first ``preferred`` language each article has
    (then English), marks, filter text. ``checkpoint`` is called every
    :data:`ROWS_PER_CHECKPOINT` rows."""
    preference = [*preferred, "en"]
    rows: list[ArticleRow] = []
    for article in list(articles.values()):
        titles = {tag: variant.title for tag, variant in article.variants.items()}
        rows.append(make_row(article.key, article.date, titles, preference, bookmarked, noted, new))
        if checkpoint is not None and not len(rows) % ROWS_PER_CHECKPOINT:
            checkpoint()
    return rows


def library_rows(
    library: Library,
    userdata: UserData,
    preferred: Iterable[str],
    checkpoint: Callable[[], None] | None = None,
) -> list[ArticleRow]:
    """The rows of ``library``'s articles with the marks in ``userdata``."""
    return build_rows(
        library.articles,
        preferred,
        userdata.bookmarks.keys(),
        userdata.notes.keys(),
        userdata.new_marks.keys(),
        checkpoint,
    )


def make_row(
    key: str,
    date: str | None,
    titles: dict[str, str],
    preference: list[str],
    bookmarked: Set[str],
    noted: Set[str],
    new: Set[str] = frozenset(),
) -> ArticleRow:
    """One row: the title in the first language of ``preference`` the article has, and
    marks."""
    languages = order_by_preference(titles, preference)
    return ArticleRow(
        key=key,
        title=titles[languages[0]] if languages else key,
        date=date or "",
        languages=tuple(languages),
        bookmarked=key in bookmarked,
        noted=key in noted,
        search_text=_search_text(titles.values(), key),
        new=key in new,
    )


def _search_text(titles: Iterable[str], key: str) -> str:
    """What the filter matches: every title and the key, NFC and case-folded."""
    return unicodedata.normalize("NFC", " ".join(titles) + " " + key).casefold()

"""Reading pages for the catalog: parse, prepare the texts, in worker processes if many.

Never imports Textual.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, TypeVar, overload

from reader.languages import AUTO_LANGUAGE
from reader.library.catalog_walk import Locations, Sizes
from reader.library.index_text import TITLE_INDEX, pack_texts
from reader.library.model import Problem
from reader.library.scan import PageLocation, read_page_document
from reader.library.search import index_text
from reader.sanitize import clean

#: A refresh with at least this many files to read parses them in worker processes.
POOL_MIN_FILES = 2000
#: Worker processes for a big refresh (see :mod:`reader.library.pool`), pages per task.
MAX_WORKERS = 2
POOL_CHUNK = 50
#: Paragraphs beyond this are not indexed for search (a hit's key holds 16 bits of index).
MAX_INDEXED_PARAGRAPHS = TITLE_INDEX

_Item = TypeVar("_Item")


class ReadResult(NamedTuple):
    """A page read for the catalog (picklable: worker processes send it back).

    ``row`` holds the variant's values (see :func:`read_for_catalog`); ``packed`` is
    the paragraphs and title as stored (:func:`reader.library.index_text.pack_texts`,
    compressed here, in the worker), ``indexed`` their form for the FTS5 index.
    """

    row: tuple[Any, ...] | None
    problem: Problem | None
    packed: bytes = b""
    indexed: tuple[str, ...] = ()


def read_for_catalog(location: PageLocation, default_language: str, max_bytes: int) -> ReadResult:
    """Read and parse one page and prepare its row, paragraphs and title for the index.

    The row is ``(relpath, path_key, translation_key, language, language_source, title,
    date, advertised, size, mtime_ns, paragraphs)``.
    """
    page, problem, document = read_page_document(location, default_language, max_bytes)
    if page is None or document is None:
        return ReadResult(None, problem)
    variant = page.variant
    blocks = document.blocks[:MAX_INDEXED_PARAGRAPHS]
    texts = (
        # Indexed as shown: what the reader removes from the text cannot be found.
        *(unicodedata.normalize("NFC", clean(block.plain_text)) for block in blocks),
        unicodedata.normalize("NFC", clean(variant.title)),
    )
    row = (
        variant.relpath,
        variant.key,
        page.translation_key,
        variant.language,
        variant.language_source,
        variant.title,
        variant.date,
        " ".join(variant.advertised),
        variant.size,
        variant.mtime_ns,
        variant.paragraphs,
    )
    return ReadResult(row, problem, pack_texts(texts), tuple(map(index_text, texts)))


def read_chunk(
    locations: list[PageLocation], default_language: str, max_bytes: int
) -> list[ReadResult]:
    """Read a few pages (the unit of work of a worker process)."""
    from reader.library.pool import injected_delay

    _prefetch(locations)
    results = []
    for location in locations:
        injected_delay(location.relpath)
        results.append(read_for_catalog(location, default_language, max_bytes))
    return results


def _prefetch(locations: list[PageLocation]) -> None:
    """Ask the kernel to start reading every page of a chunk now, all at once.

    A library that is not in the page cache is otherwise read one file at a time, each
    read waiting for the disk while the worker could parse. When the files are cached
    the hint costs nothing measurable.
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for location in locations:
        try:
            fd = os.open(location.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass  # only a hint
        finally:
            os.close(fd)


def read_pages(locations: Locations, default_language: str, max_bytes: int) -> Iterator[ReadResult]:
    """Read pages, in order; many of them in :data:`MAX_WORKERS` worker processes.

    Parsing Markdown is most of a cold refresh, so from :data:`POOL_MIN_FILES` files on
    it runs in a :class:`reader.library.pool.WorkerPool` (which never waits for ever: a
    file whose parse stalls becomes a problem). If workers cannot start, the rest is read
    here.
    """
    done = 0
    from reader.library import pool

    workers = pool.worker_count(MAX_WORKERS)
    if len(locations) >= POOL_MIN_FILES and workers > 0:
        chunks = _Chunks(locations, POOL_CHUNK)
        weights = _Chunks(Sizes(locations, max_bytes), POOL_CHUNK)
        try:
            readers = pool.WorkerPool(
                workers,
                f"{__name__}:read_chunk",
                (default_language, max_bytes),
                _unread,
                warm_up=f"{__name__}:warm_up",
            )
        except pool.PoolBrokenError:
            pass
        else:
            try:
                for results in readers.map(chunks, weights):
                    for result in results:
                        yield result
                        done += 1
            except Exception:
                pass  # workers could not start, or a bug: read the rest here
            finally:
                readers.close()
    for index in range(done, len(locations)):
        yield read_for_catalog(locations[index], default_language, max_bytes)


def warm_up(default_language: str, max_bytes: int) -> None:
    """A worker's start: load what parsing needs (the parsers, the language guesser).

    Otherwise the first chunk a worker reads pays for it (0.7 s for the guesser), and
    its deadline would have to allow for that.
    """
    from reader.library.markdown_page import parse_markdown_page
    from reader.library.text_page import parse_text_page

    parse_markdown_page('+++\ntitle = "Warm"\n+++\n\n# Warm *up*\n\nA [link](https://a.org).\n')
    parse_text_page("Warm up\n\nA paragraph.\n")
    index_text("Warm up")
    if default_language == AUTO_LANGUAGE:
        from reader.library.detect import detect_language

        detect_language("This sentence wakes the language guesser up before any page.")


def _unread(location: PageLocation, reason: str) -> ReadResult:
    """The result of a page whose parse stalled or crashed its worker: a problem."""
    return ReadResult(None, Problem(location.relpath, reason, "parse_failed"))


class _Chunks(Sequence[list[_Item]]):
    """A sequence cut into lists of ``size``, each made when asked for."""

    def __init__(self, items: Sequence[_Item], size: int) -> None:
        self.items = items
        self.size = size

    def __len__(self) -> int:
        return -(-len(self.items) // self.size)

    @overload
    def __getitem__(self, index: int) -> list[_Item]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[_Item]]: ...

    def __getitem__(self, index: int | slice) -> list[_Item] | list[list[_Item]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return list(self.items[index * self.size : (index + 1) * self.size])

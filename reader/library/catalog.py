"""The catalog: a SQLite cache of the library, so that startup reads no page files.

One catalog file per set of library roots lives in the cache directory
(``catalog-<sha1 of the resolved roots>[:12].sqlite``). It holds:

* ``variants``: one row per page file with what a scan learns from it (title, date,
  language, advertised languages, paragraph count, size and mtime), the exact on-disk
  path relative to its root, and the key of the article the last refresh grouped it
  into (``NULL`` for a second variant of a language that grouping dropped);
* ``problems``: what the last refresh reported, in order;
* ``texts`` (the text of each block, the title last, compressed in one row per variant)
  and two contentless FTS5 indexes of them for :mod:`reader.library.search`:
  ``fts_titles`` of the titles and ``fts`` of the other blocks (the layout is in
  :mod:`reader.library.index_text`);
* ``meta``: the roots, the settings the rows were read with, and a ``dirty`` flag that
  is set while a refresh is writing.

:meth:`Catalog.load` rebuilds the library's articles from the rows alone (no file read,
no directory walk). :meth:`Catalog.refresh` walks the roots, re-reads only files whose
size or mtime changed (or that were modified too close to their last read to trust the
mtime, as git does), deletes rows of vanished files and commits every
:data:`BATCH_FILES` files, so that a crash loses little and :meth:`load` after a crash
still works (it regroups the rows itself while ``dirty`` is set).

A file that is not a catalog, is damaged, or has another schema or folding version is
deleted and rebuilt; it is only a cache. If the cache directory cannot be written the
catalog lives in memory.

Never imports Textual.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import sqlite3
import struct
import threading
import time
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, TypeVar, overload

from reader.languages import AUTO_LANGUAGE
from reader.library.catalog_file import APPLICATION_ID as APPLICATION_ID
from reader.library.catalog_file import FOLD as _FOLD
from reader.library.catalog_file import SCHEMA_VERSION as SCHEMA_VERSION
from reader.library.catalog_file import TABLES as _TABLES
from reader.library.catalog_file import CatalogCorruptError as CatalogCorruptError
from reader.library.catalog_file import PeekArticle as PeekArticle
from reader.library.catalog_file import catalog_path as catalog_path
from reader.library.catalog_file import first_page_of_meta
from reader.library.catalog_file import resolved_roots as resolved_roots
from reader.library.catalog_file import roots_key as _roots_key
from reader.library.decode import DEFAULT_MAX_BYTES
from reader.library.index_text import (
    MAX_VARIANT_ID,
    TITLE_INDEX,
    block_rowid,
    pack_texts,
    unpack_texts,
)
from reader.library.model import Article, Problem, Variant
from reader.library.scan import (
    CHECKPOINT_EVERY,
    FALLBACK_LANGUAGE,
    PAGE_EXTENSIONS,
    PageLocation,
    PathFacts,
    ScannedPage,
    ScanResult,
    group_entries,
    group_pages,
    iter_page_files,
    language_directories,
    locate_relative,
    page_suffix,
    read_page_document,
    safe_relpath,
    sort_articles,
)
from reader.library.search import SearchHit, index_text
from reader.sanitize import clean

# APPLICATION_ID, SCHEMA_VERSION, _FOLD and _TABLES live in catalog_file.py, which
# `reader search` reads a catalog with, without importing this module.
#: Files read between two commits of a refresh.
BATCH_FILES = 500
#: ``progress`` is called after this many files.
PROGRESS_EVERY = 100
#: How long to wait for another process's write, in seconds.
BUSY_TIMEOUT = 2.0
#: How long a refresh waits in all for its turn to write while other processes (another
#: ``reader index``, an open interface) write the same catalog, in seconds. Only then
#: does it give up on the file and read the library into memory.
WRITE_WAIT_SECONDS = 120.0
#: A file modified less than this before it was read is read again next time, because
#: a change within the same timestamp tick would not show in its mtime (FAT: 2 s).
RACY_NS = 2_000_000_000
#: A refresh with at least this many files to read parses them in worker processes.
POOL_MIN_FILES = 2000
#: Worker processes for a big refresh (see :mod:`reader.library.pool`), pages per task.
MAX_WORKERS = 2
POOL_CHUNK = 50
#: Page cache of the shared connection, in KiB. Searches are as fast with 2 MiB as with
#: 32 MiB on the 100,000-variant benchmark (the OS caches the file), so it is kept small:
#: every MiB here is a MiB of the app's memory once searches have filled it.
CACHE_KIB = 8192
#: Pages of write-ahead log after which a write copies them into the file (64 MiB).
WAL_CHECKPOINT_PAGES = 16384
#: A refresh that leaves more than this share of the file's pages free (FTS5 frees the
#: segments it merges) gives them back to the file system (``incremental_vacuum``).
FREE_PAGES_SHARE = 1 / 32
#: Page cache of the private connection that reads every row (load, refresh), in KiB.
BULK_CACHE_KIB = 2048
#: A refresh groups only the articles that changed files belong to, unless more than
#: this many files (or a tenth of the library) changed; then it groups everything.
INCREMENTAL_MAX = 5000
#: Paragraphs beyond this are not indexed for search (a hit's key holds 16 bits of index).
MAX_INDEXED_PARAGRAPHS = TITLE_INDEX

RefreshProgress = Callable[[int, int, str], None]
"""``progress(done, total, relpath)``; ``total`` is 0 while the roots are still walked."""

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE IF NOT EXISTS variants (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        root INTEGER NOT NULL,
        rel BLOB NOT NULL,
        relpath TEXT NOT NULL,
        path_key TEXT NOT NULL,
        translation_key TEXT,
        article_key TEXT,
        language TEXT NOT NULL,
        language_source TEXT NOT NULL,
        title TEXT NOT NULL,
        date TEXT,
        advertised TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        checked_ns INTEGER NOT NULL,
        paragraphs INTEGER NOT NULL,
        UNIQUE (root, rel)
    )""",
    "CREATE INDEX IF NOT EXISTS variants_language ON variants (language)",
    # One row per variant (id = variants.id): its texts, compressed (index_text.pack_texts).
    # A row per paragraph, uncompressed, made the catalog of a library of random words
    # 3.1x the library's size; compressed in the workers, the text takes 0.45x (Zipf-like
    # words) to 0.62x (random ones) of what it did.
    "CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
    """CREATE TABLE IF NOT EXISTS problems (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        skipped INTEGER NOT NULL,
        root INTEGER,
        rel BLOB,
        size INTEGER,
        mtime_ns INTEGER,
        ctime_ns INTEGER
    )""",
    # columnsize=0: no table of row lengths. bm25 then reads no length for every match
    # (that lookup was three quarters of the time of a search matching 20,000
    # paragraphs), so it ranks by how often, and how rare, the words are; titles, which
    # the length normalisation used to lift, come first by rule (see search.py).
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='', columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    # Titles have an index of their own: they come first, and when they hold enough
    # hits (a word in 400 titles and 20,000 paragraphs) the paragraphs are never ranked.
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_titles USING fts5(text, content='', columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    # Merge 16 segments at a time, not 4: each indexed word is rewritten half as often.
    # A cold index of 100,000 pages: 2.5 -> 1.5 GB written, ~10 % faster; searches
    # measured no slower (20 segments instead of 9).
    "INSERT INTO fts (fts, rank) VALUES ('automerge', 16)",
    "INSERT INTO fts_titles (fts_titles, rank) VALUES ('automerge', 16)",
)
_ROW_COLUMNS = (
    "id, root, rel, relpath, path_key, translation_key, article_key, language, "
    "language_source, title, date, advertised, size, mtime_ns, checked_ns, paragraphs"
)


#: How many articles the quick first page holds (more than any screen shows).
FIRST_PAGE_SIZE = 120


def _first_page_json(articles: dict[str, Article]) -> str:
    page = [
        [article.key, article.date, [[tag, v.title] for tag, v in article.variants.items()]]
        for article in itertools.islice(articles.values(), FIRST_PAGE_SIZE)
    ]
    return json.dumps(page, ensure_ascii=False)


class _StaleCatalog(Exception):
    """The file is not a catalog of this version (foreign, older or newer)."""


class _Row(NamedTuple):
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


@dataclass
class RefreshReport:
    """What a refresh did.

    Attributes:
        result: The library as it now is (the same as a full scan would give). When no
            page file changed and the caller passed what it shows as ``current`` (and
            that is what the catalog held), ``result.articles`` is ``current.articles``
            itself: nothing was built again.
        added: Files read that the catalog did not know.
        changed: Known files read again (size or mtime changed, or a racy mtime).
        removed: Files in the catalog that are gone (a rename is removed + added).
        unchanged: Files taken from the catalog without reading them.
        files: Page files found.
        problems: Files skipped or degraded (the same list as ``result.problems``).
        seconds: Wall time of the refresh.
    """

    result: ScanResult
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        """How many files were read (added + changed)."""
        return self.added + self.changed


def _disk_reason(path: Path | None, error: sqlite3.Error) -> str | None:
    """Why writing ``path`` failed where SQLite only says "disk I/O error" (or that the
    disk is full): the file system holding it has (almost) no room left, or the process
    may not write files that large (``ulimit -f``)."""
    if path is None or not ("I/O error" in str(error) or "full" in str(error)):
        return None
    with suppress(OSError):
        found = os.statvfs(path.parent)
        if found.f_bavail * found.f_frsize < 1024 * 1024:
            return "disk full"
    import resource

    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        return f"disk I/O error; files may not grow past {limit} bytes here (ulimit -f)"
    return None


def _is_corrupt(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error)
    return "malformed" in message or "not a database" in message


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error)


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Start a write transaction, waiting up to :data:`WRITE_WAIT_SECONDS` for the lock.

    Each try waits :data:`BUSY_TIMEOUT` inside SQLite; several processes indexing the
    same catalog take turns batch by batch, and one batch may be longer than that.
    """
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() >= deadline:
                raise


def _os_reason(path: Path) -> str | None:
    """Why the file system refuses ``path`` as a writable file, in its own words, or
    ``None`` if it does not (then SQLite's message is all there is)."""
    existed = path.exists() or path.is_symlink()
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        return (error.strerror or str(error)).lower()
    os.close(descriptor)
    if not existed:
        with suppress(OSError):
            path.unlink()
    return None


class Catalog:
    """The library's catalog and search index in one SQLite file.

    One connection, used under a lock, so a catalog may be shared between the UI thread
    and a refresh worker; a refresh holds the lock only while it writes a batch.
    Other processes may use the same file at the same time (WAL mode).

    The file is only a cache: whatever is wrong with it (damaged, a directory, in a
    directory that cannot be written, on a full disk) the catalog rebuilds it or goes
    on in memory, and :attr:`problem` says what happened, in one line.

    Args:
        path: The SQLite file (created if missing), or ``None`` for an in-memory catalog.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.RLock()
        self._refreshing = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        #: What went wrong with the file, in one line for the user (``None``: nothing).
        self.problem: str | None = None

    @classmethod
    def for_roots(cls, roots: list[Path], cache_dir: Path | None = None) -> Catalog:
        """Return the catalog for a set of library roots, in the cache directory.

        Args:
            roots: The library roots (their resolved form names the file).
            cache_dir: Where catalogs live; default: ``READER_CACHE_DIR`` or the
                platform's user cache directory.
        """
        if cache_dir is None:
            from reader.paths import resolve_cache_dir

            cache_dir = resolve_cache_dir()
        return cls(catalog_path(roots, cache_dir))

    @classmethod
    def in_memory(cls) -> Catalog:
        """Return a catalog that lives in memory only (tests, read-only caches)."""
        return cls(None)

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Catalog({str(self.path) if self.path else ':memory:'})"

    # --- the connection -----------------------------------------------------------------

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Hold the catalog's connection (and its lock) for a few statements.

        Raises:
            CatalogCorruptError: The file turned out to be damaged; it has been replaced
                by an empty catalog, and the caller should treat it as empty.
        """
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            conn = self._conn
            try:
                yield conn
            except sqlite3.DatabaseError as error:
                if not _is_corrupt(error):
                    raise
                self._reset(str(error))
                raise CatalogCorruptError(str(error)) from error

    def close(self) -> None:
        """Close the connection (the catalog reopens on next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _open(self) -> sqlite3.Connection:
        damage: str | None = None
        failure = "cannot be opened"
        for _ in range(2):
            try:
                conn = self._connect_checked()
            except _StaleCatalog:
                self._discard()  # another version's cache: replaced without a word
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError) and not _is_corrupt(error):
                    failure = self._reason(error)
                    break  # cannot open or create the file: fall back to memory
                damage = str(error)
                self._discard()
            except OSError as error:
                failure = (error.strerror or str(error)).lower()
                break
            else:
                if damage is not None and self.path is not None:
                    self.problem = (
                        f"the catalog cache {self.path} was damaged ({damage}); rebuilt it"
                    )
                return conn
        else:
            if damage is not None:
                failure = f"damaged ({damage}) and cannot be replaced"
        self._to_memory(failure)
        return self._connect_checked()

    def _reason(self, error: sqlite3.Error) -> str:
        """Why the file cannot be used: the operating system's reason where it has one
        (``is a directory``, ``permission denied``), else SQLite's."""
        if self.path is None:
            return str(error)
        return _disk_reason(self.path, error) or _os_reason(self.path) or str(error)

    def _to_memory(self, reason: str) -> None:
        """Go on without the file (the library is read into memory), saying why once."""
        if self.path is not None:
            self.problem = (
                f"cannot use the catalog cache {self.path} ({reason}); "
                "reading the library into memory"
            )
        self.path = None

    def _connect_checked(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        target = str(self.path) if self.path is not None else ":memory:"
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if application_id == 0 and version == 0:
                # Decided under the write lock: another reader may be creating it now.
                self._create(conn)
            elif application_id != APPLICATION_ID or version != SCHEMA_VERSION:
                raise _StaleCatalog(f"application {application_id}, schema {version}")
            self._check(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # Checkpoint every 64 MiB of log, not every 4: a page written by several
            # batches of a refresh is copied into the file once (with the merge setting
            # above, a cold index of 100,000 pages spends a sixth less time writing).
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        # Only takes effect before the first table is written.
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("PRAGMA journal_mode = WAL")
        _begin_immediate(conn)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] == 0:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise _StaleCatalog("a database of another program")
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('fold', ?)", (_FOLD,))
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    @staticmethod
    def _check(conn: sqlite3.Connection) -> None:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if not names >= _TABLES:
            raise _StaleCatalog("tables missing")
        fold = conn.execute("SELECT value FROM meta WHERE key = 'fold'").fetchone()
        if fold is None or fold[0] != _FOLD:
            raise _StaleCatalog("index built with another text folding")

    def _discard(self) -> None:
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _reset(self, damage: str) -> None:
        """Replace a file found damaged while in use by an empty catalog."""
        if self.path is not None:
            self.problem = f"the catalog cache {self.path} was damaged ({damage}); rebuilt it"
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        self._discard()
        self._conn = self._open()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self.connection() as conn:
            _begin_immediate(conn)
            try:
                yield conn
            except BaseException:
                _rollback(conn)
                raise
            conn.execute("COMMIT")

    # --- reading --------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """``True`` if no refresh has written anything yet."""
        try:
            with self.connection() as conn:
                meta = _meta(conn)
                if "refreshed" in meta:
                    return False
                return conn.execute("SELECT 1 FROM variants LIMIT 1").fetchone() is None
        except CatalogCorruptError:
            return True

    def article_count(self) -> int:
        """How many articles the catalog holds (cheap: no rows are loaded)."""
        try:
            with self.connection() as conn:
                meta = _meta(conn)
                if meta.get("dirty") != "1" and "articles" in meta:
                    return int(meta["articles"])
                row = conn.execute(
                    "SELECT count(DISTINCT coalesce(translation_key, path_key)) FROM variants"
                ).fetchone()
                return int(row[0])
        except CatalogCorruptError:
            return 0

    def load(
        self,
        roots: list[Path],
        default_language: str = "en",
        checkpoint: Callable[[], None] | None = None,
    ) -> ScanResult | None:
        """Return the library as the last refresh left it, reading no page file.

        Args:
            roots: The library roots, spelled as the caller wants variant paths spelled.
            default_language: Language of pages whose path and front matter name none.
            checkpoint: Called every :data:`CHECKPOINT_EVERY` variants; an interface
                running the load in a thread pauses there while the user types.

        Returns:
            The grouped articles and stored problems, or ``None`` if the catalog is new,
            empty, damaged or belongs to other roots.
        """
        with _gc_paused():
            return self._load(roots, default_language, checkpoint)

    def _load(
        self, roots: list[Path], default_language: str, checkpoint: Callable[[], None] | None
    ) -> ScanResult | None:
        bases = [str(root) for root in roots]
        try:
            with self._bulk_reader() as conn, _read_transaction(conn):
                meta = _meta(conn)
                if meta.get("roots") != _roots_key(roots):
                    return None
                problem_rows = conn.execute(
                    "SELECT kind, path, reason, skipped FROM problems ORDER BY seq"
                ).fetchall()
                if _is_clean(meta, default_language):
                    articles, count = _load_articles(conn, bases, checkpoint)
                    if not count and not problem_rows and "refreshed" not in meta:
                        return None
                    problems = [
                        Problem(path, reason, bool(skipped))
                        for _, path, reason, skipped in problem_rows
                    ]
                    files = int(meta.get("files", count))
                    return ScanResult(articles, problems, files, meta.get("refreshed"))
                rows = conn.execute(f"SELECT {_ROW_COLUMNS} FROM variants ORDER BY root, rel")
                pages = [_page_from_row(_Row._make(row), bases, default_language) for row in rows]
        except CatalogCorruptError:
            return None
        if not pages and not problem_rows and "refreshed" not in meta:
            return None
        # Left by a crash or read with another default language: group the rows here.
        problems = [
            Problem(path, reason, bool(skipped))
            for kind, path, reason, skipped in problem_rows
            if kind != "group"
        ]
        articles = group_pages(pages, problems)
        return ScanResult(articles, problems, int(meta.get("files", len(pages))))

    @contextmanager
    def _bulk_reader(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading every row, without holding the shared one.

        A file catalog gets a private connection with a small page cache (the rows are
        read once; the shared connection's cache stays for searches), so the UI thread
        can use the catalog meanwhile. An in-memory catalog has only its one connection.

        Raises:
            CatalogCorruptError: As :meth:`connection`.
        """
        with self.connection():
            pass  # opened and checked (a stale or damaged file is replaced here)
        path = self.path
        if path is None:
            with self.connection() as conn:
                yield conn
            return
        try:
            conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error:
            with self.connection() as shared:
                yield shared
            return
        try:
            conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            yield conn
        except sqlite3.DatabaseError as error:
            if not _is_corrupt(error):
                raise
            with self._lock:
                conn.close()
                self._reset(str(error))
            raise CatalogCorruptError(str(error)) from error
        finally:
            conn.close()

    def first_page(self, roots: list[Path]) -> tuple[int, list[PeekArticle]] | None:
        """The article count and the first articles in display order, from one small row.

        What the Library screen draws before :meth:`load` has finished; ``None`` if the
        catalog does not know these roots yet.
        """
        try:
            with self.connection() as conn:
                meta = _meta(conn)
        except CatalogCorruptError:
            return None
        return first_page_of_meta(meta, roots)

    def load_article(
        self, roots: list[Path], key: str, default_language: str = "en"
    ) -> Article | None:
        """One article as the last refresh grouped it, from its rows alone.

        What opening an article from the first page needs while :meth:`load` is still
        building the other 100,000 variants. ``None`` if the key is unknown, the catalog
        belongs to other roots, or its rows were left ungrouped (then only a full load
        or refresh can tell what the article is).
        """
        try:
            with self.connection() as conn:
                meta = _meta(conn)
                if meta.get("roots") != _roots_key(roots) or not _is_clean(meta, default_language):
                    return None
                rows = conn.execute(
                    f"SELECT {_LOAD_COLUMNS} FROM variants WHERE article_key = ?", (key,)
                ).fetchall()
        except CatalogCorruptError:
            return None
        if not rows:
            return None
        make = _VariantMaker([str(root) for root in roots])
        variants = {variant.language: variant for variant in map(make, rows)}
        return Article(key, dict(sorted(variants.items())))

    def search(self, query: str, language: str | None = None, limit: int = 20) -> list[SearchHit]:
        """Search every variant; see :func:`reader.library.search.search`."""
        from reader.library.search import search

        return search(self, query, language, limit)

    # --- refreshing -----------------------------------------------------------------------

    def refresh(
        self,
        roots: list[Path],
        default_language: str = "en",
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: RefreshProgress | None = None,
        current: ScanResult | None = None,
    ) -> RefreshReport:
        """Bring the catalog up to date with the files and return the library.

        Only new and changed files are read, and only the articles they belong to are
        grouped again. Raising from ``progress`` aborts the refresh; what was committed
        so far stays and the next refresh completes it.

        Args:
            roots: The library roots.
            default_language: Language of pages whose path and front matter name none.
            max_bytes: Size limit per file (as for a scan).
            progress: Called as ``progress(done, total, relpath)`` every
                :data:`PROGRESS_EVERY` files: first while walking (``total`` 0), then
                while reading (``done`` counts unchanged files too).
            current: What the caller shows now, as :meth:`load` or the last refresh
                returned it. If the catalog still holds that state (its ``stamp``), the
                refresh starts from it instead of building every article again.
        """
        # One refresh at a time per catalog; a second one waits, then finds little to do.
        with self._refreshing:
            try:
                return self._refresh(roots, default_language, max_bytes, progress, current)
            except CatalogCorruptError:
                return self._refresh(roots, default_language, max_bytes, progress, None)
            except sqlite3.OperationalError as error:
                if self.path is None or _is_corrupt(error):
                    raise
                # The file cannot be written (a full disk, a read-only file or
                # directory, a lock held for minutes): what was committed stays, and
                # this time the library is read into memory.
                self._write_failed(error)
                return self._refresh(roots, default_language, max_bytes, progress, None)

    def _write_failed(self, error: sqlite3.OperationalError) -> None:
        reason = "busy: other processes kept writing it" if _is_busy(error) else str(error)
        reason = _disk_reason(self.path, error) or reason
        with self._lock:
            if self._conn is not None:
                with suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None
            self._to_memory(f"cannot be written: {reason}")

    def _refresh(
        self,
        roots: list[Path],
        default_language: str,
        max_bytes: int,
        progress: RefreshProgress | None,
        current: ScanResult | None,
    ) -> RefreshReport:
        job = _Refresh(self, [Path(root) for root in roots], default_language, max_bytes, progress)
        return job.run(current)

    @staticmethod
    def _clear(conn: sqlite3.Connection) -> None:
        _begin_immediate(conn)
        try:
            for table in ("variants", "texts", "problems"):
                conn.execute(f"DELETE FROM {table}")
            # Every index row is gone: variant ids may start again at 1 (they must stay
            # below index_text.MAX_VARIANT_ID).
            conn.execute("DELETE FROM sqlite_sequence WHERE name = 'variants'")
            conn.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
            conn.execute("INSERT INTO fts_titles (fts_titles) VALUES ('delete-all')")
            conn.execute("DELETE FROM meta WHERE key != 'fold'")
        except BaseException:
            _rollback(conn)
            raise
        conn.execute("COMMIT")


_NO_FILE = (None, None, None, None, None)
#: The flat entry number in a packed file to read (its walk position is above it).
_FLAT_MASK = 0xFFFFFFFF
#: A walked file after its relative path and a NUL: size, mtime_ns, ctime_ns, position.
_ENTRY = struct.Struct("<qqqI")
_COMPARE_COLUMNS = (
    "id, root, rel, size, mtime_ns, checked_ns, path_key, translation_key, article_key,"
    " language, language_source"
)
_GROUP_COLUMNS = (
    "id, root, rel, relpath, path_key, translation_key, article_key, language, language_source"
)
_LOAD_COLUMNS = (
    "root, rel, relpath, article_key, language, language_source, title, date, advertised,"
    " size, mtime_ns, paragraphs"
)
#: Indexes that an incremental refresh needs (created by the first one).
_GROUPING_INDEXES = (
    "CREATE INDEX IF NOT EXISTS variants_path_key ON variants (path_key)",
    "CREATE INDEX IF NOT EXISTS variants_translation_key ON variants (translation_key)",
    "CREATE INDEX IF NOT EXISTS variants_article_key ON variants (article_key)",
)
#: Most values bound in one ``IN (...)`` list.
_IN_CHUNK = 500


class _Walk:
    """The page files under the roots, kept compactly (no object per file but a bytes).

    Per root, a sorted list of ``rel + b"\\0" + _ENTRY``, so a file is found by
    bisection and the walk of 100,000 files takes about 10 MB.
    """

    def __init__(self, roots: list[Path], progress: RefreshProgress | None) -> None:
        self.bases = [str(root) for root in roots]
        self.directories: list[dict[str, str]] = []
        self.entries: list[list[bytes]] = []
        #: Walk problems, each after the number of files found before it.
        self.problems: list[tuple[int, Problem]] = []
        #: Where each root's entries start in the walk's flat numbering of them.
        self.offsets: list[int] = []
        self.count = 0
        pack = _ENTRY.pack
        for root in roots:
            self.offsets.append(self.count)
            self.directories.append(language_directories(root))
            found: list[bytes] = []
            problems: list[Problem] = []
            for _, relative, info in iter_page_files(root, problems):
                if problems:
                    self.problems.extend((self.count, problem) for problem in problems)
                    problems.clear()
                found.append(
                    os.fsencode(relative)
                    + b"\0"
                    + pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, self.count)
                )
                self.count += 1
                if progress is not None and self.count % PROGRESS_EVERY == 0:
                    progress(self.count, 0, safe_relpath(relative))
            self.problems.extend((self.count, problem) for problem in problems)
            found.sort()
            self.entries.append(found)

    def find(self, root: int, rel: bytes) -> int:
        """The slot of a file in its root's entries, or -1 if the walk did not find it."""
        if not 0 <= root < len(self.entries):
            return -1
        entries = self.entries[root]
        probe = rel + b"\0"
        slot = bisect.bisect_left(entries, probe)
        if slot < len(entries) and entries[slot].startswith(probe):
            return slot  # a path holds no NUL, so this is the very path
        return -1

    def entry(self, flat: int) -> tuple[int, bytes]:
        """The root and entry of a file by its flat number (``offsets[root] + slot``)."""
        root = bisect.bisect_right(self.offsets, flat) - 1
        return root, self.entries[root][flat - self.offsets[root]]

    @staticmethod
    def rel(entry: bytes) -> bytes:
        return entry[: -_ENTRY.size - 1]

    @staticmethod
    def info(entry: bytes) -> tuple[int, int, int, int]:
        """``(size, mtime_ns, ctime_ns, walk position)`` of an entry."""
        size, mtime_ns, ctime_ns, position = _ENTRY.unpack_from(entry, len(entry) - _ENTRY.size)
        return size, mtime_ns, ctime_ns, position

    def position(self, root: int | None, rel: bytes | None) -> int:
        """Where a file came in the walk (after every file if it was not found)."""
        if root is None or rel is None:
            return self.count
        slot = self.find(root, rel)
        return self.count if slot < 0 else self.info(self.entries[root][slot])[3]

    def location(self, root: int, rel: bytes) -> PageLocation:
        relative = os.fsdecode(rel)
        facts = locate_relative(relative, self.directories[root])
        if facts is None:  # the walk only finds pages; keep going if it ever does not
            facts = PathFacts(safe_relpath(relative), None, "default", "text")
        path = os.path.join(self.bases[root], relative)
        return PageLocation(path, safe_relpath(relative), *facts)


#: A problem with its walk position and its row values ``(root, rel, size, mtime, ctime)``.
_Found = tuple[int, Problem, tuple[object, ...]]
_Item = TypeVar("_Item")


class _Locations(Sequence[PageLocation]):
    """The files to read, as :class:`PageLocation` objects made only when asked for.

    ``packed`` holds ``walk position << 32 | flat entry number`` per file, in walk order.
    """

    def __init__(self, walk: _Walk, packed: array[int]) -> None:
        self.walk = walk
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed)

    @overload
    def __getitem__(self, index: int) -> PageLocation: ...

    @overload
    def __getitem__(self, index: slice) -> list[PageLocation]: ...

    def __getitem__(self, index: int | slice) -> PageLocation | list[PageLocation]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.packed)))]
        root, entry = self.walk.entry(self.packed[index] & _FLAT_MASK)
        return self.walk.location(root, self.walk.rel(entry))


class _Sizes(Sequence[int]):
    """The bytes a worker reads of each file to read (its size, up to ``max_bytes``)."""

    def __init__(self, locations: _Locations, max_bytes: int) -> None:
        self.locations = locations
        self.max_bytes = max_bytes

    def __len__(self) -> int:
        return len(self.locations)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        walk = self.locations.walk
        _, entry = walk.entry(self.locations.packed[index] & _FLAT_MASK)
        return min(walk.info(entry)[0], self.max_bytes)


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


class _Members:
    """Rows to group, as columns (a few bytes per row; strings are shared)."""

    def __init__(self) -> None:
        self.ids: array[int] = array("q")
        self.positions: array[int] = array("q")
        self.path_keys: list[str] = []
        self.translation_keys: list[str | None] = []
        self.from_path = bytearray()
        self.languages: list[str] = []
        self.stored: list[str | None] = []  # the article key the row has now
        self._shared: dict[str, str] = {}

    def add(
        self,
        vid: int,
        position: int,
        path_key: str,
        translation_key: str | None,
        article_key: str | None,
        language: str,
        source: str,
    ) -> None:
        share = self._shared.setdefault
        self.ids.append(vid)
        self.positions.append(position)
        self.path_keys.append(share(path_key, path_key))
        self.translation_keys.append(translation_key)
        self.from_path.append(source in ("filename", "directory"))
        self.languages.append(share(language, language))
        self.stored.append(None if article_key is None else share(article_key, article_key))


class _Refresh:
    """One run of :meth:`Catalog.refresh`: walk, compare, read and write, group.

    Memory stays small however big the library: the walk is packed bytes, the catalog's
    rows are compared as they stream by, and only the articles that changed files belong
    to are grouped again (see :meth:`_group_some`); when nothing changed, the caller's
    articles (or the rows, as :meth:`Catalog.load` reads them) are the result.
    """

    def __init__(
        self,
        catalog: Catalog,
        roots: list[Path],
        default_language: str,
        max_bytes: int,
        progress: RefreshProgress | None,
    ) -> None:
        self.catalog = catalog
        self.roots = roots
        self.default_language = default_language
        self.max_bytes = max_bytes
        self.progress = progress
        self.started = time.perf_counter()
        self.roots_json = _roots_key(roots)
        self.bases = [str(root) for root in roots]
        self.walk: _Walk
        self.meta: dict[str, str] = {}
        #: Files to read: ``walk position << 32 | flat entry number``, in walk order.
        self.to_read: array[int] = array("Q")
        self.removed: list[tuple[int, int, bytes]] = []  # (id, root, rel)
        #: Problems of reading, each with the walk position and the file's row values.
        self.read_problems: list[_Found] = []
        self.stored_problems: list[tuple[Any, ...]] = []
        #: Path keys, translation keys and article keys of rows removed, replaced or added.
        self.seed_paths: set[str] = set()
        self.seed_translations: set[str] = set()
        self.seed_keys: set[str] = set()
        self.report = RefreshReport(ScanResult())
        #: The ``writes`` counter as this refresh expects it, and whether it was not.
        self.writes = 0
        self.interfered = False

    def run(self, current: ScanResult | None) -> RefreshReport:
        with self.catalog.connection() as conn:
            if _meta(conn).get("roots", self.roots_json) != self.roots_json:
                self.catalog._clear(conn)  # the file holds another library
        with _gc_paused():
            self.walk = _Walk(self.roots, self.progress)
        self.report.files = self.walk.count
        with self.catalog.connection() as conn:
            if _last_variant_id(conn) + self.walk.count >= MAX_VARIANT_ID:
                # Ids are never reused, so years of rewritten files could run them out
                # of the rowid bits they have (index_text.VARIANT_BITS): start afresh.
                self.catalog._clear(conn)
        base: dict[str, Article] | None = None
        with self.catalog._bulk_reader() as conn, _read_transaction(conn):
            self.meta = _meta(conn)
            self.writes = _counter(self.meta.get("writes"))
            clean = _is_clean(self.meta, self.default_language)
            self.stored_problems = conn.execute(
                "SELECT kind, path, reason, skipped, root, rel, size, mtime_ns, ctime_ns"
                " FROM problems ORDER BY seq"
            ).fetchall()
            self._compare(conn)
            changes = len(self.to_read) + len(self.removed)
            incremental = (
                clean
                and changes <= min(INCREMENTAL_MAX, max(100, self.walk.count // 10))
                and all(row[4] is not None for row in self.stored_problems if row[0] == "group")
            )
            if incremental:
                stamp = self.meta.get("refreshed")
                if current is not None and stamp is not None and current.stamp == stamp:
                    base = current.articles
                else:
                    with _gc_paused():
                        base, _ = _load_articles(conn, self.bases)
        if base is not None and not changes:
            self._finish_unchanged(base)
            return self.report
        self._delete_removed()
        self._read()
        with _gc_paused():
            if base is not None:
                articles, group_problems = self._group_some(base)
            else:
                articles, group_problems = self._group_all()
        self._finish(articles, group_problems)
        return self.report

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction of this refresh: marks the catalog dirty, counts writes.

        Every refresh write bumps the ``writes`` counter in ``meta``; finding it other
        than this refresh left it means another process wrote in between.
        """
        with self.catalog._writing() as conn:
            found = conn.execute("SELECT value FROM meta WHERE key = 'writes'").fetchone()
            writes = _counter(found[0] if found is not None else None)
            if writes != self.writes:
                self.interfered = True
            self.writes = writes + 1
            _set_meta(conn, dirty="1", roots=self.roots_json, writes=str(self.writes))
            yield conn

    # --- comparing ------------------------------------------------------------------------

    def _compare(self, conn: sqlite3.Connection) -> None:
        """Stream the rows past the walk: note what is unchanged, to read, or removed."""
        walk, report = self.walk, self.report
        stored: dict[tuple[int, bytes], tuple[Any, ...]] = {
            (row[4], row[5]): row for row in self.stored_problems if row[0] == "read"
        }
        matched = [bytearray(len(entries)) for entries in walk.entries]
        to_read: list[int] = []
        old_max = int(self.meta.get("max_bytes", 0)) or self.max_bytes
        for row in conn.execute(f"SELECT {_COMPARE_COLUMNS} FROM variants"):
            vid, root, rel, size, mtime, checked, path_key, translation_key, article_key = row[:9]
            slot = walk.find(root, rel)
            if slot < 0:
                self.removed.append((vid, root, rel))
                self._seed(path_key, translation_key, article_key)
                continue
            matched[root][slot] = 1
            file_size, file_mtime, file_ctime, position = walk.info(walk.entries[root][slot])
            problem = stored.get((root, rel))
            if (
                size == file_size
                and mtime == file_mtime
                and mtime < checked - RACY_NS
                and (facts := locate_relative(os.fsdecode(rel), walk.directories[root]))
                and _still_valid(
                    size,
                    path_key,
                    row[9],
                    row[10],
                    facts,
                    self.default_language,
                    self.max_bytes,
                    old_max,
                )
            ):
                report.unchanged += 1
                if problem is not None and not problem[3]:
                    values = (root, rel, file_size, file_mtime, file_ctime)
                    self._note_problem(position, Problem(problem[1], problem[2], False), values)
                continue
            report.changed += 1
            to_read.append(position << 32 | (walk.offsets[root] + slot))
            self._seed(path_key, translation_key, article_key)
        for root, entries in enumerate(walk.entries):
            seen = matched[root]
            for slot, entry in enumerate(entries):
                if seen[slot]:
                    continue
                rel = walk.rel(entry)
                file_size, file_mtime, file_ctime, position = walk.info(entry)
                problem = stored.get((root, rel))
                values = (root, rel, file_size, file_mtime, file_ctime)
                if problem is not None and problem[3] and tuple(problem[6:]) == values[2:]:
                    # Could not be read, and untouched since (even its permissions).
                    self._note_problem(position, Problem(problem[1], problem[2], True), values)
                    report.unchanged += 1
                    continue
                report.added += 1
                to_read.append(position << 32 | (walk.offsets[root] + slot))
        to_read.sort()
        self.to_read = array("Q", to_read)

    def _seed(self, path_key: str, translation_key: str | None, article_key: str | None) -> None:
        self.seed_paths.add(path_key)
        if translation_key:
            self.seed_translations.add(translation_key)
        if article_key is not None:
            self.seed_keys.add(article_key)

    def _note_problem(self, position: int, problem: Problem, values: tuple[object, ...]) -> None:
        self.read_problems.append((position, problem, values))

    # --- reading and writing --------------------------------------------------------------

    def _delete_removed(self) -> None:
        self.report.removed = len(self.removed)
        if not self.removed:
            return
        with self._writing() as conn:
            _delete_rows(conn, [vid for vid, _, _ in self.removed])

    def _read(self) -> None:
        """Read the files, writing each batch of :data:`BATCH_FILES` in one transaction."""
        done, total = self.report.unchanged, self.walk.count
        locations = _Locations(self.walk, self.to_read)
        results = _read_pages(locations, self.default_language, self.max_bytes)
        batch: list[tuple[int, _ReadResult]] = []
        for index, result in enumerate(results):
            batch.append((self.to_read[index], result))
            done += 1
            if self.progress is not None and done % PROGRESS_EVERY == 0:
                self.progress(done, total, locations[index].relpath)
            if len(batch) >= BATCH_FILES:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    def _write(self, batch: list[tuple[int, _ReadResult]]) -> None:
        walk = self.walk
        files: list[tuple[int, int, bytes, bytes, _ReadResult]] = []
        for packed, result in batch:
            root, entry = walk.entry(packed & _FLAT_MASK)
            files.append((packed >> 32, root, walk.rel(entry), entry, result))
        with self._writing() as conn:
            # The rows of these files as they are now (another process may have written
            # some since the snapshot).
            idents: dict[int, list[bytes]] = {}
            for _, root, rel, _, _ in files:
                idents.setdefault(root, []).append(rel)
            old = [
                vid
                for root, rels in idents.items()
                for start in range(0, len(rels), _IN_CHUNK)
                for (vid,) in conn.execute(
                    "SELECT id FROM variants WHERE root = ? AND rel IN"
                    f" ({','.join('?' * len(rels[start : start + _IN_CHUNK]))})",
                    (root, *rels[start : start + _IN_CHUNK]),
                )
            ]
            _delete_rows(conn, old)
            writer = _BatchWriter(conn)
            for position, root, rel, entry, result in files:
                if result.problem is not None:
                    size, mtime, ctime, _ = walk.info(entry)
                    values = (root, rel, size, mtime, ctime)
                    self._note_problem(position, result.problem, values)
                if result.row is not None:
                    writer.add(root, rel, result)
                    self.seed_paths.add(result.row[1])
                    if result.row[2]:
                        self.seed_translations.add(result.row[2])
            writer.flush()

    # --- grouping -------------------------------------------------------------------------

    def _group_all(self) -> tuple[dict[str, Article], list[_Found]]:
        """Group every row, store the article keys, and build the articles."""
        walk = self.walk
        with self.catalog._bulk_reader() as conn, _read_transaction(conn):
            members = _Members()
            for (
                vid,
                root,
                rel,
                path_key,
                translation_key,
                article_key,
                language,
                source,
            ) in conn.execute(
                "SELECT id, root, rel, path_key, translation_key, article_key, language,"
                " language_source FROM variants"
            ):
                position = walk.position(root, rel)
                members.add(vid, position, path_key, translation_key, article_key, language, source)
            problems, updates, _ = self._regroup(conn, members)
        del members
        # Nothing needs the walk's entries any more: free them before the articles come.
        self.walk.entries = [[] for _ in self.walk.entries]
        if updates:
            with self._writing() as conn:
                conn.executemany("UPDATE variants SET article_key = ? WHERE id = ?", updates)
        del updates
        with self.catalog._bulk_reader() as conn, _read_transaction(conn):
            articles, _ = _load_articles(conn, self.bases)
        self._ensure_indexes()
        return articles, problems

    def _regroup(
        self, conn: sqlite3.Connection, members: _Members
    ) -> tuple[list[_Found], list[tuple[str | None, int]], set[str]]:
        """Group rows among themselves, as a scan of their files would.

        Returns:
            The problems grouping found (with walk positions and row values), the
            ``(article key, id)`` updates of rows whose stored article key is wrong, and
            the article keys.
        """
        order = sorted(range(len(members.ids)), key=members.positions.__getitem__)
        ids = [members.ids[i] for i in order]
        details: dict[int, tuple[int, bytes, str]] = {}

        def detail(index: int) -> tuple[int, bytes, str]:
            vid = ids[index]
            if vid not in details:
                found = conn.execute(
                    "SELECT root, rel, relpath FROM variants WHERE id = ?", (vid,)
                ).fetchone()
                details[vid] = (found[0], found[1], found[2]) if found else (-1, b"", "")
            return details[vid]

        dropped: list[tuple[int, Problem]] = []
        grouped = group_entries(
            [members.path_keys[i] for i in order],
            [members.translation_keys[i] for i in order],
            bytes(members.from_path[i] for i in order),
            [members.languages[i] for i in order],
            lambda index: detail(index)[2],
            dropped,
        )
        wanted: list[str | None] = [None] * len(order)
        for key, chosen in grouped.items():
            for index in chosen.values():
                wanted[index] = key
        updates = [
            (key, ids[index])
            for index, key in enumerate(wanted)
            if key != members.stored[order[index]]
        ]
        problems: list[_Found] = []
        for index, problem in dropped:
            root, rel, _ = detail(index)
            position = members.positions[order[index]]
            problems.append((position, problem, (root, rel, None, None, None)))
        return problems, updates, set(grouped)

    def _group_some(self, base: dict[str, Article]) -> tuple[dict[str, Article], list[_Found]]:
        """Group again only the articles that the changed files touch, and reuse the rest.

        The affected rows are closed under "shares a path key, a translation key or an
        article key" with a changed row (old or new), so they are whole groups both
        before and after; grouping them alone gives what grouping everything would.
        """
        affected: dict[int, tuple[Any, ...]] = {}
        paths: set[str] = set()
        translations: set[str] = set()
        keys: set[str] = set()
        new_paths, new_translations = set(self.seed_paths), set(self.seed_translations)
        new_keys = set(self.seed_keys)
        self._ensure_indexes()
        # One write transaction: another process's refresh cannot regroup in between.
        with self._writing() as conn:
            while True:
                while new_paths or new_translations or new_keys:
                    # Groups that get the same key merge, and a group's key is the path
                    # key or translation key of one of its members.
                    new_paths |= new_keys - paths
                    new_translations |= new_keys - translations
                    paths |= new_paths
                    translations |= new_translations
                    keys |= new_keys
                    found: list[tuple[Any, ...]] = []
                    for column, wanted in (
                        ("path_key", new_paths),
                        ("translation_key", new_translations),
                        ("article_key", new_keys),
                    ):
                        found.extend(_rows_where(conn, _GROUP_COLUMNS, column, wanted))
                    new_paths, new_translations, new_keys = set(), set(), set()
                    for row in found:
                        if row[0] in affected:
                            continue
                        affected[row[0]] = row
                        if row[4] not in paths:
                            new_paths.add(row[4])
                        if row[5] and row[5] not in translations:
                            new_translations.add(row[5])
                        if row[6] is not None and row[6] not in keys:
                            new_keys.add(row[6])
                members = _Members()
                for row in affected.values():
                    vid, root, rel, _, path_key, translation_key, article_key, *rest = row
                    position = self.walk.position(root, rel)
                    members.add(vid, position, path_key, translation_key, article_key, *rest)
                problems, updates, grouped = self._regroup(conn, members)
                # A group's key may equal the key of an untouched article: they merge.
                new_keys = grouped - keys
                if not new_keys:
                    break
            conn.executemany("UPDATE variants SET article_key = ? WHERE id = ?", updates)
        regrouped: dict[str, dict[str, Variant]] = {}
        make = _VariantMaker(self.bases)
        with self.catalog._bulk_reader() as conn, _read_transaction(conn):
            for row in _rows_where(conn, _LOAD_COLUMNS, "id", [vid for vid in affected]):
                if row[3] is not None:
                    variant = make(row)
                    regrouped.setdefault(variant.key, {})[variant.language] = variant
        touched = keys | set(regrouped)
        articles = {key: article for key, article in base.items() if key not in touched}
        for key, variants in regrouped.items():
            articles[key] = Article(key, dict(sorted(variants.items())))
        # Problems grouping found among untouched rows stay as they were.
        idents = {(row[1], row[2]) for row in affected.values()}
        idents.update((root, rel) for _, root, rel in self.removed)
        for packed in self.to_read:
            root, entry = self.walk.entry(packed & _FLAT_MASK)
            idents.add((root, self.walk.rel(entry)))
        walk = self.walk
        for kind, path, reason, skipped, root, rel, *_ in self.stored_problems:
            if kind == "group" and (root, rel) not in idents:
                values = (root, rel, None, None, None)
                problems.append(
                    (walk.position(root, rel), Problem(path, reason, bool(skipped)), values)
                )
        problems.sort(key=lambda item: item[0])
        return sort_articles(articles), problems

    def _ensure_indexes(self) -> None:
        """Create the indexes :meth:`_group_some` needs, if the catalog lacks them.

        Built on a private connection (small cache, sorting in temporary files), so that
        indexing 100,000 rows does not cost the process tens of megabytes.
        """
        with self.catalog._bulk_reader() as conn:
            names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            missing = [
                statement
                for statement in _GROUPING_INDEXES
                if statement.split(" ON ")[0].rsplit(" ", 1)[1] not in names
            ]
            if not missing:
                return
            if self.catalog.path is not None:  # a private connection
                conn.execute("PRAGMA temp_store = FILE")
            _begin_immediate(conn)
            try:
                for statement in missing:
                    conn.execute(statement)
            except BaseException:
                _rollback(conn)
                raise
            conn.execute("COMMIT")

    # --- finishing ------------------------------------------------------------------------

    def _file_problems(self) -> tuple[list[Problem], list[tuple[object, ...]]]:
        """Walk and read problems in walk order, as a scan reports them, and their rows."""
        merged: list[tuple[int, int, Problem, tuple[object, ...]]] = [
            (
                position,
                0,
                problem,
                ("walk", problem.path, problem.reason, problem.skipped, *_NO_FILE),
            )
            for position, problem in self.walk.problems
        ]
        merged.extend(
            (position, 1, problem, ("read", problem.path, problem.reason, problem.skipped, *values))
            for position, problem, values in self.read_problems
        )
        merged.sort(key=lambda item: (item[0], item[1]))
        return [item[2] for item in merged], [item[3] for item in merged]

    def _finish_unchanged(self, articles: dict[str, Article]) -> None:
        """No page file changed: keep the articles and write only what else changed."""
        problems, rows = self._file_problems()
        for kind, path, reason, skipped, *values in self.stored_problems:
            if kind == "group":
                problems.append(Problem(path, reason, bool(skipped)))
                rows.append((kind, path, reason, skipped, *values))
        stored = [(*row[:3], bool(row[3]), *row[4:]) for row in self.stored_problems]
        fresh = [(*row[:3], bool(row[3]), *row[4:]) for row in rows]
        same = (
            fresh == stored
            and self.meta.get("max_bytes") == str(self.max_bytes)
            and self.meta.get("files") == str(self.walk.count)
        )
        stamp = self.meta.get("refreshed")
        if not same:
            stamp = self._store(rows, articles)
        self._report(articles, problems, stamp)

    def _finish(
        self,
        articles: dict[str, Article],
        group_problems: list[_Found],
    ) -> None:
        """Store the problems, clear ``dirty``, fill in the report."""
        problems, rows = self._file_problems()
        for _, problem, values in group_problems:
            problems.append(problem)
            rows.append(("group", problem.path, problem.reason, problem.skipped, *values))
        stamp = self._store(rows, articles)
        self._give_back_free_pages()
        self._report(articles, problems, stamp)

    def _give_back_free_pages(self) -> None:
        """Shrink the file by the pages FTS5's merges left free, if they are many.

        A cold index of 100,000 pages of random words left 34 MB (5 %) of the file free.
        """
        with self.catalog._writing() as conn:
            free = conn.execute("PRAGMA freelist_count").fetchone()[0]
            if free > conn.execute("PRAGMA page_count").fetchone()[0] * FREE_PAGES_SHARE:
                # The pragma gives back one page per step, and Python's sqlite3 takes
                # only one step of a statement without columns: one call per page.
                for _ in range(free):
                    conn.execute("PRAGMA incremental_vacuum(1)")

    def _store(self, rows: list[tuple[object, ...]], articles: dict[str, Article]) -> str | None:
        """Write the problems and the meta data of a finished refresh; return its stamp."""
        stamp = str(time.time_ns())
        with self._writing() as conn:
            conn.execute("DELETE FROM problems")
            conn.executemany(
                "INSERT INTO problems (kind, path, reason, skipped, root, rel, size, mtime_ns,"
                " ctime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            _set_meta(
                conn,
                dirty="0",
                roots=self.roots_json,
                default_language=self.default_language,
                max_bytes=str(self.max_bytes),
                files=str(self.walk.count),
                articles=str(len(articles)),
                first_page=_first_page_json(articles),
                refreshed=stamp,
            )
        # If another process wrote meanwhile, the articles may miss some of its work:
        # the stamp is not handed out, so the next refresh starts from the rows.
        return None if self.interfered else stamp

    def _report(
        self, articles: dict[str, Article], problems: list[Problem], stamp: str | None
    ) -> None:
        total = self.walk.count
        if self.progress is not None:
            self.progress(total, total, "")
        report = self.report
        report.result = ScanResult(articles, problems, total, stamp)
        report.problems = problems
        report.seconds = time.perf_counter() - self.started


class _ReadResult(NamedTuple):
    """A page read for the catalog (picklable: worker processes send it back).

    ``row`` holds the variant's values (see :func:`_read_for_catalog`); ``packed`` is
    the paragraphs and title as stored (:func:`reader.library.index_text.pack_texts`,
    compressed here, in the worker), ``indexed`` their form for the FTS5 index.
    """

    row: tuple[Any, ...] | None
    problem: Problem | None
    packed: bytes = b""
    indexed: tuple[str, ...] = ()


def _read_for_catalog(location: PageLocation, default_language: str, max_bytes: int) -> _ReadResult:
    """Read and parse one page and prepare its row, paragraphs and title for the index.

    The row is ``(relpath, path_key, translation_key, language, language_source, title,
    date, advertised, size, mtime_ns, paragraphs)``.
    """
    page, problem, document = read_page_document(location, default_language, max_bytes)
    if page is None or document is None:
        return _ReadResult(None, problem)
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
    return _ReadResult(row, problem, pack_texts(texts), tuple(map(index_text, texts)))


def _read_chunk(
    locations: list[PageLocation], default_language: str, max_bytes: int
) -> list[_ReadResult]:
    """Read a few pages (the unit of work of a worker process)."""
    from reader.library.pool import injected_delay

    _prefetch(locations)
    results = []
    for location in locations:
        injected_delay(location.relpath)
        results.append(_read_for_catalog(location, default_language, max_bytes))
    return results


def _prefetch(locations: list[PageLocation]) -> None:
    """Ask the kernel to start reading every page of a chunk now, all at once.

    A library that is not in the page cache is otherwise read one file at a time, each
    read waiting for the disk while the worker could parse: measured on 20,000 files
    just after dropping the caches, 8.6 s without and 5.9-6.9 s with, and no difference
    when the files are cached (5.5-5.9 s).
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


def _read_pages(
    locations: _Locations, default_language: str, max_bytes: int
) -> Iterator[_ReadResult]:
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
        weights = _Chunks(_Sizes(locations, max_bytes), POOL_CHUNK)
        try:
            readers = pool.WorkerPool(
                workers,
                f"{__name__}:_read_chunk",
                (default_language, max_bytes),
                _unread,
                warm_up=f"{__name__}:_warm_up",
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
        yield _read_for_catalog(locations[index], default_language, max_bytes)


def _warm_up(default_language: str, max_bytes: int) -> None:
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


def _unread(location: PageLocation, reason: str) -> _ReadResult:
    """The result of a page whose parse stalled or crashed its worker: a problem."""
    return _ReadResult(None, Problem(location.relpath, reason))


class _BatchWriter:
    """Insert variants and their paragraphs in bulk, with ids chosen here.

    Ids follow the largest id the table ever had (``AUTOINCREMENT``), so a paragraph
    rowid (id << 16 | index) is never reused.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: list[tuple[object, ...]] = []
        self.texts: list[tuple[int, bytes]] = []
        self.indexed: list[tuple[int, str]] = []
        self.indexed_titles: list[tuple[int, str]] = []
        self.next_id = _last_variant_id(conn) + 1
        self.checked_ns = time.time_ns()

    def add(self, root: int, rel: bytes, result: _ReadResult) -> int:
        """Queue one page's row and paragraphs; return its id."""
        assert result.row is not None
        vid = self.next_id
        self.next_id += 1
        relpath, path_key, translation_key, language, source, *rest = result.row
        title, date, advertised, size, mtime_ns, paragraphs = rest
        self.rows.append(
            (
                vid,
                root,
                rel,
                relpath,
                path_key,
                translation_key,
                translation_key or path_key,
                language,
                source,
                title,
                date,
                advertised,
                size,
                mtime_ns,
                self.checked_ns,
                paragraphs,
            )
        )
        self.texts.append((vid, result.packed))
        last = len(result.indexed) - 1  # the title comes last
        for index, indexed in enumerate(result.indexed):
            if indexed.strip():  # blank exactly when the text is
                if index == last:
                    self.indexed_titles.append((vid, indexed))
                else:
                    self.indexed.append((block_rowid(vid, index), indexed))
        return vid

    def flush(self) -> None:
        """Write the queued rows, paragraphs and index entries."""
        self.conn.executemany(
            "INSERT INTO variants (id, root, rel, relpath, path_key, translation_key, article_key,"
            " language, language_source, title, date, advertised, size, mtime_ns, checked_ns,"
            " paragraphs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.rows,
        )
        self.conn.executemany("INSERT INTO texts (id, body) VALUES (?, ?)", self.texts)
        self.conn.executemany("INSERT INTO fts (rowid, text) VALUES (?, ?)", self.indexed)
        self.conn.executemany(
            "INSERT INTO fts_titles (rowid, text) VALUES (?, ?)", self.indexed_titles
        )
        self.rows, self.texts, self.indexed, self.indexed_titles = [], [], [], []


@contextmanager
def _gc_paused() -> Iterator[None]:
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


def _last_variant_id(conn: sqlite3.Connection) -> int:
    """The largest variant id the catalog ever gave out."""
    (last,) = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'variants'), 0),"
        " coalesce((SELECT max(id) FROM variants), 0))"
    ).fetchone()
    return int(last)


def _delete_rows(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Delete variant rows with their texts and index entries."""
    blocks: list[tuple[int, str]] = []
    titles: list[tuple[int, str]] = []
    for vid in ids:
        found = conn.execute("SELECT body FROM texts WHERE id = ?", (vid,)).fetchone()
        if found is None:
            continue
        texts = unpack_texts(found[0])
        # A contentless FTS5 row is deleted by giving exactly the text it was indexed with.
        for index, text in enumerate(texts):
            if text.strip():
                if index == len(texts) - 1:
                    titles.append((vid, index_text(text)))
                else:
                    blocks.append((block_rowid(vid, index), index_text(text)))
    conn.executemany("INSERT INTO fts (fts, rowid, text) VALUES ('delete', ?, ?)", blocks)
    conn.executemany(
        "INSERT INTO fts_titles (fts_titles, rowid, text) VALUES ('delete', ?, ?)", titles
    )
    conn.executemany("DELETE FROM texts WHERE id = ?", [(vid,) for vid in ids])
    conn.executemany("DELETE FROM variants WHERE id = ?", [(vid,) for vid in ids])


def _rows_where(
    conn: sqlite3.Connection, columns: str, column: str, values: Iterable[object]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``variants`` whose ``column`` is one of ``values``."""
    pending = list(values)
    for start in range(0, len(pending), _IN_CHUNK):
        chunk = pending[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(
            f"SELECT {columns} FROM variants WHERE {column} IN ({marks})", chunk
        )


def _rollback(conn: sqlite3.Connection) -> None:
    # The transaction may be gone already (damaged file, lost connection).
    with suppress(sqlite3.Error):
        conn.execute("ROLLBACK")


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Read several statements from one snapshot (another process may be writing)."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        _rollback(conn)


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _set_meta(conn: sqlite3.Connection, **values: str) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


def _counter(value: object) -> int:
    """The ``writes`` counter from ``meta`` (0 if missing or not a number)."""
    return int(value) if isinstance(value, str) and value.isdigit() else 0


def _is_clean(meta: dict[str, str], default_language: str) -> bool:
    """Whether the rows' article keys are a finished grouping for ``default_language``."""
    return meta.get("dirty") != "1" and meta.get("default_language") == default_language


def _still_valid(
    size: int,
    path_key: str,
    language: str,
    source: str,
    facts: PathFacts,
    default_language: str,
    max_bytes: int,
    old_max: int,
) -> bool:
    """Whether an unchanged file's row says what reading it again would say."""
    if path_key != facts.path_key:
        return False
    if facts.language is not None:
        if (language, source) != (facts.language, facts.language_source):
            return False
    elif source == "default":
        auto = default_language == AUTO_LANGUAGE
        if language != (FALLBACK_LANGUAGE if auto else default_language):
            return False
    elif source == "detected":
        if default_language != AUTO_LANGUAGE:
            return False
    elif source != "front matter":
        return False
    return not (max_bytes != old_max and size > min(max_bytes, old_max))


def _variant(row: _Row, path: str, key: str, language: str) -> Variant:
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


def _page_from_row(row: _Row, bases: list[str], default_language: str) -> ScannedPage:
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


class _VariantMaker:
    """Builds variants from rows (``_LOAD_COLUMNS``), sharing equal strings and tuples.

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


def _load_articles(
    conn: sqlite3.Connection, bases: list[str], checkpoint: Callable[[], None] | None = None
) -> tuple[dict[str, Article], int]:
    """Build the articles from the rows as the last refresh grouped them.

    Rows are streamed, never all held at once. Returns the articles in display order and
    how many variants they have. ``checkpoint`` is called every
    :data:`CHECKPOINT_EVERY` rows.
    """
    make = _VariantMaker(bases)
    groups: dict[str, dict[str, Variant]] = {}
    count = 0
    for row in conn.execute(f"SELECT {_LOAD_COLUMNS} FROM variants WHERE article_key IS NOT NULL"):
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

"""The catalog: a SQLite cache of the library, so that startup reads no page files.

One catalog file per set of library roots lives in the cache directory
(``catalog-<sha1 of the resolved roots>[:12].sqlite``). It holds:

* ``variants``: one row per page file with what a scan learns from it (title, date,
  language, advertised languages, paragraph count, size and mtime), the exact on-disk
  path relative to its root, and the key of the article the last refresh grouped it
  into (``NULL`` for a second variant of a language that grouping dropped);
* ``problems``: what the last refresh reported, in order;
* ``paragraphs`` (the text of each block) and ``fts``, its contentless FTS5 index, for
  :mod:`reader.library.search`;
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

import itertools
import json
import os
import sqlite3
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.library.decode import DEFAULT_MAX_BYTES
from reader.library.model import Article, Problem, Variant
from reader.library.scan import (
    AUTO_LANGUAGE,
    PAGE_EXTENSIONS,
    PageLocation,
    ScannedPage,
    ScanResult,
    group_pages,
    iter_page_paths,
    language_directories,
    locate,
    read_page_document,
    sort_articles,
)
from reader.library.search import INDEX_VERSION, TITLE_INDEX, SearchHit, index_text

if TYPE_CHECKING:
    import subprocess

#: ``PRAGMA application_id`` of a catalog file: "Poly" in ASCII.
APPLICATION_ID = 0x506F6C79
#: ``PRAGMA user_version``; any other value means the file is rebuilt.
SCHEMA_VERSION = 2
#: Files read between two commits of a refresh.
BATCH_FILES = 500
#: ``progress`` is called after this many files.
PROGRESS_EVERY = 100
#: How long to wait for another process's write, in seconds.
BUSY_TIMEOUT = 2.0
#: A file modified less than this before it was read is read again next time, because
#: a change within the same timestamp tick would not show in its mtime (FAT: 2 s).
RACY_NS = 2_000_000_000
#: A refresh with at least this many files to read parses them in worker processes.
POOL_MIN_FILES = 2000
#: Worker processes for a big refresh, and pages per task.
MAX_WORKERS = 2
POOL_CHUNK = 50
POOL_AHEAD = 16
#: Workers run at this lower priority, so the UI and the writer stay responsive.
WORKER_NICENESS = 10
#: Paragraphs beyond this are not indexed for search (the rowid holds 16 bits of index).
MAX_INDEXED_PARAGRAPHS = TITLE_INDEX

RefreshProgress = Callable[[int, int, str], None]
"""``progress(done, total, relpath)``; ``total`` is 0 while the roots are still walked."""

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_FOLD = f"{INDEX_VERSION}:{unicodedata.unidata_version}"
_TABLES = frozenset({"meta", "variants", "paragraphs", "problems", "fts"})
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
    "CREATE TABLE IF NOT EXISTS paragraphs (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",
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
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='', "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
)
_ROW_COLUMNS = (
    "id, root, rel, relpath, path_key, translation_key, article_key, language, "
    "language_source, title, date, advertised, size, mtime_ns, checked_ns, paragraphs"
)


#: How many articles the quick first page holds (more than any screen shows).
FIRST_PAGE_SIZE = 120


@dataclass(frozen=True, slots=True)
class PeekArticle:
    """An article as the first page of the Library shows it (key, date, titles)."""

    key: str
    date: str | None
    titles: dict[str, str]


def _first_page_json(articles: dict[str, Article]) -> str:
    page = [
        [article.key, article.date, [[tag, v.title] for tag, v in article.variants.items()]]
        for article in itertools.islice(articles.values(), FIRST_PAGE_SIZE)
    ]
    return json.dumps(page, ensure_ascii=False)


class CatalogCorruptError(Exception):
    """The catalog file turned out to be damaged; it has been replaced by an empty one."""


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


class _StoredProblem(NamedTuple):
    path: str
    reason: str
    skipped: bool
    size: int | None
    mtime_ns: int | None
    ctime_ns: int | None


@dataclass
class RefreshReport:
    """What a refresh did.

    Attributes:
        result: The library as it now is (the same as a full scan would give).
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


@dataclass
class _Located:
    ident: tuple[int, bytes]
    location: PageLocation
    info: os.stat_result | None


def resolved_roots(roots: Sequence[Path]) -> list[str]:
    """Return the absolute, symlink-free form of ``roots`` that identifies a catalog."""
    return [str(Path(root).expanduser().resolve()) for root in roots]


def _roots_key(roots: Sequence[Path]) -> str:
    import json

    return json.dumps(resolved_roots(roots))


def catalog_path(roots: Sequence[Path], cache_dir: Path) -> Path:
    """Return the catalog file for ``roots`` inside ``cache_dir``."""
    try:
        # CPython's own SHA-1 loads in microseconds; hashlib first initialises OpenSSL
        # (~3 ms, a tenth of ``reader --version``).
        from _sha1 import sha1  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        from hashlib import sha1

    digest = sha1("\n".join(resolved_roots(roots)).encode("utf-8", "surrogatepass"))
    return cache_dir / f"catalog-{digest.hexdigest()[:12]}.sqlite"


def _is_corrupt(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error)
    return "malformed" in message or "not a database" in message


class Catalog:
    """The library's catalog and search index in one SQLite file.

    One connection, used under a lock, so a catalog may be shared between the UI thread
    and a refresh worker; a refresh holds the lock only while it writes a batch.
    Other processes may use the same file at the same time (WAL mode).

    Args:
        path: The SQLite file (created if missing), or ``None`` for an in-memory catalog.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.RLock()
        self._refreshing = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def for_roots(cls, roots: list[Path], cache_dir: Path | None = None) -> Catalog:
        """Return the catalog for a set of library roots, in the cache directory.

        Args:
            roots: The library roots (their resolved form names the file).
            cache_dir: Where catalogs live; default: ``READER_CACHE_DIR`` or the
                platform's user cache directory.
        """
        if cache_dir is None:
            from reader.userdata.paths import resolve_cache_dir

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
                self._reset()
                raise CatalogCorruptError(str(error)) from error

    def close(self) -> None:
        """Close the connection (the catalog reopens on next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _open(self) -> sqlite3.Connection:
        for _ in range(2):
            try:
                return self._connect_checked()
            except _StaleCatalog:
                self._discard()
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError) and not _is_corrupt(error):
                    break  # cannot open or create the file: fall back to memory
                self._discard()
            except OSError:
                break
        self.path = None
        return self._connect_checked()

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
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise _StaleCatalog("a database of another program")
                self._create(conn)
            elif application_id != APPLICATION_ID or version != SCHEMA_VERSION:
                raise _StaleCatalog(f"application {application_id}, schema {version}")
            self._check(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -32000")
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] == 0:
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

    def _reset(self) -> None:
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        self._discard()
        self._conn = self._open()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self.connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
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

    def load(self, roots: list[Path], default_language: str = "en") -> ScanResult | None:
        """Return the library as the last refresh left it, reading no page file.

        Args:
            roots: The library roots, spelled as the caller wants variant paths spelled.
            default_language: Language of pages whose path and front matter name none.

        Returns:
            The grouped articles and stored problems, or ``None`` if the catalog is new,
            empty, damaged or belongs to other roots.
        """
        with _gc_paused():
            return self._load(roots, default_language)

    def _load(self, roots: list[Path], default_language: str) -> ScanResult | None:
        try:
            with self.connection() as conn, _read_transaction(conn):
                meta = _meta(conn)
                if meta.get("roots") != _roots_key(roots):
                    return None
                fast = meta.get("dirty") != "1" and meta.get("default_language") == default_language
                if fast:
                    rows = conn.execute(
                        "SELECT root, rel, relpath, article_key, language, language_source,"
                        " title, date, advertised, size, mtime_ns, paragraphs"
                        " FROM variants WHERE article_key IS NOT NULL"
                    ).fetchall()
                else:
                    rows = conn.execute(
                        f"SELECT {_ROW_COLUMNS} FROM variants ORDER BY root, rel"
                    ).fetchall()
                problem_rows = conn.execute(
                    "SELECT kind, path, reason, skipped FROM problems ORDER BY seq"
                ).fetchall()
        except CatalogCorruptError:
            return None
        if not rows and not problem_rows and "refreshed" not in meta:
            return None
        return self._result(rows, problem_rows, meta, roots, default_language, fast)

    @staticmethod
    def _result(
        rows: list[Any],
        problem_rows: list[Any],
        meta: dict[str, str],
        roots: list[Path],
        default_language: str,
        fast: bool,
    ) -> ScanResult:
        files = int(meta.get("files", len(rows)))
        bases = [str(root) for root in roots]
        if fast:
            problems = [
                Problem(path, reason, bool(skipped)) for _, path, reason, skipped in problem_rows
            ]
            return ScanResult(_articles_from_rows(rows, bases), problems, files)
        problems = [
            Problem(path, reason, bool(skipped))
            for kind, path, reason, skipped in problem_rows
            if kind != "group"
        ]
        pages = [_page_from_row(_Row._make(row), bases, default_language) for row in rows]
        articles = group_pages(pages, problems)
        return ScanResult(articles, problems, files)

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
        if meta.get("roots") != _roots_key(roots) or "first_page" not in meta:
            return None
        try:
            entries = json.loads(meta["first_page"])
            articles = [
                PeekArticle(str(key), date, {str(tag): str(title) for tag, title in titles})
                for key, date, titles in entries
            ]
            return int(meta.get("articles", len(articles))), articles
        except (ValueError, TypeError):
            return None

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
    ) -> RefreshReport:
        """Bring the catalog up to date with the files and return the library.

        Only new and changed files are read. Raising from ``progress`` aborts the
        refresh; what was committed so far stays and the next refresh completes it.

        Args:
            roots: The library roots.
            default_language: Language of pages whose path and front matter name none.
            max_bytes: Size limit per file (as for a scan).
            progress: Called as ``progress(done, total, relpath)`` every
                :data:`PROGRESS_EVERY` files: first while walking (``total`` 0), then
                while reading (``done`` counts unchanged files too).
        """
        # One refresh at a time per catalog; a second one waits, then finds little to do.
        with self._refreshing:
            try:
                return self._refresh(roots, default_language, max_bytes, progress)
            except CatalogCorruptError:
                return self._refresh(roots, default_language, max_bytes, progress)

    def _refresh(
        self,
        roots: list[Path],
        default_language: str,
        max_bytes: int,
        progress: RefreshProgress | None,
    ) -> RefreshReport:
        job = _Refresh(self, [Path(root) for root in roots], default_language, max_bytes, progress)
        return job.run()

    @staticmethod
    def _clear(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in ("variants", "paragraphs", "problems"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
            conn.execute("DELETE FROM meta WHERE key != 'fold'")
        except BaseException:
            _rollback(conn)
            raise
        conn.execute("COMMIT")


_NO_FILE = (None, None, None, None, None)


class _Refresh:
    """One run of :meth:`Catalog.refresh`: snapshot, walk, read, write, group."""

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
        self.located: list[_Located] = []
        self.order: list[Problem | int] = []
        self.pages: list[ScannedPage | None] = []
        self.read_problems: dict[int, Problem] = {}
        self.rows: dict[int, _Row] = {}  # walk index -> unchanged row
        self.current_keys: dict[int, str | None] = {}  # variant id -> stored article_key
        self.ids: dict[str, int] = {}  # str(path) -> variant id
        self.report = RefreshReport(ScanResult())

    def run(self) -> RefreshReport:
        # The cyclic GC is paused while the ~100,000 (acyclic) rows and variants are
        # built, not while pages are parsed.
        with _gc_paused():
            snapshot, stored_problems, group_problems, meta = self._snapshot()
            self.located, self.order = _walk(self.roots, self.progress)
            self.pages = [None] * len(self.located)
            to_read = self._compare(snapshot, stored_problems, int(meta.get("max_bytes", 0)))
        self.report.removed = len(snapshot)
        if snapshot:
            with self.catalog._writing() as conn:
                _set_meta(conn, dirty="1", roots=self.roots_json)
                for ident in snapshot:
                    _delete_file(conn, ident)
        self._read(to_read)
        clean = meta.get("dirty") != "1" and meta.get("default_language") == self.default_language
        with _gc_paused():
            if clean and not to_read and not snapshot:
                articles, problems = self._unchanged_result(group_problems)
            else:
                articles, problems = self._group()
            self._finish(articles, problems)
        return self.report

    def _snapshot(
        self,
    ) -> tuple[
        dict[tuple[int, bytes], _Row],
        dict[tuple[int, bytes], _StoredProblem],
        list[Problem],
        dict[str, str],
    ]:
        with self.catalog.connection() as conn:
            if _meta(conn).get("roots", self.roots_json) != self.roots_json:
                self.catalog._clear(conn)  # the file holds another library
        with self.catalog.connection() as conn, _read_transaction(conn):
            meta = _meta(conn)
            snapshot = {
                (row.root, row.rel): row
                for row in map(_Row._make, conn.execute(f"SELECT {_ROW_COLUMNS} FROM variants"))
            }
            stored: dict[tuple[int, bytes], _StoredProblem] = {}
            group: list[Problem] = []
            for kind, root, rel, path, reason, skipped, size, mtime, ctime in conn.execute(
                "SELECT kind, root, rel, path, reason, skipped, size, mtime_ns, ctime_ns"
                " FROM problems WHERE kind != 'walk' ORDER BY seq"
            ):
                if kind == "read":
                    stored[(root, rel)] = _StoredProblem(
                        path, reason, bool(skipped), size, mtime, ctime
                    )
                else:
                    group.append(Problem(path, reason, bool(skipped)))
        return snapshot, stored, group, meta

    def _compare(
        self,
        snapshot: dict[tuple[int, bytes], _Row],
        stored_problems: dict[tuple[int, bytes], _StoredProblem],
        old_max: int,
    ) -> list[int]:
        """Take unchanged files from the snapshot; return the indexes of files to read."""
        report = self.report
        report.files = len(self.located)
        to_read: list[int] = []
        for index, item in enumerate(self.located):
            row = snapshot.pop(item.ident, None)
            stored = stored_problems.get(item.ident)
            if row is not None and _still_valid(
                row, item, self.default_language, self.max_bytes, old_max or self.max_bytes
            ):
                self.rows[index] = row
                self.current_keys[row.id] = row.article_key
                self.ids[str(item.location.path)] = row.id
                if stored is not None and not stored.skipped:
                    self.read_problems[index] = Problem(stored.path, stored.reason, False)
                report.unchanged += 1
            elif row is None and stored is not None and _same_failure(stored, item.info):
                self.read_problems[index] = Problem(stored.path, stored.reason, True)
                report.unchanged += 1
            else:
                to_read.append(index)
                if row is None:
                    report.added += 1
                else:
                    report.changed += 1
        return to_read

    def _read(self, to_read: list[int]) -> None:
        """Read the files, writing each batch of :data:`BATCH_FILES` in one transaction."""
        done, total = self.report.unchanged, len(self.located)
        locations = [self.located[index].location for index in to_read]
        results = _read_pages(locations, self.default_language, self.max_bytes)
        batch: list[tuple[int, _ReadResult]] = []
        for index, result in zip(to_read, results, strict=True):
            batch.append((index, result))
            done += 1
            if self.progress is not None and done % PROGRESS_EVERY == 0:
                self.progress(done, total, self.located[index].location.relpath)
            if len(batch) >= BATCH_FILES:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    def _write(self, batch: list[tuple[int, _ReadResult]]) -> None:
        with self.catalog._writing() as conn:
            _set_meta(conn, dirty="1", roots=self.roots_json)
            writer = _BatchWriter(conn)
            for index, result in batch:
                item = self.located[index]
                _delete_file(conn, item.ident)
                if result.problem is not None:
                    self.read_problems[index] = result.problem
                if result.page is None:
                    continue
                vid = writer.add(item.ident, result)
                self.pages[index] = result.page
                self.current_keys[vid] = result.page.translation_key or result.page.variant.key
                self.ids[str(item.location.path)] = vid
            writer.flush()

    def _ordered_problems(self) -> tuple[list[Problem], list[tuple[object, ...]]]:
        """Walk and read problems in walk order, as a scan reports them, and their rows."""
        problems: list[Problem] = []
        rows: list[tuple[object, ...]] = []
        for entry in self.order:
            if isinstance(entry, Problem):
                problems.append(entry)
                rows.append(("walk", entry.path, entry.reason, entry.skipped, *_NO_FILE))
            elif (problem := self.read_problems.get(entry)) is not None:
                item = self.located[entry]
                info = item.info
                problems.append(problem)
                rows.append(
                    (
                        "read",
                        problem.path,
                        problem.reason,
                        problem.skipped,
                        *item.ident,
                        info.st_size if info else None,
                        info.st_mtime_ns if info else None,
                        info.st_ctime_ns if info else None,
                    )
                )
        return problems, rows

    def _unchanged_result(
        self, group_problems: list[Problem]
    ) -> tuple[dict[str, Article], list[Problem]]:
        """Nothing changed: rebuild the articles from the rows as the last refresh grouped them."""
        groups: dict[str, dict[str, Variant]] = {}
        for index, row in self.rows.items():
            if row.article_key is not None:
                path = self.located[index].location.path
                variant = _variant(row, path, row.article_key, row.language)
                groups.setdefault(row.article_key, {})[row.language] = variant
        articles = {key: Article(key, dict(sorted(found.items()))) for key, found in groups.items()}
        problems, _ = self._ordered_problems()
        return sort_articles(articles), problems + group_problems

    def _group(self) -> tuple[dict[str, Article], list[Problem]]:
        for index, row in self.rows.items():
            location = self.located[index].location
            variant = _variant(row, location.path, row.path_key, row.language)
            self.pages[index] = ScannedPage(location, variant, row.translation_key)
        problems, _ = self._ordered_problems()
        articles = group_pages([page for page in self.pages if page is not None], problems)
        return articles, problems

    def _finish(self, articles: dict[str, Article], problems: list[Problem]) -> None:
        """Store the grouping and the problems, clear ``dirty``, fill in the report."""
        _, rows = self._ordered_problems()
        for problem in problems[len(rows) :]:
            rows.append(("group", problem.path, problem.reason, problem.skipped, *_NO_FILE))
        wanted: dict[int, str] = {}
        for article in articles.values():
            for variant in article.variants.values():
                wanted[self.ids[str(variant.path)]] = article.key
        updates = [
            (wanted.get(vid), vid)
            for vid, key in self.current_keys.items()
            if wanted.get(vid) != key
        ]
        with self.catalog._writing() as conn:
            conn.executemany("UPDATE variants SET article_key = ? WHERE id = ?", updates)
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
                files=str(len(self.located)),
                articles=str(len(articles)),
                first_page=_first_page_json(articles),
                refreshed=str(time.time_ns()),
            )
        total = len(self.located)
        if self.progress is not None:
            self.progress(total, total, "")
        report = self.report
        report.result = ScanResult(articles, problems, total)
        report.problems = problems
        report.seconds = time.perf_counter() - self.started


class _ReadResult(NamedTuple):
    """A page read for the catalog (picklable: worker processes send it back).

    ``texts`` are the paragraphs as stored, ``indexed`` their form for the FTS5 index
    (mostly the very same strings, which pickle sends once).
    """

    page: ScannedPage | None
    problem: Problem | None
    texts: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()


def _read_for_catalog(location: PageLocation, default_language: str, max_bytes: int) -> _ReadResult:
    """Read and parse one page and prepare its paragraphs and title for the index."""
    page, problem, document = read_page_document(location, default_language, max_bytes)
    if page is None or document is None:
        return _ReadResult(None, problem)
    blocks = document.blocks[:MAX_INDEXED_PARAGRAPHS]
    texts = (
        *(unicodedata.normalize("NFC", block.plain_text) for block in blocks),
        unicodedata.normalize("NFC", page.variant.title),
    )
    return _ReadResult(page, problem, texts, tuple(map(index_text, texts)))


def _read_chunk(
    locations: list[PageLocation], default_language: str, max_bytes: int
) -> list[_ReadResult]:
    """Read a few pages (the unit of work of a worker process)."""
    return [_read_for_catalog(location, default_language, max_bytes) for location in locations]


def _worker_count() -> int:
    """How many worker processes to parse with (0: parse here)."""
    if getattr(sys, "frozen", False) or not sys.executable:
        return 0  # no interpreter to start workers with
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, min(MAX_WORKERS, cores))


def _read_pages(
    locations: list[PageLocation], default_language: str, max_bytes: int
) -> Iterator[_ReadResult]:
    """Read pages, in order; many of them in :data:`MAX_WORKERS` worker processes.

    Parsing Markdown is most of a cold refresh. Workers are fresh interpreters running
    :func:`_worker_main` (not :mod:`multiprocessing`, which forks a threaded app or
    re-runs the caller's main script); if they cannot start or die, the rest is read
    here.
    """
    done = 0
    workers = _worker_count()
    if len(locations) >= POOL_MIN_FILES and workers > 0:
        chunks = [
            locations[start : start + POOL_CHUNK] for start in range(0, len(locations), POOL_CHUNK)
        ]
        pool = _WorkerPool(workers, default_language, max_bytes)
        try:
            for results in pool.map(chunks):
                for result in results:
                    yield result
                    done += 1
        except Exception:
            pass  # a worker could not start, or died: read the rest here
        finally:
            pool.close()
    for location in locations[done:]:
        yield _read_for_catalog(location, default_language, max_bytes)


class _WorkerPool:
    """Worker processes that read pages; requests and replies are pickled over pipes.

    One thread per worker sends it a chunk and waits for the reply, so a worker never
    waits on the caller (which meanwhile writes to SQLite), and neither side can block
    on a full pipe. At most :data:`POOL_AHEAD` chunks are read ahead of the caller.
    """

    def __init__(self, count: int, default_language: str, max_bytes: int) -> None:
        import subprocess

        self.default_language = default_language
        self.max_bytes = max_bytes
        self.closed = False
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [entry for entry in sys.path if entry] + [env.get("PYTHONPATH", "")]
        )
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-c", "from reader.library.catalog import _worker_main as m; m()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            for _ in range(count)
        ]
        self._window = threading.Semaphore(POOL_AHEAD)

    def map(self, chunks: list[list[PageLocation]]) -> Iterator[list[_ReadResult]]:
        """Yield the results of each chunk, in order.

        Raises:
            Exception: Whatever broke a worker (it died, could not start, sent garbage).
        """
        import pickle

        done: dict[int, list[_ReadResult]] = {}
        failures: list[Exception] = []
        changed = threading.Condition()
        handed_out = iter(range(len(chunks)))

        def serve(process: subprocess.Popen[bytes]) -> None:
            assert process.stdin is not None and process.stdout is not None
            while True:
                self._window.acquire()
                with changed:
                    index = next(handed_out, None)
                    if index is None or failures or self.closed:
                        self._window.release()
                        return
                try:
                    request = (chunks[index], self.default_language, self.max_bytes)
                    pickle.dump(request, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                    process.stdin.flush()
                    reply: list[_ReadResult] = pickle.load(process.stdout)
                except Exception as error:  # the worker is gone or sent garbage
                    with changed:
                        failures.append(error)
                        changed.notify_all()
                    return
                with changed:
                    done[index] = reply
                    changed.notify_all()

        threads = [
            threading.Thread(target=serve, args=(process,), name="catalog-worker", daemon=True)
            for process in self.processes
        ]
        for thread in threads:
            thread.start()
        for index in range(len(chunks)):
            with changed:
                while index not in done and not failures:
                    changed.wait()
                if index not in done:
                    raise failures[0]
                results = done.pop(index)
            self._window.release()
            yield results

    def close(self) -> None:
        """Stop the workers (closing their input ends them; a slow one is killed)."""
        self.closed = True
        for _ in range(POOL_AHEAD + len(self.processes)):
            self._window.release()
        for process in self.processes:
            if process.stdin is not None:
                with suppress(OSError):
                    process.stdin.close()
        import subprocess

        for process in self.processes:
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                with suppress(OSError, ValueError):
                    process.stdout.close()


def _worker_main() -> None:
    """Entry point of a worker process: read chunks of pages named on stdin."""
    import pickle

    if hasattr(os, "nice"):
        # The app (and its SQLite writes) comes first; workers take what CPU is left.
        with suppress(OSError):
            os.nice(WORKER_NICENESS)
    source = sys.stdin.buffer
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by accident must not land in the replies
    while True:
        try:
            locations, default_language, max_bytes = pickle.load(source)
        except EOFError:
            return
        results = _read_chunk(locations, default_language, max_bytes)
        pickle.dump(results, sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


class _BatchWriter:
    """Insert variants and queue their paragraphs, then write the paragraphs in bulk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.paragraphs: list[tuple[int, str]] = []
        self.indexed: list[tuple[int, str]] = []

    def add(self, ident: tuple[int, bytes], result: _ReadResult) -> int:
        """Insert one page's row; return its id. Its paragraphs wait for :meth:`flush`."""
        assert result.page is not None
        page, variant = result.page, result.page.variant
        cursor = self.conn.execute(
            "INSERT INTO variants (root, rel, relpath, path_key, translation_key, article_key,"
            " language, language_source, title, date, advertised, size, mtime_ns, checked_ns,"
            " paragraphs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *ident,
                variant.relpath,
                variant.key,
                page.translation_key,
                page.translation_key or variant.key,
                variant.language,
                variant.language_source,
                variant.title,
                variant.date,
                " ".join(variant.advertised),
                variant.size,
                variant.mtime_ns,
                time.time_ns(),
                variant.paragraphs,
            ),
        )
        vid = cursor.lastrowid
        assert vid is not None
        base = vid << 16
        last = len(result.texts) - 1  # the title comes last
        for index, (text, indexed) in enumerate(zip(result.texts, result.indexed, strict=True)):
            if text.strip():
                rowid = base | (TITLE_INDEX if index == last else index)
                self.paragraphs.append((rowid, text))
                self.indexed.append((rowid, indexed))
        return vid

    def flush(self) -> None:
        """Write the queued paragraphs and their index entries."""
        self.conn.executemany("INSERT INTO paragraphs (id, text) VALUES (?, ?)", self.paragraphs)
        self.conn.executemany("INSERT INTO fts (rowid, text) VALUES (?, ?)", self.indexed)
        self.paragraphs, self.indexed = [], []


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
            gc.enable()


def _delete_file(conn: sqlite3.Connection, ident: tuple[int, bytes]) -> None:
    """Delete a file's variant row, paragraphs and index entries, if it has any."""
    found = conn.execute("SELECT id FROM variants WHERE root = ? AND rel = ?", ident).fetchone()
    if found is None:
        return
    low, high = found[0] << 16, (found[0] << 16) | 0xFFFF
    # A contentless FTS5 row is deleted by giving exactly the text it was indexed with.
    conn.executemany(
        "INSERT INTO fts (fts, rowid, text) VALUES ('delete', ?, ?)",
        [
            (rowid, index_text(text))
            for rowid, text in conn.execute(
                "SELECT id, text FROM paragraphs WHERE id BETWEEN ? AND ?", (low, high)
            ).fetchall()
        ],
    )
    conn.execute("DELETE FROM paragraphs WHERE id BETWEEN ? AND ?", (low, high))
    conn.execute("DELETE FROM variants WHERE id = ?", found)


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


def _walk(
    roots: list[Path], progress: RefreshProgress | None
) -> tuple[list[_Located], list[Problem | int]]:
    """Find every page file; return them and the order of files and walk problems."""
    located: list[_Located] = []
    order: list[Problem | int] = []
    problems: list[Problem] = []
    for root_index, root in enumerate(roots):
        directories = language_directories(root)
        reported = len(problems)
        for path in iter_page_paths(root, problems):
            order.extend(problems[reported:])
            reported = len(problems)
            location = locate(root, path, directories)
            if location is None:
                continue
            relative = location.relpath
            if "\ufffd" in relative:
                relative = path.relative_to(root).as_posix()
            try:
                info: os.stat_result | None = os.stat(path)
            except OSError:
                info = None
            order.append(len(located))
            located.append(_Located((root_index, os.fsencode(relative)), location, info))
            if progress is not None and len(located) % PROGRESS_EVERY == 0:
                progress(len(located), 0, location.relpath)
        order.extend(problems[reported:])
    return located, order


def _still_valid(
    row: _Row, item: _Located, default_language: str, max_bytes: int, old_max: int
) -> bool:
    """Whether a catalog row can stand for the file without reading it."""
    info, location = item.info, item.location
    if info is None or row.size != info.st_size or row.mtime_ns != info.st_mtime_ns:
        return False
    if row.mtime_ns >= row.checked_ns - RACY_NS:
        return False
    if row.path_key != location.path_key:
        return False
    if location.language is not None:
        if (row.language, row.language_source) != (location.language, location.language_source):
            return False
    elif row.language_source not in ("front matter", "default"):
        return False
    if row.language_source == "default" and row.language != default_language:
        return False
    return not (max_bytes != old_max and row.size > min(max_bytes, old_max))


def _same_failure(stored: _StoredProblem, info: os.stat_result | None) -> bool:
    """Whether a file that could not be read is untouched since (even its permissions)."""
    if not stored.skipped or info is None:
        return False
    return (stored.size, stored.mtime_ns, stored.ctime_ns) == (
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
    )


def _path(bases: list[str], root: int, rel: bytes) -> Path:
    return Path(os.path.join(bases[root], os.fsdecode(rel)))


def _variant(row: _Row, path: Path, key: str, language: str) -> Variant:
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
    path = _path(bases, row.root, row.rel)
    use_default = row.language_source == "default" and default_language != AUTO_LANGUAGE
    language = default_language if use_default else row.language
    from_path = row.language_source in ("filename", "directory")
    location = PageLocation(
        path=path,
        relpath=row.relpath,
        path_key=row.path_key,
        language=language if from_path else None,
        language_source=row.language_source if from_path else "default",
        kind=PAGE_EXTENSIONS.get(path.suffix.lower(), "text"),
    )
    return ScannedPage(location, _variant(row, path, row.path_key, language), row.translation_key)


def _articles_from_rows(rows: list[Any], bases: list[str]) -> dict[str, Article]:
    """Build articles from grouped rows (the fast path of :meth:`Catalog.load`)."""
    groups: dict[str, dict[str, Variant]] = {}
    join, fsdecode = os.path.join, os.fsdecode
    for root, rel, relpath, key, language, source, title, date, adv, size, mtime, count in rows:
        variant = Variant(
            key,
            language,
            Path(join(bases[root], fsdecode(rel))),
            relpath,
            title,
            date,
            tuple(adv.split()) if adv else (),
            size,
            mtime,
            count,
            source,
        )
        groups.setdefault(key, {})[language] = variant
    return sort_articles(
        {key: Article(key, dict(sorted(found.items()))) for key, found in groups.items()}
    )

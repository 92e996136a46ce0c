"""The catalog: a SQLite cache of the library, so that startup reads no page files.

One catalog file per set of library roots lives in the cache directory
(``catalog-<sha1 of the resolved roots>[:12].sqlite``). It holds:

* ``variants``: one row per page file with what a scan learns from it (title, date,
  language, advertised languages, paragraph count, size and mtime), the exact on-disk
  path relative to its root, and the key of the article the last refresh grouped it
  into (``NULL`` for a second variant of a language that grouping dropped);
* ``problems``: what the last refresh reported, in order;
* ``texts`` (the text of each block, the title last, compressed, in pieces)
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

This module is the public face; the work is in its siblings, each below it:
:mod:`~reader.library.catalog_file` (file name, versions, the one "is this a current
catalog" check, the read-only open of ``reader search``), :mod:`~reader.library.catalog_db`
(schema, transactions, SQLite errors), :mod:`~reader.library.catalog_refresh` (a
refresh, through :class:`~reader.library.catalog_refresh.CatalogConnections`) with
:mod:`~reader.library.catalog_walk`, :mod:`~reader.library.catalog_read` (parsing, in
worker processes), :mod:`~reader.library.catalog_write` and
:mod:`~reader.library.catalog_group`, and :mod:`~reader.library.catalog_rows` (rows ->
variants and articles).

Never imports Textual.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType

from reader.library.catalog_db import (
    BULK_CACHE_KIB,
    BUSY_TIMEOUT,
    CACHE_KIB,
    WAL_CHECKPOINT_PAGES,
    WRITE_WAIT_SECONDS,
    StaleCatalog,
    begin_immediate,
    check_current,
    create_schema,
    disk_reason,
    is_busy,
    is_clean,
    is_corrupt,
    os_reason,
    read_meta,
    read_transaction,
    rollback,
)
from reader.library.catalog_file import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    CatalogCorruptError,
    PeekArticle,
    catalog_path,
    first_page_of_meta,
    resolved_roots,
    roots_key,
)
from reader.library.catalog_refresh import BATCH_FILES, Refresh, RefreshReport
from reader.library.catalog_rows import (
    FIRST_PAGE_SIZE,
    LOAD_COLUMNS,
    ROW_COLUMNS,
    Row,
    VariantMaker,
    gc_paused,
    load_articles,
    page_from_row,
)
from reader.library.catalog_walk import PROGRESS_EVERY, RefreshProgress
from reader.library.decode import DEFAULT_MAX_BYTES
from reader.library.model import Article, Problem
from reader.library.scan import CHECKPOINT_EVERY, ScanResult, group_pages
from reader.library.search import SearchHit

__all__ = [
    "APPLICATION_ID",
    "BATCH_FILES",
    "BUSY_TIMEOUT",
    "CHECKPOINT_EVERY",
    "FIRST_PAGE_SIZE",
    "PROGRESS_EVERY",
    "SCHEMA_VERSION",
    "WRITE_WAIT_SECONDS",
    "Catalog",
    "CatalogCorruptError",
    "PeekArticle",
    "RefreshProgress",
    "RefreshReport",
    "catalog_path",
    "resolved_roots",
]


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
                if not is_corrupt(error):
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
            except StaleCatalog:
                self._discard()  # another version's cache: replaced without a word
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError) and not is_corrupt(error):
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
        return disk_reason(self.path, error) or os_reason(self.path) or str(error)

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
                create_schema(conn)
            check_current(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # Checkpoint every 64 MiB of log, not every 4: a page written by several
            # batches of a refresh is copied into the file once, not once per batch.
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        except BaseException:
            conn.close()
            raise
        return conn

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
    def writing(self) -> Iterator[sqlite3.Connection]:
        """Hold the connection in a write transaction, committed at the end (rolled back
        on an error); waits up to :data:`WRITE_WAIT_SECONDS` for other writers."""
        with self.connection() as conn:
            begin_immediate(conn)
            try:
                yield conn
            except BaseException:
                rollback(conn)
                raise
            conn.execute("COMMIT")

    # --- reading --------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """``True`` if no refresh has written anything yet."""
        try:
            with self.connection() as conn:
                meta = read_meta(conn)
                if "refreshed" in meta:
                    return False
                return conn.execute("SELECT 1 FROM variants LIMIT 1").fetchone() is None
        except CatalogCorruptError:
            return True

    def article_count(self) -> int:
        """How many articles the catalog holds (cheap: no rows are loaded)."""
        try:
            with self.connection() as conn:
                meta = read_meta(conn)
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
        with gc_paused():
            return self._load(roots, default_language, checkpoint)

    def _load(
        self, roots: list[Path], default_language: str, checkpoint: Callable[[], None] | None
    ) -> ScanResult | None:
        bases = [str(root) for root in roots]
        try:
            with self.bulk_reader() as conn, read_transaction(conn):
                meta = read_meta(conn)
                if meta.get("roots") != roots_key(roots):
                    return None
                problem_rows = conn.execute(
                    "SELECT stage, path, reason, kind FROM problems ORDER BY seq"
                ).fetchall()
                if is_clean(meta, default_language):
                    articles, count = load_articles(conn, bases, checkpoint)
                    if not count and not problem_rows and "refreshed" not in meta:
                        return None
                    problems = [
                        Problem(path, reason, kind) for _, path, reason, kind in problem_rows
                    ]
                    files = int(meta.get("files", count))
                    return ScanResult(articles, problems, files, meta.get("refreshed"))
                rows = conn.execute(f"SELECT {ROW_COLUMNS} FROM variants ORDER BY root, rel")
                pages = [page_from_row(Row._make(row), bases, default_language) for row in rows]
        except CatalogCorruptError:
            return None
        if not pages and not problem_rows and "refreshed" not in meta:
            return None
        # Left by a crash or read with another default language: group the rows here.
        problems = [
            Problem(path, reason, kind)
            for stage, path, reason, kind in problem_rows
            if stage != "group"
        ]
        articles = group_pages(pages, problems)
        return ScanResult(articles, problems, int(meta.get("files", len(pages))))

    @contextmanager
    def bulk_reader(self) -> Iterator[sqlite3.Connection]:
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
            if not is_corrupt(error):
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
                meta = read_meta(conn)
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
                meta = read_meta(conn)
                if meta.get("roots") != roots_key(roots) or not is_clean(meta, default_language):
                    return None
                rows = conn.execute(
                    f"SELECT {LOAD_COLUMNS} FROM variants WHERE article_key = ?", (key,)
                ).fetchall()
        except CatalogCorruptError:
            return None
        if not rows:
            return None
        make = VariantMaker([str(root) for root in roots])
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
                if self.path is None or is_corrupt(error):
                    raise
                # The file cannot be written (a full disk, a read-only file or
                # directory, a lock held for minutes): what was committed stays, and
                # this time the library is read into memory.
                self._write_failed(error)
                return self._refresh(roots, default_language, max_bytes, progress, None)

    def _write_failed(self, error: sqlite3.OperationalError) -> None:
        reason = "busy: other processes kept writing it" if is_busy(error) else str(error)
        reason = disk_reason(self.path, error) or reason
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
        job = Refresh(self, [Path(root) for root in roots], default_language, max_bytes, progress)
        return job.run(current)

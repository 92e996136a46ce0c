"""The catalog: a SQLite cache of the library, so that startup reads no page files.

One catalog file per set of library roots lives in the cache directory
(``catalog-<sha1 of the resolved roots>[:12].sqlite``). It holds:

* ``variants``: one row per page file with what a scan learns from it (title, date,
  language, advertised languages, paragraph count, size and mtime), the exact on-disk
  path relative to its root, and the key of the article the last refresh grouped it
  into (``NULL`` for a second variant of a language that grouping dropped);
* ``problems``: what the last refresh reported, in order;
* ``paragraphs`` and two contentless FTS5 indexes for :mod:`reader.library.search`;
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

import hashlib
import json
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from reader.library.decode import DEFAULT_MAX_BYTES
from reader.library.model import Article, Document, Problem, Variant
from reader.library.scan import (
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
from reader.library.search import FOLD_VERSION, TITLE_INDEX, SearchHit, index_text, is_cjk

#: ``PRAGMA application_id`` of a catalog file: "Poly" in ASCII.
APPLICATION_ID = 0x506F6C79
#: ``PRAGMA user_version``; any other value means the file is rebuilt.
SCHEMA_VERSION = 1
#: Files read between two commits of a refresh.
BATCH_FILES = 500
#: ``progress`` is called after this many files.
PROGRESS_EVERY = 100
#: How long to wait for another process's write, in seconds.
BUSY_TIMEOUT = 2.0
#: A file modified less than this before it was read is read again next time, because
#: a change within the same timestamp tick would not show in its mtime (FAT: 2 s).
RACY_NS = 2_000_000_000
#: Paragraphs beyond this are not indexed for search (the rowid holds 16 bits of index).
MAX_INDEXED_PARAGRAPHS = TITLE_INDEX

RefreshProgress = Callable[[int, int, str], None]
"""``progress(done, total, relpath)``; ``total`` is 0 while the roots are still walked."""

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_FOLD = f"{FOLD_VERSION}:{unicodedata.unidata_version}"
_TABLES = frozenset({"meta", "variants", "paragraphs", "problems", "fts_words", "fts_cjk"})
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
        cjk INTEGER NOT NULL,
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
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_words USING fts5(text, content='', "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_cjk USING fts5(text, content='', tokenize='trigram')",
)
_ROW_COLUMNS = (
    "id, root, rel, relpath, path_key, translation_key, article_key, language, "
    "language_source, title, date, advertised, size, mtime_ns, checked_ns, paragraphs"
)


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


def catalog_path(roots: Sequence[Path], cache_dir: Path) -> Path:
    """Return the catalog file for ``roots`` inside ``cache_dir``."""
    digest = hashlib.sha1("\n".join(resolved_roots(roots)).encode("utf-8", "surrogatepass"))
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
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _check(conn: sqlite3.Connection) -> None:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if not _TABLES <= names:
            raise _StaleCatalog("tables missing")
        fold = conn.execute("SELECT value FROM meta WHERE key = 'fold'").fetchone()
        if fold is None or fold[0] != _FOLD:
            raise _StaleCatalog("index built with another text folding")

    def _discard(self) -> None:
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError:
                pass

    def _reset(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
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
                conn.execute("ROLLBACK")
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
        try:
            with self.connection() as conn:
                conn.execute("BEGIN")
                try:
                    meta = _meta(conn)
                    if meta.get("roots") != json.dumps(resolved_roots(roots)):
                        return None
                    fast = meta.get("dirty") != "1" and meta.get(
                        "default_language"
                    ) == default_language
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
                finally:
                    conn.execute("COMMIT")
        except CatalogCorruptError:
            return None
        if not rows and not problem_rows and "refreshed" not in meta:
            return None
        files = int(meta.get("files", len(rows)))
        bases = [str(root) for root in roots]
        if fast:
            problems = [Problem(path, reason, bool(skipped)) for _, path, reason, skipped in problem_rows]
            return ScanResult(_articles_from_rows(rows, bases), problems, files)
        problems = [
            Problem(path, reason, bool(skipped))
            for kind, path, reason, skipped in problem_rows
            if kind != "group"
        ]
        pages = [_page_from_row(_Row._make(row), bases, default_language) for row in rows]
        articles = group_pages(pages, problems)
        return ScanResult(articles, problems, files)

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
        started = time.perf_counter()
        roots = [Path(root) for root in roots]
        roots_json = json.dumps(resolved_roots(roots))
        with self.connection() as conn:
            meta = _meta(conn)
            if meta.get("roots", roots_json) != roots_json:
                self._clear(conn)
                meta = _meta(conn)
            old_max = int(meta.get("max_bytes", max_bytes))
            snapshot = {
                (row.root, row.rel): row
                for row in map(_Row._make, conn.execute(f"SELECT {_ROW_COLUMNS} FROM variants"))
            }
            stored_problems = {
                (root, bytes(rel)): _StoredProblem(path, reason, bool(skipped), size, mtime, ctime)
                for root, rel, path, reason, skipped, size, mtime, ctime in conn.execute(
                    "SELECT root, rel, path, reason, skipped, size, mtime_ns, ctime_ns"
                    " FROM problems WHERE kind = 'read'"
                )
            }

        located, order = _walk(roots, progress)
        report = RefreshReport(ScanResult(files=len(located)), files=len(located))
        pages: list[ScannedPage | None] = [None] * len(located)
        read_problems: dict[int, Problem] = {}
        current_keys: dict[int, str | None] = {}  # variant id -> article_key as stored
        ids: dict[str, int] = {}  # str(path) -> variant id
        to_read: list[int] = []
        for index, item in enumerate(located):
            row = snapshot.pop(item.ident, None)
            stored = stored_problems.get(item.ident)
            if row is not None and _still_valid(row, item, default_language, max_bytes, old_max):
                variant = _variant(row, item.location.path, row.path_key, row.language)
                pages[index] = ScannedPage(item.location, variant, row.translation_key)
                current_keys[row.id] = row.article_key
                ids[str(item.location.path)] = row.id
                if stored is not None and not stored.skipped:
                    read_problems[index] = Problem(stored.path, stored.reason, False)
                report.unchanged += 1
            elif row is None and stored is not None and _same_failure(stored, item.info):
                read_problems[index] = Problem(stored.path, stored.reason, True)
                report.unchanged += 1
            else:
                to_read.append(index)
                if row is None:
                    report.added += 1
                else:
                    report.changed += 1
        report.removed = len(snapshot)

        if snapshot:
            with self._writing() as conn:
                _set_meta(conn, dirty="1")
                for ident in snapshot:
                    _delete_file(conn, ident)
        done = report.unchanged
        total = len(located)
        for start in range(0, len(to_read), BATCH_FILES):
            batch: list[tuple[int, ScannedPage | None, Problem | None, Document | None]] = []
            for index in to_read[start : start + BATCH_FILES]:
                item = located[index]
                page, problem, document = read_page_document(
                    item.location, default_language, max_bytes
                )
                batch.append((index, page, problem, document))
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total, item.location.relpath)
            with self._writing() as conn:
                _set_meta(conn, dirty="1")
                writer = _BatchWriter(conn)
                for index, page, problem, document in batch:
                    item = located[index]
                    _delete_file(conn, item.ident)
                    if problem is not None:
                        read_problems[index] = problem
                    if page is None or document is None:
                        continue
                    vid = writer.add(item.ident, page, document)
                    pages[index] = page
                    current_keys[vid] = page.translation_key or page.variant.key
                    ids[str(item.location.path)] = vid
                writer.flush()

        problems: list[Problem] = []
        stored_rows: list[tuple[object, ...]] = []
        for entry in order:
            if isinstance(entry, Problem):
                problems.append(entry)
                stored_rows.append(("walk", entry.path, entry.reason, entry.skipped, *_NO_FILE))
            elif (problem := read_problems.get(entry)) is not None:
                item = located[entry]
                info = item.info
                problems.append(problem)
                stored_rows.append(
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
        grouped_from = len(problems)
        articles = group_pages([page for page in pages if page is not None], problems)
        for problem in problems[grouped_from:]:
            stored_rows.append(("group", problem.path, problem.reason, problem.skipped, *_NO_FILE))
        wanted: dict[int, str] = {}
        for article in articles.values():
            for variant in article.variants.values():
                wanted[ids[str(variant.path)]] = article.key
        updates = [
            (wanted.get(vid), vid) for vid, key in current_keys.items() if wanted.get(vid) != key
        ]
        with self._writing() as conn:
            conn.executemany("UPDATE variants SET article_key = ? WHERE id = ?", updates)
            conn.execute("DELETE FROM problems")
            conn.executemany(
                "INSERT INTO problems (kind, path, reason, skipped, root, rel, size, mtime_ns,"
                " ctime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                stored_rows,
            )
            _set_meta(
                conn,
                dirty="0",
                roots=roots_json,
                default_language=default_language,
                max_bytes=str(max_bytes),
                files=str(len(located)),
                articles=str(len(articles)),
                refreshed=str(time.time_ns()),
            )
        if progress is not None:
            progress(total, total, "")
        report.result = ScanResult(articles, problems, len(located))
        report.problems = problems
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _clear(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in ("variants", "paragraphs", "problems", "fts_words", "fts_cjk"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM meta WHERE key != 'fold'")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


_NO_FILE = (None, None, None, None, None)


class _BatchWriter:
    """Insert variants and queue their paragraphs, then write the paragraphs in bulk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.paragraphs: list[tuple[int, str]] = []
        self.words: list[tuple[int, str]] = []
        self.cjk: list[tuple[int, str]] = []

    def add(self, ident: tuple[int, bytes], page: ScannedPage, document: Document) -> int:
        variant = page.variant
        texts = [
            unicodedata.normalize("NFC", block.plain_text)
            for block in document.blocks[:MAX_INDEXED_PARAGRAPHS]
        ]
        title = unicodedata.normalize("NFC", variant.title)
        cjk = is_cjk(variant.language, title + "\n" + "\n".join(texts[:4]))
        cursor = self.conn.execute(
            "INSERT INTO variants (root, rel, relpath, path_key, translation_key, article_key,"
            " language, language_source, title, date, advertised, size, mtime_ns, checked_ns,"
            " paragraphs, cjk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                int(cjk),
            ),
        )
        vid = cursor.lastrowid
        assert vid is not None
        base = vid << 16
        rows = [(base | index, text) for index, text in enumerate(texts) if text.strip()]
        rows.append((base | TITLE_INDEX, title))
        self.paragraphs.extend(rows)
        target = self.cjk if cjk else self.words
        target.extend((rowid, index_text(text, cjk)) for rowid, text in rows)
        return vid

    def flush(self) -> None:
        self.conn.executemany("INSERT INTO paragraphs (id, text) VALUES (?, ?)", self.paragraphs)
        self.conn.executemany("INSERT INTO fts_words (rowid, text) VALUES (?, ?)", self.words)
        self.conn.executemany("INSERT INTO fts_cjk (rowid, text) VALUES (?, ?)", self.cjk)
        self.paragraphs, self.words, self.cjk = [], [], []


def _delete_file(conn: sqlite3.Connection, ident: tuple[int, bytes]) -> None:
    """Delete a file's variant row, paragraphs and index entries, if it has any."""
    found = conn.execute("SELECT id, cjk FROM variants WHERE root = ? AND rel = ?", ident).fetchone()
    if found is None:
        return
    vid, cjk = found
    low, high = vid << 16, (vid << 16) | 0xFFFF
    table = "fts_cjk" if cjk else "fts_words"
    # A contentless FTS5 row is deleted by giving exactly the text it was indexed with.
    conn.executemany(
        f"INSERT INTO {table} ({table}, rowid, text) VALUES ('delete', ?, ?)",
        [
            (rowid, index_text(text, bool(cjk)))
            for rowid, text in conn.execute(
                "SELECT id, text FROM paragraphs WHERE id BETWEEN ? AND ?", (low, high)
            ).fetchall()
        ],
    )
    conn.execute("DELETE FROM paragraphs WHERE id BETWEEN ? AND ?", (low, high))
    conn.execute("DELETE FROM variants WHERE id = ?", (vid,))


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
    language = default_language if row.language_source == "default" else row.language
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


def _articles_from_rows(rows: list[tuple[object, ...]], bases: list[str]) -> dict[str, Article]:
    """Build articles from grouped rows (the fast path of :meth:`Catalog.load`)."""
    groups: dict[str, dict[str, Variant]] = {}
    join, fsdecode = os.path.join, os.fsdecode
    for root, rel, relpath, key, language, source, title, date, adv, size, mtime, count in rows:
        variant = Variant(
            key,  # type: ignore[arg-type]
            language,  # type: ignore[arg-type]
            Path(join(bases[root], fsdecode(rel))),  # type: ignore[index, arg-type]
            relpath,  # type: ignore[arg-type]
            title,  # type: ignore[arg-type]
            date,  # type: ignore[arg-type]
            tuple(adv.split()) if adv else (),  # type: ignore[attr-defined]
            size,  # type: ignore[arg-type]
            mtime,  # type: ignore[arg-type]
            count,  # type: ignore[arg-type]
            source,  # type: ignore[arg-type]
        )
        groups.setdefault(key, {})[language] = variant  # type: ignore[index, arg-type]
    return sort_articles({key: Article(key, dict(sorted(found.items()))) for key, found in groups.items()})

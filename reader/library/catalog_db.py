"""The catalog's SQLite file: its schema, connection settings, transactions and errors.

What :class:`reader.library.catalog.Catalog` and a refresh
(:mod:`reader.library.catalog_refresh`) do to the file at the level of SQL; whether a
file is a current catalog at all is :func:`reader.library.catalog_file.stale_reason`,
shared with the quick ``reader search`` path.

Never imports Textual.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from reader.library.catalog_file import APPLICATION_ID, FOLD, SCHEMA_VERSION, stale_reason

#: How long to wait for another process's write, in seconds.
BUSY_TIMEOUT = 2.0
#: How long a refresh waits in all for its turn to write while other processes (another
#: ``reader index``, an open interface) write the same catalog, in seconds. Only then
#: does it give up on the file and read the library into memory.
WRITE_WAIT_SECONDS = 120.0
#: Page cache of the shared connection, in KiB. Searches are as fast with 2 MiB as with
#: 32 MiB on the 100,000-variant benchmark (the OS caches the file), so it is kept small:
#: every MiB here is a MiB of the app's memory once searches have filled it.
CACHE_KIB = 8192
#: Pages of write-ahead log after which a write copies them into the file (64 MiB).
WAL_CHECKPOINT_PAGES = 16384
#: A refresh that leaves more than this share of the file's pages free (FTS5 frees the
#: segments it merges) gives them back to the file system (``incremental_vacuum``). It
#: is cheap: the 3,600 pages (15 MB, 3 % of the file) a cold index of the random-word
#: benchmark library left free took 0.1 s of CPU to give back.
FREE_PAGES_SHARE = 1 / 1024
#: Page cache of the private connection that reads every row (load, refresh), in KiB.
BULK_CACHE_KIB = 2048

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
SCHEMA = (
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
    # A variant's texts, compressed (index_text.pack_texts) in the workers, in pieces of
    # ~600 bytes (id = variants.id << 8 | piece, index_text.text_rows): one row of 1-2 KiB
    # filled 4 KiB pages two to a page. A row per paragraph, uncompressed, made the
    # catalog of a library of random words several times the library's size
    # (docs/DESIGN.md, "Tuning history").
    "CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
    """CREATE TABLE IF NOT EXISTS problems (
        seq INTEGER PRIMARY KEY,
        stage TEXT NOT NULL,
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        kind TEXT NOT NULL,
        root INTEGER,
        rel BLOB,
        size INTEGER,
        mtime_ns INTEGER,
        ctime_ns INTEGER
    )""",
    # columnsize=0: no table of row lengths. bm25 then reads no length for every match
    # (that lookup was most of the time of a search matching many paragraphs), so it
    # ranks by how often, and how rare, the words are; titles, which the length
    # normalisation used to lift, come first by rule (see search.py).
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='', columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    # Titles have an index of their own: they come first, and when they hold enough
    # hits (a word common in titles) the paragraphs are never ranked.
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_titles USING fts5(text, content='', columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    # Merge 16 segments at a time, not 4: each indexed word is rewritten half as often,
    # so a cold index writes much less; searches are no slower for the extra segments.
    "INSERT INTO fts (fts, rank) VALUES ('automerge', 16)",
    "INSERT INTO fts_titles (fts_titles, rank) VALUES ('automerge', 16)",
)
#: Indexes that an incremental refresh needs (created by the first one).
GROUPING_INDEXES = (
    "CREATE INDEX IF NOT EXISTS variants_path_key ON variants (path_key)",
    "CREATE INDEX IF NOT EXISTS variants_translation_key ON variants (translation_key)",
    "CREATE INDEX IF NOT EXISTS variants_article_key ON variants (article_key)",
)
#: Most values bound in one ``IN (...)`` list.
IN_CHUNK = 500


class StaleCatalog(Exception):
    """The file is not a catalog of this version (foreign, older or newer)."""


def disk_reason(path: Path | None, error: sqlite3.Error) -> str | None:
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


def is_corrupt(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is damaged or not a database."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error)
    return "malformed" in message or "not a database" in message


def is_busy(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite says another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error)


def begin_immediate(conn: sqlite3.Connection) -> None:
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
            if not is_busy(error) or time.monotonic() >= deadline:
                raise


def os_reason(path: Path) -> str | None:
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


def create_schema(conn: sqlite3.Connection) -> None:
    """Make an empty file a catalog (under the write lock: another process may be doing it)."""
    # Only takes effect before the first table is written.
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    conn.execute("PRAGMA journal_mode = WAL")
    begin_immediate(conn)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] == 0:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StaleCatalog("a database of another program")
            for statement in SCHEMA:
                conn.execute(statement)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('fold', ?)", (FOLD,))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def check_current(conn: sqlite3.Connection) -> None:
    """Raise :class:`StaleCatalog` unless the file is a catalog of this version."""
    reason = stale_reason(conn)
    if reason is not None:
        raise StaleCatalog(reason)


def clear(conn: sqlite3.Connection) -> None:
    """Delete every row but the folding version (the file is to hold another library)."""
    begin_immediate(conn)
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
        rollback(conn)
        raise
    conn.execute("COMMIT")


def rows_where(
    conn: sqlite3.Connection, columns: str, column: str, values: Iterable[object]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``variants`` whose ``column`` is one of ``values``."""
    pending = list(values)
    for start in range(0, len(pending), IN_CHUNK):
        chunk = pending[start : start + IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(
            f"SELECT {columns} FROM variants WHERE {column} IN ({marks})", chunk
        )


def rollback(conn: sqlite3.Connection) -> None:
    """End the transaction, if there still is one."""
    # The transaction may be gone already (damaged file, lost connection).
    with suppress(sqlite3.Error):
        conn.execute("ROLLBACK")


@contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Read several statements from one snapshot (another process may be writing)."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        rollback(conn)


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The ``meta`` table as a dictionary."""
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def set_meta(conn: sqlite3.Connection, **values: str) -> None:
    """Set ``meta`` values (in the caller's transaction)."""
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


def write_counter(value: object) -> int:
    """The ``writes`` counter from ``meta`` (0 if missing or not a number)."""
    return int(value) if isinstance(value, str) and value.isdigit() else 0


def is_clean(meta: dict[str, str], default_language: str) -> bool:
    """Whether the rows' article keys are a finished grouping for ``default_language``."""
    return meta.get("dirty") != "1" and meta.get("default_language") == default_language


def ensure_grouping_indexes(conn: sqlite3.Connection, private: bool) -> None:
    """Create the indexes an incremental refresh needs (:data:`GROUPING_INDEXES`), if
    the catalog lacks them.

    Meant for a private connection (``private``: small cache, sorting in temporary
    files), so that indexing 100,000 rows does not cost the process tens of megabytes.
    """
    names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    missing = [
        statement
        for statement in GROUPING_INDEXES
        if statement.split(" ON ")[0].rsplit(" ", 1)[1] not in names
    ]
    if not missing:
        return
    if private:
        conn.execute("PRAGMA temp_store = FILE")
    begin_immediate(conn)
    try:
        for statement in missing:
            conn.execute(statement)
    except BaseException:
        rollback(conn)
        raise
    conn.execute("COMMIT")


def give_back_free_pages(conn: sqlite3.Connection) -> None:
    """Shrink the file by the pages FTS5's merges left free, if they are many (in a
    write transaction): a cold index of a big library leaves some percent of the file
    free."""
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    if free > conn.execute("PRAGMA page_count").fetchone()[0] * FREE_PAGES_SHARE:
        # The pragma gives back one page per step, and Python's sqlite3 takes
        # only one step of a statement without columns: one call per page.
        for _ in range(free):
            conn.execute("PRAGMA incremental_vacuum(1)")

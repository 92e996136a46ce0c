"""What every reader of a catalog file agrees on, and a read-only open for searching.

:mod:`reader.library.catalog` creates, checks, refreshes and repairs catalog files. This
module holds what it shares with ``reader search``: where the file for a set of roots
is, its application id, schema and folding versions and its tables. :func:`open_reader`
opens an existing, current, refreshed catalog to search it, without importing the
catalog module and the scanner and data model behind it (~20 ms, half of what
``reader search`` would otherwise spend starting up).

:func:`open_reader` never creates, repairs or rebuilds anything: whenever a file is
missing, of another version, never refreshed or damaged it returns ``None``, and the
caller goes through :class:`reader.library.catalog.Catalog`, which knows what to do.

Never imports Textual.
"""

from __future__ import annotations

# sqlite3 is _sqlite3 plus datetime adapters this module never uses: importing _sqlite3
# alone (the same classes) saves `reader search` ~2 ms, a tenth of `reader --version`.
import _sqlite3 as sqlite3
import os
import unicodedata

from reader.library.index_text import INDEX_VERSION

# `reader search` imports this module: no pathlib, typing or urllib (~8 ms together).
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from types import TracebackType

    Root = str | os.PathLike[str]

#: ``PRAGMA application_id`` of a catalog file: "Poly" in ASCII.
APPLICATION_ID = 0x506F6C79
#: ``PRAGMA user_version``; any other value means the file is rebuilt.
SCHEMA_VERSION = 7
#: ``meta.fold``: the text folding the index was built with (Unicode data included).
FOLD = f"{INDEX_VERSION}:{unicodedata.unidata_version}"
#: Tables a catalog file must have.
TABLES = frozenset({"meta", "variants", "texts", "problems", "fts", "fts_titles"})
#: How long :func:`open_reader` waits for another process's write, in seconds.
READ_TIMEOUT = 2.0


class PeekArticle:
    """An article as the first page of the Library shows it (key, date, titles)."""

    __slots__ = ("date", "key", "titles")

    def __init__(self, key: str, date: str | None, titles: dict[str, str]) -> None:
        self.key = key
        self.date = date
        self.titles = titles

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PeekArticle):
            return NotImplemented
        return (self.key, self.date, self.titles) == (other.key, other.date, other.titles)

    def __repr__(self) -> str:
        return f"PeekArticle(key={self.key!r}, date={self.date!r}, titles={self.titles!r})"


class CatalogCorruptError(Exception):
    """The catalog file turned out to be damaged; it has been replaced by an empty one."""


def resolved_roots(roots: Sequence[Root]) -> list[str]:
    """Return the absolute, symlink-free form of ``roots`` that identifies a catalog."""
    # What str(Path(root).expanduser().resolve()) gives, without importing pathlib.
    return [os.path.realpath(os.path.expanduser(os.fspath(root))) for root in roots]


def roots_key(roots: Sequence[Root]) -> str:
    """How ``meta.roots`` spells a set of roots (a catalog holds one set)."""
    import json

    return json.dumps(resolved_roots(roots))


def first_page_of_meta(
    meta: dict[str, str], roots: Sequence[Root]
) -> tuple[int, list[PeekArticle]] | None:
    """The article count and the first page of articles a catalog's ``meta`` holds for
    ``roots``, or ``None`` if it holds none (other roots, never refreshed, damaged)."""
    import json

    if meta.get("roots") != roots_key(roots) or "first_page" not in meta:
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


def read_first_page(path: Root, roots: Sequence[Root]) -> tuple[int, list[PeekArticle]] | None:
    """:func:`first_page_of_meta` of the catalog file at ``path``, opened read-only.

    What the Library screen draws first, without importing the catalog module (and
    the scanner and data model behind it). ``None`` if the file is missing, of another
    version or damaged: the catalog module deals with that later, in a worker.
    """
    try:
        catalog = open_reader(path)
    except OSError:
        return None
    if catalog is None:
        return None
    try:
        with catalog.connection() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    finally:
        catalog.close()
    return first_page_of_meta(meta, roots)


def catalog_path(roots: Sequence[Root], cache_dir: Root) -> Path:
    """Return the catalog file for ``roots`` inside ``cache_dir``."""
    from pathlib import Path

    return Path(catalog_file_name(roots, cache_dir))


def catalog_file_name(roots: Sequence[Root], cache_dir: Root) -> str:
    """:func:`catalog_path` as a string, without importing pathlib."""
    try:
        # CPython's own SHA-1 loads in microseconds; hashlib first initialises OpenSSL
        # (~3 ms, a tenth of ``reader --version``).
        from _sha1 import sha1  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        from hashlib import sha1

    digest = sha1("\n".join(resolved_roots(roots)).encode("utf-8", "surrogatepass"))
    return os.path.join(os.fspath(cache_dir), f"catalog-{digest.hexdigest()[:12]}.sqlite")


def stale_reason(conn: sqlite3.Connection) -> str | None:
    """Why an open file is not a current catalog, or ``None`` if it is one.

    Not one: another program's database (or an empty one), another schema version,
    tables missing, an index built with another text folding. The one check that both
    :func:`open_reader` and :class:`~reader.library.catalog.Catalog` make; SQLite's
    errors (a damaged file) pass through.
    """
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if application_id != APPLICATION_ID or version != SCHEMA_VERSION:
        return f"application {application_id}, schema {version}"
    names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if not names >= TABLES:
        return "tables missing"
    fold = conn.execute("SELECT value FROM meta WHERE key = 'fold'").fetchone()
    if fold is None or fold[0] != FOLD:
        return "index built with another text folding"
    return None


def _uri_path(path: str) -> str:
    """``path`` as the path of an SQLite ``file:`` URI: ``%``, ``?`` and ``#`` escaped
    (SQLite decodes every ``%XX``, and ``?`` and ``#`` would end the path)."""
    return path.replace("%", "%25").replace("?", "%3F").replace("#", "%23")


class CatalogReader:
    """A catalog file opened by :func:`open_reader`, to pass to
    :func:`reader.library.search.search` in place of a
    :class:`~reader.library.catalog.Catalog`.

    Args:
        conn: The open connection; closed by :meth:`close`.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def connection(self) -> CatalogReader:
        """Hold the connection for a few statements (``with reader.connection() as conn``).

        Errors pass through unchanged: a damaged file is for
        :class:`~reader.library.catalog.Catalog` to repair.
        """
        return self

    def __enter__(self) -> sqlite3.Connection:
        return self._conn

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def open_reader(path: Root) -> CatalogReader | None:
    """Open an existing catalog file to search it, changing nothing.

    Args:
        path: The catalog file (see :func:`catalog_path`).

    Returns:
        The open catalog, or ``None`` if the file is missing, cannot be opened, is not a
        catalog of this version, was never refreshed, or looks damaged.
    """
    # mode=rw: never create the file (that, and any repair, is Catalog's job).
    uri = "file:" + _uri_path(os.path.abspath(path)) + "?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=READ_TIMEOUT, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        reason = stale_reason(conn)
        if reason is not None:
            raise LookupError(reason)
        # As Catalog.is_empty: an empty catalog is refreshed before it is searched.
        if (
            conn.execute("SELECT 1 FROM meta WHERE key = 'refreshed'").fetchone() is None
            and conn.execute("SELECT 1 FROM variants LIMIT 1").fetchone() is None
        ):
            raise LookupError("never refreshed")
        # The same settings as Catalog's own connection, for the same query plans.
        conn.execute("PRAGMA temp_store = MEMORY")
    except (sqlite3.Error, LookupError, TypeError):
        conn.close()
        return None
    return CatalogReader(conn)

"""A refresh of the catalog: walk the roots, compare, read and write, group.

:meth:`reader.library.catalog.Catalog.refresh` runs a :class:`Refresh`, which uses the
catalog only through :class:`CatalogConnections`.

Never imports Textual.
"""

from __future__ import annotations

import os
import sqlite3
import time
from array import array
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from reader.library.catalog_db import (
    IN_CHUNK,
    clear,
    ensure_grouping_indexes,
    give_back_free_pages,
    is_clean,
    read_meta,
    read_transaction,
    rows_where,
    set_meta,
    write_counter,
)
from reader.library.catalog_file import roots_key
from reader.library.catalog_group import Found, Members, regroup
from reader.library.catalog_read import ReadResult, read_pages
from reader.library.catalog_rows import (
    LOAD_COLUMNS,
    VariantMaker,
    first_page_json,
    gc_paused,
    load_articles,
)
from reader.library.catalog_walk import (
    FLAT_MASK,
    PROGRESS_EVERY,
    Locations,
    RefreshProgress,
    Walk,
    still_valid,
)
from reader.library.catalog_write import BatchWriter, delete_rows, last_variant_id
from reader.library.index_text import MAX_VARIANT_ID
from reader.library.model import SHOWN_KINDS, Article, Problem, Variant
from reader.library.scan import ScanResult, locate_relative, sort_articles

#: Files read between two commits of a refresh.
BATCH_FILES = 500
#: A file modified less than this before it was read is read again next time, because
#: a change within the same timestamp tick would not show in its mtime (FAT: 2 s).
RACY_NS = 2_000_000_000
#: A refresh groups only the articles that changed files belong to, unless more than
#: this many files (or a tenth of the library) changed; then it groups everything.
INCREMENTAL_MAX = 5000

_NO_FILE = (None, None, None, None, None)
_COMPARE_COLUMNS = (
    "id, root, rel, size, mtime_ns, checked_ns, path_key, translation_key, article_key,"
    " language, language_source"
)
_GROUP_COLUMNS = (
    "id, root, rel, relpath, path_key, translation_key, article_key, language, language_source"
)


class CatalogConnections(Protocol):
    """What a refresh needs of a catalog: its connections, and whether it is a file."""

    @property
    def path(self) -> Path | None:
        """The catalog file, or ``None`` in memory."""

    def connection(self) -> AbstractContextManager[sqlite3.Connection]:
        """The shared connection, held for a few statements."""

    def writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """The shared connection in a write transaction, committed at the end."""

    def bulk_reader(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection for reading every row, without holding the shared one."""


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


class Refresh:
    """One run of :meth:`Catalog.refresh`: walk, compare, read and write, group.

    Memory stays small however big the library: the walk is packed bytes, the catalog's
    rows are compared as they stream by, and only the articles that changed files belong
    to are grouped again (see :meth:`_group_some`); when nothing changed, the caller's
    articles (or the rows, as :meth:`Catalog.load` reads them) are the result.
    """

    def __init__(
        self,
        catalog: CatalogConnections,
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
        self.roots_json = roots_key(roots)
        self.bases = [str(root) for root in roots]
        self.walk: Walk
        self.meta: dict[str, str] = {}
        #: Files to read: ``walk position << 32 | flat entry number``, in walk order.
        self.to_read: array[int] = array("Q")
        self.removed: list[tuple[int, int, bytes]] = []  # (id, root, rel)
        #: Problems of reading, each with the walk position and the file's row values.
        self.read_problems: list[Found] = []
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
        """Walk, compare, read and write, group; return the report."""
        with self.catalog.connection() as conn:
            if read_meta(conn).get("roots", self.roots_json) != self.roots_json:
                clear(conn)  # the file holds another library
        with gc_paused():
            self.walk = Walk(self.roots, self.progress)
        self.report.files = self.walk.count
        with self.catalog.connection() as conn:
            if last_variant_id(conn) + self.walk.count >= MAX_VARIANT_ID:
                # Ids are never reused, so years of rewritten files could run them out
                # of the rowid bits they have (index_text.VARIANT_BITS): start afresh.
                clear(conn)
        base: dict[str, Article] | None = None
        with self.catalog.bulk_reader() as conn, read_transaction(conn):
            self.meta = read_meta(conn)
            self.writes = write_counter(self.meta.get("writes"))
            clean = is_clean(self.meta, self.default_language)
            self.stored_problems = conn.execute(
                "SELECT stage, path, reason, kind, root, rel, size, mtime_ns, ctime_ns"
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
                    with gc_paused():
                        base, _ = load_articles(conn, self.bases)
        if base is not None and not changes:
            self._finish_unchanged(base)
            return self.report
        self._delete_removed()
        self._read()
        with gc_paused():
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
        with self.catalog.writing() as conn:
            found = conn.execute("SELECT value FROM meta WHERE key = 'writes'").fetchone()
            writes = write_counter(found[0] if found is not None else None)
            if writes != self.writes:
                self.interfered = True
            self.writes = writes + 1
            set_meta(conn, dirty="1", roots=self.roots_json, writes=str(self.writes))
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
                and still_valid(
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
                if problem is not None and problem[3] in SHOWN_KINDS:
                    values = (root, rel, file_size, file_mtime, file_ctime)
                    self._note_problem(
                        position, Problem(problem[1], problem[2], problem[3]), values
                    )
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
                skipped = problem is not None and problem[3] not in SHOWN_KINDS
                if problem is not None and skipped and tuple(problem[6:]) == values[2:]:
                    # Could not be read, and untouched since (even its permissions).
                    self._note_problem(
                        position, Problem(problem[1], problem[2], problem[3]), values
                    )
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
            delete_rows(conn, [vid for vid, _, _ in self.removed])

    def _read(self) -> None:
        """Read the files, writing each batch of :data:`BATCH_FILES` in one transaction."""
        done, total = self.report.unchanged, self.walk.count
        locations = Locations(self.walk, self.to_read)
        results = read_pages(locations, self.default_language, self.max_bytes)
        batch: list[tuple[int, ReadResult]] = []
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

    def _write(self, batch: list[tuple[int, ReadResult]]) -> None:
        walk = self.walk
        files: list[tuple[int, int, bytes, bytes, ReadResult]] = []
        for packed, result in batch:
            root, entry = walk.entry(packed & FLAT_MASK)
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
                for start in range(0, len(rels), IN_CHUNK)
                for (vid,) in conn.execute(
                    "SELECT id FROM variants WHERE root = ? AND rel IN"
                    f" ({','.join('?' * len(rels[start : start + IN_CHUNK]))})",
                    (root, *rels[start : start + IN_CHUNK]),
                )
            ]
            delete_rows(conn, old)
            writer = BatchWriter(conn)
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

    def _group_all(self) -> tuple[dict[str, Article], list[Found]]:
        """Group every row, store the article keys, and build the articles."""
        walk = self.walk
        with self.catalog.bulk_reader() as conn, read_transaction(conn):
            members = Members()
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
            problems, updates, _ = regroup(conn, members)
        del members
        # Nothing needs the walk's entries any more: free them before the articles come.
        self.walk.entries = [[] for _ in self.walk.entries]
        if updates:
            with self._writing() as conn:
                conn.executemany("UPDATE variants SET article_key = ? WHERE id = ?", updates)
        del updates
        with self.catalog.bulk_reader() as conn, read_transaction(conn):
            articles, _ = load_articles(conn, self.bases)
        self._ensure_indexes()
        return articles, problems

    def _group_some(self, base: dict[str, Article]) -> tuple[dict[str, Article], list[Found]]:
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
                        found.extend(rows_where(conn, _GROUP_COLUMNS, column, wanted))
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
                members = Members()
                for row in affected.values():
                    vid, root, rel, _, path_key, translation_key, article_key, *rest = row
                    position = self.walk.position(root, rel)
                    members.add(vid, position, path_key, translation_key, article_key, *rest)
                problems, updates, grouped = regroup(conn, members)
                # A group's key may equal the key of an untouched article: they merge.
                new_keys = grouped - keys
                if not new_keys:
                    break
            conn.executemany("UPDATE variants SET article_key = ? WHERE id = ?", updates)
        regrouped: dict[str, dict[str, Variant]] = {}
        make = VariantMaker(self.bases)
        with self.catalog.bulk_reader() as conn, read_transaction(conn):
            for row in rows_where(conn, LOAD_COLUMNS, "id", [vid for vid in affected]):
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
            root, entry = self.walk.entry(packed & FLAT_MASK)
            idents.add((root, self.walk.rel(entry)))
        walk = self.walk
        for stage, path, reason, kind, root, rel, *_ in self.stored_problems:
            if stage == "group" and (root, rel) not in idents:
                values = (root, rel, None, None, None)
                problems.append((walk.position(root, rel), Problem(path, reason, kind), values))
        problems.sort(key=lambda item: item[0])
        return sort_articles(articles), problems

    def _ensure_indexes(self) -> None:
        """Create the indexes :meth:`_group_some` needs, if the catalog lacks them."""
        with self.catalog.bulk_reader() as conn:
            ensure_grouping_indexes(conn, private=self.catalog.path is not None)

    # --- finishing ------------------------------------------------------------------------

    def _file_problems(self) -> tuple[list[Problem], list[tuple[object, ...]]]:
        """Walk and read problems in walk order, as a scan reports them, and their rows."""
        merged: list[tuple[int, int, Problem, tuple[object, ...]]] = [
            (
                position,
                0,
                problem,
                ("walk", problem.path, problem.reason, problem.kind, *_NO_FILE),
            )
            for position, problem in self.walk.problems
        ]
        merged.extend(
            (position, 1, problem, ("read", problem.path, problem.reason, problem.kind, *values))
            for position, problem, values in self.read_problems
        )
        merged.sort(key=lambda item: (item[0], item[1]))
        return [item[2] for item in merged], [item[3] for item in merged]

    def _finish_unchanged(self, articles: dict[str, Article]) -> None:
        """No page file changed: keep the articles and write only what else changed."""
        problems, rows = self._file_problems()
        for stage, path, reason, kind, *values in self.stored_problems:
            if stage == "group":
                problems.append(Problem(path, reason, kind))
                rows.append((stage, path, reason, kind, *values))
        stored = [tuple(row) for row in self.stored_problems]
        fresh = [tuple(row) for row in rows]
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
        group_problems: list[Found],
    ) -> None:
        """Store the problems, clear ``dirty``, fill in the report."""
        problems, rows = self._file_problems()
        for _, problem, values in group_problems:
            problems.append(problem)
            rows.append(("group", problem.path, problem.reason, problem.kind, *values))
        stamp = self._store(rows, articles)
        with self.catalog.writing() as conn:
            give_back_free_pages(conn)
        self._report(articles, problems, stamp)

    def _store(self, rows: list[tuple[object, ...]], articles: dict[str, Article]) -> str | None:
        """Write the problems and the meta data of a finished refresh; return its stamp."""
        stamp = str(time.time_ns())
        with self._writing() as conn:
            conn.execute("DELETE FROM problems")
            conn.executemany(
                "INSERT INTO problems (stage, path, reason, kind, root, rel, size, mtime_ns,"
                " ctime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            set_meta(
                conn,
                dirty="0",
                roots=self.roots_json,
                default_language=self.default_language,
                max_bytes=str(self.max_bytes),
                files=str(self.walk.count),
                articles=str(len(articles)),
                first_page=first_page_json(articles),
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

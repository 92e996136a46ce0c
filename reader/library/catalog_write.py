"""Writing variants: rows, texts and index entries in bulk, and deleting them.

Never imports Textual.
"""

from __future__ import annotations

import sqlite3
import time

from reader.library.catalog_read import ReadResult
from reader.library.index_text import block_rowid, read_texts, text_range, text_rows
from reader.library.search import index_text

#: Languages whose text is indexed character by character (primary subtags).
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})


class BatchWriter:
    """Insert variants and their paragraphs in bulk, with ids chosen here.

    Ids follow the largest id the table ever had (``AUTOINCREMENT``), so a paragraph
    rowid (id << 16 | index) is never reused.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: list[tuple[object, ...]] = []
        self.texts: list[tuple[int, bytes]] = []
        self.indexed: list[tuple[int, str]] = []
        #: Paragraphs of Chinese, Japanese and Korean variants, indexed after the others.
        self.indexed_cjk: list[tuple[int, str]] = []
        self.indexed_titles: list[tuple[int, str]] = []
        self.next_id = last_variant_id(conn) + 1
        self.checked_ns = time.time_ns()

    def add(self, root: int, rel: bytes, result: ReadResult) -> int:
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
        self.texts.extend(text_rows(vid, result.packed))
        last = len(result.indexed) - 1  # the title comes last
        cjk = language.split("-")[0].lower() in CJK_LANGUAGES
        blocks = self.indexed_cjk if cjk else self.indexed
        for index, indexed in enumerate(result.indexed):
            if indexed.strip():  # blank exactly when the text is
                if index == last:
                    self.indexed_titles.append((vid, indexed))
                else:
                    blocks.append((block_rowid(vid, index), indexed))
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
        # The CJK paragraphs together, after the others: their characters (a CJK text is
        # indexed by character, thousands of distinct ones) then sit in one or two of the
        # segments FTS5 flushes per batch instead of in every one. Random-word benchmark
        # library, the writing process: 24.6-24.9 -> 23.0-23.4 s of CPU. (Their smaller
        # rowids make FTS5 flush once more, which is all it costs.)
        self.conn.executemany("INSERT INTO fts (rowid, text) VALUES (?, ?)", self.indexed)
        self.conn.executemany("INSERT INTO fts (rowid, text) VALUES (?, ?)", self.indexed_cjk)
        self.conn.executemany(
            "INSERT INTO fts_titles (rowid, text) VALUES (?, ?)", self.indexed_titles
        )
        self.rows, self.texts, self.indexed, self.indexed_titles = [], [], [], []
        self.indexed_cjk = []


def last_variant_id(conn: sqlite3.Connection) -> int:
    """The largest variant id the catalog ever gave out."""
    (last,) = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'variants'), 0),"
        " coalesce((SELECT max(id) FROM variants), 0))"
    ).fetchone()
    return int(last)


def delete_rows(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Delete variant rows with their texts and index entries."""
    blocks: list[tuple[int, str]] = []
    titles: list[tuple[int, str]] = []
    for vid in ids:
        texts = read_texts(conn, vid)
        if texts is None:
            continue
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
    conn.executemany("DELETE FROM texts WHERE id >= ? AND id < ?", map(text_range, ids))
    conn.executemany("DELETE FROM variants WHERE id = ?", [(vid,) for vid in ids])

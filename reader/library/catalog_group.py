"""Grouping catalog rows into articles, as a scan of their files would.

Never imports Textual.
"""

from __future__ import annotations

import sqlite3
from array import array

from reader.library.model import Problem
from reader.library.scan import group_entries

#: A problem with its walk position and its row values ``(root, rel, size, mtime, ctime)``.
Found = tuple[int, Problem, tuple[object, ...]]


class Members:
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
        """Add one row."""
        share = self._shared.setdefault
        self.ids.append(vid)
        self.positions.append(position)
        self.path_keys.append(share(path_key, path_key))
        self.translation_keys.append(translation_key)
        self.from_path.append(source in ("filename", "directory"))
        self.languages.append(share(language, language))
        self.stored.append(None if article_key is None else share(article_key, article_key))


def regroup(
    conn: sqlite3.Connection, members: Members
) -> tuple[list[Found], list[tuple[str | None, int]], set[str]]:
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
        (key, ids[index]) for index, key in enumerate(wanted) if key != members.stored[order[index]]
    ]
    problems: list[Found] = []
    for index, problem in dropped:
        root, rel, _ = detail(index)
        position = members.positions[order[index]]
        problems.append((position, problem, (root, rel, None, None, None)))
    return problems, updates, set(grouped)

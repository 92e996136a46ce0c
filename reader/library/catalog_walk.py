"""The walk of a refresh: the page files under the roots, kept compactly.

Never imports Textual.
"""

from __future__ import annotations

import bisect
import os
import struct
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import overload

from reader.languages import AUTO_LANGUAGE
from reader.library.model import Problem
from reader.library.scan import (
    FALLBACK_LANGUAGE,
    PageLocation,
    PathFacts,
    iter_page_files,
    language_directories,
    locate_relative,
    safe_relpath,
)

#: ``progress`` is called after this many files.
PROGRESS_EVERY = 100

RefreshProgress = Callable[[int, int, str], None]
"""``progress(done, total, relpath)``; ``total`` is 0 while the roots are still walked."""

#: The flat entry number in a packed file to read (its walk position is above it).
FLAT_MASK = 0xFFFFFFFF
#: A walked file after its relative path and a NUL: size, mtime_ns, ctime_ns, position.
_ENTRY = struct.Struct("<qqqI")


class Walk:
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
        """The relative path of an entry, as bytes."""
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
        """The page location of a file, as a scan would make it."""
        relative = os.fsdecode(rel)
        facts = locate_relative(relative, self.directories[root])
        if facts is None:  # the walk only finds pages; keep going if it ever does not
            facts = PathFacts(safe_relpath(relative), None, "default", "text")
        path = os.path.join(self.bases[root], relative)
        return PageLocation(path, safe_relpath(relative), *facts)


class Locations(Sequence[PageLocation]):
    """The files to read, as :class:`PageLocation` objects made only when asked for.

    ``packed`` holds ``walk position << 32 | flat entry number`` per file, in walk order.
    """

    def __init__(self, walk: Walk, packed: array[int]) -> None:
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
        root, entry = self.walk.entry(self.packed[index] & FLAT_MASK)
        return self.walk.location(root, self.walk.rel(entry))


class Sizes(Sequence[int]):
    """The bytes a worker reads of each file to read (its size, up to ``max_bytes``)."""

    def __init__(self, locations: Locations, max_bytes: int) -> None:
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
        _, entry = walk.entry(self.locations.packed[index] & FLAT_MASK)
        return min(walk.info(entry)[0], self.max_bytes)


def still_valid(
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

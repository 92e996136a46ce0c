"""Imported pages on disk: ``<slug>.<lang>.md`` with TOML front matter, written atomically.

The front matter holds ``title``, ``date``, ``lang``, ``translationKey``, ``source`` (the
page's canonical or final URL) and ``fetched``. Adding a page again finds the files it
wrote before by their ``source`` (or by any URL the page went by), and replaces them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tomli_w

from reader.library.frontmatter import FrontMatterError, parse_front_matter, split_front_matter

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 60


@dataclass(frozen=True)
class Existing:
    """A file an earlier import wrote."""

    path: Path
    key: str | None
    language: str | None


@dataclass(frozen=True)
class Planned:
    """A variant ready to be written."""

    language: str
    title: str
    date: str | None
    source: str
    markdown: str


def existing_sources(library: Path) -> dict[str, Existing]:
    """``source`` URL -> file, for every Markdown file at the top of ``library``."""
    found: dict[str, Existing] = {}
    try:
        entries = list(os.scandir(library))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.endswith(".md") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, encoding="utf-8", errors="replace") as file:
                head = file.read(8192)
        except OSError:
            continue
        kind, raw, _ = split_front_matter(head)
        if kind is None or raw is None:
            continue
        try:
            matter = parse_front_matter(kind, raw)
        except FrontMatterError:
            continue
        if matter.source:
            found[matter.source] = Existing(Path(entry.path), matter.translation_key, matter.lang)
    return found


def slug_for(url: str, title: str) -> str:
    """A file-name slug: the URL's last path segment, else the title, ASCII only."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        path = ""
    segments = [s for s in path.split("/") if s]
    candidate = segments[-1] if segments else ""
    candidate = re.sub(r"\.(html?|php|aspx?|jsp)$", "", candidate, flags=re.I)
    # "/de/article/" style: the last segment may be the language or "index".
    if candidate.lower() in ("index", "") and len(segments) > 1:
        candidate = segments[-2]
    slug = _slugify(candidate)
    if len(slug) < 3 or slug.isdigit():
        slug = _slugify(title) or slug or "article"
    return slug[:_MAX_SLUG].strip("-") or "article"


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_CHARS.sub("-", ascii_text.lower()).strip("-")


def render(planned: Planned, key: str, fetched: dt.datetime) -> str:
    """The file's text: TOML front matter, then the Markdown body."""
    matter: dict[str, object] = {"title": planned.title}
    if planned.date:
        with contextlib.suppress(ValueError):
            matter["date"] = dt.date.fromisoformat(planned.date)
    matter.update(
        {
            "lang": planned.language,
            "translationKey": key,
            "source": planned.source,
            "fetched": fetched,
        }
    )
    return f"+++\n{tomli_w.dumps(matter)}+++\n\n{planned.markdown}"


def write_variants(
    library: Path,
    slug: str,
    key: str,
    planned: list[Planned],
    replace: dict[str, Path],
    obsolete: Sequence[Path] = (),
) -> list[Path]:
    """Write every variant atomically: all temp files first, then one ``os.replace`` each.

    Args:
        library: The library directory (created if missing).
        slug: File-name stem.
        key: The article's ``translationKey``.
        planned: The variants.
        replace: Language -> an earlier file of this article to overwrite (its name is
            kept, so that a user's renaming survives).
        obsolete: Earlier files of these pages under another language tag, removed
            once the new ones are in place.

    Returns:
        The paths written.

    Raises:
        OSError: If the library cannot be written; then nothing was replaced.
    """
    library.mkdir(parents=True, exist_ok=True)
    fetched = dt.datetime.now(dt.UTC).replace(microsecond=0)
    staged: list[tuple[str, Path]] = []
    try:
        for variant in planned:
            target = replace.get(variant.language) or library / f"{slug}.{variant.language}.md"
            handle, temp = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=library)
            staged.append((temp, target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(render(variant, key, fetched))
                file.flush()
                os.fsync(file.fileno())
    except BaseException:
        for temp, _ in staged:
            _unlink(temp)
        raise
    written: list[Path] = []
    for temp, target in staged:
        os.replace(temp, target)
        written.append(target)
    for path in obsolete:
        if path not in written:
            _unlink(str(path))
    _fsync_dir(library)
    return written


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

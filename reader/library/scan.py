"""Walk a library directory and turn its files into variants grouped into articles.

Grouping rules (ARCHITECTURE.md, "Content on disk"):

* ``post.de.md``: the last suffix before the extension names the language if it is a
  real two-letter language tag; otherwise the file is in the library's default language.
* ``<root>/<lang>/path/post.md``: top-level directories named by language tags.
* ``translationKey`` in front matter joins variants whose paths differ.
* Hugo's ``index.md`` is the page of its directory; ``_index.md`` the section page.

One bad file never stops a scan: it becomes a :class:`Problem` with a reason.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.languages import normalize_tag, tag_from_filename_suffix
from reader.library.decode import DEFAULT_MAX_BYTES, UndecodableError, read_text_file
from reader.library.model import Article, Document, Problem, Variant

#: ``default_language`` value that asks for detection of untagged pages.
AUTO_LANGUAGE = "auto"
#: Where detection cannot tell (too little text), untagged pages are in this language.
FALLBACK_LANGUAGE = "en"

PAGE_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
#: Directories never entered: version control, caches, virtual environments.
SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv"}
MAX_DEPTH = 64

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class PageLocation:
    """Where a page sits and what its path says about it.

    Attributes:
        path: Absolute path on disk (may hold undecodable bytes as surrogates).
        relpath: Root-relative path with ``/``, safe to store (surrogates replaced).
        path_key: The article key the path gives (language and extension removed).
        language: The language the path gives, or ``None``.
        language_source: ``"filename"`` or ``"directory"`` when ``language`` is set.
        kind: ``"markdown"`` or ``"text"``.
    """

    path: Path
    relpath: str
    path_key: str
    language: str | None
    language_source: str
    kind: str


@dataclass
class ScanResult:
    """What a scan found.

    Attributes:
        articles: Articles by key, in display order.
        problems: Files skipped or degraded, with reasons.
        files: How many page files were looked at.
    """

    articles: dict[str, Article] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


def safe_relpath(relative: str) -> str:
    """Replace undecodable bytes (surrogate escapes) so the path can be stored in TOML."""
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def language_directories(root: Path) -> dict[str, str]:
    """Return ``{directory name: tag}`` for the root's top-level language directories."""
    found: dict[str, str] = {}
    try:
        entries = list(os.scandir(root))
    except OSError:
        return found
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir and (tag := tag_from_filename_suffix(entry.name)):
            found[entry.name] = tag
    return found


def locate(root: Path, path: Path, language_dirs: dict[str, str]) -> PageLocation | None:
    """Work out the key and language a page's path gives, or ``None`` if it is no page."""
    extension = path.suffix.lower()
    kind = PAGE_EXTENSIONS.get(extension)
    if kind is None:
        return None
    relative = path.relative_to(root).as_posix()
    parts = relative.split("/")
    language: str | None = None
    source = "default"
    if len(parts) > 1 and parts[0] in language_dirs:
        language, source = language_dirs[parts[0]], "directory"
        parts = parts[1:]
    stem = parts[-1][: -len(extension)]
    if "." in stem:
        base, _, suffix = stem.rpartition(".")
        tag = tag_from_filename_suffix(suffix)
        if tag is not None and base:
            stem = base
            if language is None:
                language, source = tag, "filename"
    directory = parts[:-1]
    if stem == "index" and directory:
        key_parts = directory
    elif stem == "_index":
        key_parts = [*directory, "_index"]
    else:
        key_parts = [*directory, stem]
    key = safe_relpath("/".join(key_parts))
    return PageLocation(path, safe_relpath(relative), key, language, source, kind)


def iter_page_paths(root: Path, problems: list[Problem]) -> Iterator[Path]:
    """Yield every page file under ``root``, depth first, in sorted order.

    Symlinked directories are followed once (a loop is reported, never entered twice);
    FIFOs, sockets and devices are reported and skipped without being opened.
    """
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        directory, depth = stack.pop()
        try:
            info = directory.stat()
        except OSError as error:
            problems.append(Problem(safe_relpath(str(directory)), _os_reason(error)))
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in seen:
            problems.append(Problem(safe_relpath(str(directory)), "directory loop (symlink)"))
            continue
        seen.add(identity)
        if depth > MAX_DEPTH:
            problems.append(Problem(safe_relpath(str(directory)), "nested too deeply"))
            continue
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            problems.append(Problem(safe_relpath(str(directory)), _os_reason(error)))
            continue
        subdirectories: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                mode = entry.stat().st_mode
            except OSError as error:
                if path.suffix.lower() in PAGE_EXTENSIONS or entry.is_symlink():
                    problems.append(Problem(safe_relpath(str(path)), _os_reason(error)))
                continue
            if stat.S_ISDIR(mode):
                if entry.name not in SKIPPED_DIRECTORIES:
                    subdirectories.append(path)
            elif path.suffix.lower() in PAGE_EXTENSIONS:
                if stat.S_ISREG(mode):
                    yield path
                else:
                    problems.append(Problem(safe_relpath(str(path)), "not a regular file"))
        stack.extend((sub, depth + 1) for sub in reversed(subdirectories))


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno == errno.ENAMETOOLONG:
        return "path too long"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ENOENT:
        return "vanished or dangling symlink"
    return error.strerror or type(error).__name__


def parse_page(location: PageLocation, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse one page.

    Raises:
        OSError: The file cannot be read.
        UndecodableError: The file is not text.
    """
    from reader.library.markdown_page import parse_markdown_page
    from reader.library.text_page import parse_text_page

    decoded = read_text_file(str(location.path), max_bytes)
    if location.kind == "markdown":
        document = parse_markdown_page(decoded.text)
    else:
        document = parse_text_page(decoded.text)
    notices = list(document.notices)
    if decoded.truncated:
        notices.insert(0, f"This file is larger than {max_bytes // 1024} KiB; the rest is cut.")
    if decoded.encoding not in ("utf-8", "ascii"):
        notices.append(f"Decoded from {decoded.encoding}.")
    if notices != list(document.notices):
        document = replace(document, notices=tuple(notices))
    return document


def _fallback_title(location: PageLocation) -> str:
    name = location.path_key.rsplit("/", 1)[-1]
    if name == "_index":
        name = location.path_key.rsplit("/", 2)[-2] if "/" in location.path_key else "index"
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or location.relpath


@dataclass(frozen=True)
class ScannedPage:
    """A page read during a scan, before grouping."""

    location: PageLocation
    variant: Variant
    translation_key: str | None


def read_page(
    location: PageLocation, default_language: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ScannedPage | None, Problem | None]:
    """Read one page into a :class:`ScannedPage`, or say why it could not be used."""
    page, problem, _ = read_page_document(location, default_language, max_bytes)
    return page, problem


def _unnamed_language(document: Document, default_language: str) -> tuple[str, str]:
    """The language of a page that names none: the configured default, or detected."""
    if default_language != AUTO_LANGUAGE:
        return default_language, "default"
    from reader.library.detect import detect_language

    sample = document.title + "\n" + "\n".join(b.plain_text for b in document.blocks[:8])
    detected = detect_language(sample)
    if detected is None:
        return FALLBACK_LANGUAGE, "default"
    return detected, "detected"


def read_page_document(
    location: PageLocation, default_language: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ScannedPage | None, Problem | None, Document | None]:
    """Like :func:`read_page`, and also return the parsed document (for the search index).

    Returns:
        ``(page, problem, document)``; ``page`` and ``document`` are ``None`` when the
        file could not be used, ``problem`` says why (or notes a degraded page).
    """
    try:
        info = os.stat(location.path)
        document = parse_page(location, max_bytes)
    except UndecodableError as error:
        return None, Problem(location.relpath, str(error)), None
    except OSError as error:
        return None, Problem(location.relpath, _os_reason(error)), None
    except RecursionError:
        return None, Problem(location.relpath, "structure nested too deeply to parse"), None
    problem: Problem | None = None
    for notice in document.notices:
        if notice.startswith(("Front matter ignored", "This file is larger", "Only the first")):
            problem = Problem(location.relpath, notice, skipped=False)
            break
    language = location.language
    source = location.language_source
    if language is None and document.language:
        language = normalize_tag(document.language)
        source = "front matter"
    if language is None:
        language, source = _unnamed_language(document, default_language)
    variant = Variant(
        key=location.path_key,
        language=language,
        path=location.path,
        relpath=location.relpath,
        title=document.title or _fallback_title(location),
        date=document.date,
        advertised=document.advertised,
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        paragraphs=document.paragraph_count,
        language_source=source,
    )
    return ScannedPage(location, variant, document.translation_key), problem, document


def group_pages(pages: list[ScannedPage], problems: list[Problem]) -> dict[str, Article]:
    """Group pages into articles by path key and ``translationKey`` (union of both)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for page in pages:
        path_node = "p:" + page.variant.key
        find(path_node)
        if page.translation_key:
            parent[find(path_node)] = find("t:" + page.translation_key)
    groups: dict[str, list[ScannedPage]] = {}
    for page in pages:
        groups.setdefault(find("p:" + page.variant.key), []).append(page)
    articles: dict[str, Article] = {}
    for members in groups.values():
        translation_keys = sorted({p.translation_key for p in members if p.translation_key})
        key = translation_keys[0] if translation_keys else min(p.variant.key for p in members)
        variants: dict[str, Variant] = {}
        for page in sorted(members, key=lambda p: (p.location.language is None, p.variant.relpath)):
            language = page.variant.language
            if language in variants:
                problems.append(
                    Problem(
                        page.variant.relpath,
                        f"second {language} variant of '{key}' (kept {variants[language].relpath})",
                    )
                )
                continue
            variants[language] = replace(page.variant, key=key)
        if key in articles:
            for language, variant in variants.items():
                articles[key].variants.setdefault(language, variant)
        else:
            articles[key] = Article(key, dict(sorted(variants.items())))
    return dict(sorted(articles.items(), key=lambda item: _display_order(item[1])))


def _display_order(article: Article) -> tuple[int, str, str]:
    date = article.date or ""
    # Newest first, undated last, then by key; reversing the date keeps one sort.
    inverted = "".join(chr(0x10FFFF - ord(c)) for c in date)
    return (0 if date else 1, inverted, article.key)


def scan_library(
    roots: list[Path],
    default_language: str = AUTO_LANGUAGE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: ProgressCallback | None = None,
) -> ScanResult:
    """Scan one or more library roots.

    Args:
        roots: Library directories.
        default_language: Language of files whose path and front matter name none.
        max_bytes: Size limit per file.
        progress: Called with (files done, current relative path) now and then.
    """
    result = ScanResult()
    pages: list[ScannedPage] = []
    for root in roots:
        directories = language_directories(root)
        for path in iter_page_paths(root, result.problems):
            location = locate(root, path, directories)
            if location is None:
                continue
            result.files += 1
            page, problem = read_page(location, default_language, max_bytes)
            if problem is not None:
                result.problems.append(problem)
            if page is not None:
                pages.append(page)
            if progress is not None and result.files % 50 == 0:
                progress(result.files, location.relpath)
    result.articles = group_pages(pages, result.problems)
    return result


def sort_articles(articles: dict[str, Article]) -> dict[str, Article]:
    """Return ``articles`` in display order: newest first, undated last, then by key."""
    return dict(sorted(articles.items(), key=lambda item: _display_order(item[1])))

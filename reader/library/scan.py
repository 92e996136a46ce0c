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
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from reader.languages import AUTO_LANGUAGE, normalize_tag, tag_from_filename_suffix
from reader.library.decode import DEFAULT_MAX_BYTES, UndecodableError, read_text_file
from reader.library.formats import PAGE_EXTENSIONS
from reader.library.model import Article, Document, Problem, Variant

#: Articles (or variants) worked through between two calls of a ``checkpoint``: the hook
#: an interface loading in a thread uses to pause while the user types.
CHECKPOINT_EVERY = 250
#: Where detection cannot tell (too little text), untagged pages are in this language.
FALLBACK_LANGUAGE = "en"

#: Directories never entered: version control, caches, virtual environments.
SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv"}
MAX_DEPTH = 64

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class PageLocation:
    """Where a page sits and what its path says about it.

    Attributes:
        path: The file's path: the root as given joined with the relative path (may
            hold undecodable bytes as surrogates).
        relpath: Root-relative path with ``/``, safe to store (surrogates replaced).
        path_key: The article key the path gives (language and extension removed).
        language: The language the path gives, or ``None``.
        language_source: ``"filename"`` or ``"directory"`` when ``language`` is set.
        kind: ``"markdown"`` or ``"text"``.
    """

    path: str
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
        stamp: For a result that came from a catalog: which state of the catalog it
            shows (see :meth:`reader.library.catalog.Catalog.refresh`); else ``None``.
    """

    articles: dict[str, Article] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    stamp: str | None = None


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


class PathFacts(NamedTuple):
    """What a page's relative path says about it (see :func:`locate_relative`)."""

    path_key: str
    language: str | None
    language_source: str
    kind: str


def page_suffix(name: str) -> str:
    """The extension of a file name, as :attr:`pathlib.PurePath.suffix` gives it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def locate_relative(relative: str, language_dirs: dict[str, str]) -> PathFacts | None:
    """Work out the key and language a root-relative path (``/``-separated) gives.

    Returns ``None`` if the path is no page.
    """
    parts = relative.split("/")
    extension = page_suffix(parts[-1]).lower()
    kind = PAGE_EXTENSIONS.get(extension)
    if kind is None:
        return None
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
    return PathFacts(safe_relpath("/".join(key_parts)), language, source, kind)


def relative_path(root: Path | str, path: Path | str) -> str:
    """``path`` relative to ``root``, with ``/`` separators.

    Raises:
        ValueError: ``path`` is not inside ``root``.
    """
    path_text, root_text = os.fspath(path), os.fspath(root)
    prefix = root_text if root_text.endswith(os.sep) else root_text + os.sep
    if path_text.startswith(prefix) and len(path_text) > len(prefix):
        relative = path_text[len(prefix) :]
        return relative.replace(os.sep, "/") if os.sep != "/" else relative
    return Path(path_text).relative_to(root_text).as_posix()


def locate(
    root: Path | str, path: Path | str, language_dirs: dict[str, str]
) -> PageLocation | None:
    """Work out the key and language a page's path gives, or ``None`` if it is no page."""
    relative = relative_path(root, path)
    facts = locate_relative(relative, language_dirs)
    if facts is None:
        return None
    return PageLocation(os.fspath(path), safe_relpath(relative), *facts)


def iter_page_files(
    root: Path | str, problems: list[Problem]
) -> Iterator[tuple[str, str, os.stat_result]]:
    """Yield ``(path, relative, stat)`` for every page file under ``root``.

    Depth first: a directory's files (sorted by name), then its subdirectories (sorted).
    ``path`` is ``root`` joined with ``relative`` (``/``-separated, relative to the
    root); ``stat`` follows symlinks. FIFOs, sockets and devices are reported and
    skipped without being opened. Nothing is kept per file, so a big walk stays small.

    Symlinks are followed only where they lead inside the root (as resolved), so a
    link to ``/`` cannot make the walk read the whole system:

    * a symlink that leads outside the root, to a page or a directory, is reported
      ("symlink leads outside the library: <target>") and not followed;
    * a symlinked page inside the root is a page of the link's own name;
    * a symlinked directory inside the root that leads to one of its own ancestors is
      reported as a loop; any other is walked after everything else, and only if the
      walk has not been in its target yet (each directory is read once, under its real
      path where the walk reaches it: an alias never renames articles);
    * a link that cannot be resolved (a loop of links, a dangling one) is reported.

    Problems name files by their root-relative path, as read problems do (the root
    itself, as given).
    """
    root_text = str(Path(root))
    real_root = os.path.realpath(root_text)
    seen: set[tuple[int, int]] = set()
    # (path, relative prefix, depth, resolved path, reached through a symlink)
    stack: list[tuple[str, str, int, str, bool]] = [(root_text, "", 0, real_root, False)]
    # Symlinked directories inside the root, walked once the real tree has been.
    linked: deque[tuple[str, str, int, str, bool]] = deque()
    while stack or linked:
        if not stack:
            stack.append(linked.popleft())
        directory, prefix, depth, real, via_link = stack.pop()
        shown = safe_relpath(prefix[:-1] or root_text)
        try:
            info = os.stat(directory)
        except OSError as error:
            problems.append(Problem(shown, _os_reason(error), "unreadable"))
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in seen:
            # Through a symlink: read already, where the walk found it. Otherwise two
            # real paths are one directory (a bind mount into itself): a loop.
            if not via_link:
                problems.append(Problem(shown, "directory loop (symlink)", "directory_loop"))
            continue
        seen.add(identity)
        if depth > MAX_DEPTH:
            problems.append(Problem(shown, "nested too deeply", "too_deep"))
            continue
        try:
            with os.scandir(directory) as scanner:
                entries = sorted(scanner, key=lambda e: e.name)
        except OSError as error:
            problems.append(Problem(shown, _os_reason(error), "unreadable"))
            continue
        subdirectories: list[tuple[str, str, int, str, bool]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            relative = prefix + name
            is_page = page_suffix(name).lower() in PAGE_EXTENSIONS
            try:
                entry_info = entry.stat()
            except OSError as error:
                # A page, a link or a directory that cannot be looked at is reported: a
                # skipped directory may hold a whole part of the library.
                unreadable_dir = error.errno == errno.ENAMETOOLONG or _is_dir_entry(entry)
                if is_page or _is_symlink(entry) or unreadable_dir:
                    problems.append(
                        Problem(safe_relpath(relative), _os_reason(error), "unreadable")
                    )
                continue
            mode = entry_info.st_mode
            is_dir = stat.S_ISDIR(mode)
            if (is_dir and name in SKIPPED_DIRECTORIES) or not (is_dir or is_page):
                continue
            if _is_symlink(entry):
                target = os.path.realpath(entry.path)
                if not _within(target, real_root):
                    reason = f"symlink leads outside the library: {safe_relpath(target)}"
                    problems.append(Problem(safe_relpath(relative), reason, "outside_library"))
                    continue
                if is_dir:
                    if _within(real, target):
                        problems.append(
                            Problem(
                                safe_relpath(relative), "directory loop (symlink)", "directory_loop"
                            )
                        )
                    else:
                        linked.append((entry.path, relative + "/", depth + 1, target, True))
                    continue
            if is_dir:
                real_child = os.path.join(real, name)
                subdirectories.append((entry.path, relative + "/", depth + 1, real_child, via_link))
            elif stat.S_ISREG(mode):
                yield entry.path, relative, entry_info
            else:
                problems.append(Problem(safe_relpath(relative), "not a regular file", "not_a_file"))
        stack.extend(reversed(subdirectories))


def _within(path: str, directory: str) -> bool:
    """``True`` if the resolved ``path`` is ``directory`` or lies under it."""
    if path == directory:
        return True
    return path.startswith(directory if directory.endswith(os.sep) else directory + os.sep)


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _is_dir_entry(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


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
    from reader.library.markdown_simple import simple_markdown_page
    from reader.library.text_page import parse_text_page

    decoded = read_text_file(str(location.path), max_bytes)
    if location.kind == "markdown":
        document = simple_markdown_page(decoded.text) or parse_markdown_page(decoded.text)
    else:
        document = parse_text_page(decoded.text)
    notices = list(document.notices)
    problem_notice = document.problem_notice
    if decoded.truncated:
        cut = f"This file is larger than {max_bytes // 1024} KiB; the rest is cut."
        notices.insert(0, cut)
        problem_notice = ("cut", cut)
    if decoded.encoding not in ("utf-8", "ascii"):
        notices.append(f"Decoded from {decoded.encoding}.")
    if notices != list(document.notices):
        document = replace(document, notices=tuple(notices), problem_notice=problem_notice)
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
        return None, Problem(location.relpath, str(error), "not_text"), None
    except OSError as error:
        return None, Problem(location.relpath, _os_reason(error), "unreadable"), None
    except RecursionError:
        reason = "structure nested too deeply to parse"
        return None, Problem(location.relpath, reason, "parse_failed"), None
    problem: Problem | None = None
    if document.problem_notice is not None:
        kind, notice = document.problem_notice
        problem = Problem(location.relpath, notice, kind)
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


def group_entries(
    path_keys: Sequence[str],
    translation_keys: Sequence[str | None],
    from_path: Sequence[int],
    languages: Sequence[str],
    relpath: Callable[[int], str],
    problems: list[tuple[int, Problem]],
) -> dict[str, dict[str, int]]:
    """Group pages into articles by path key and ``translationKey`` (union of both).

    The pages are given as columns, in walk order: entry *i* has path key
    ``path_keys[i]``, ``translationKey`` ``translation_keys[i]``, language
    ``languages[i]``; ``from_path[i]`` is true if its path names the language (such a
    variant wins a tie). ``relpath(i)`` is asked only for pages that tie (two of one
    language in one article), which it orders, and for the problems it names.

    Args:
        problems: Receives ``(entry index, problem)`` for each page left out (a second
            variant of one language), in entry order.

    Returns:
        ``{article key: {language: entry index}}``, in no particular order; entries not
        in it are left out.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    count = len(path_keys)
    for index in range(count):
        path_node = "p:" + path_keys[index]
        find(path_node)
        translation_key = translation_keys[index]
        if translation_key:
            parent[find(path_node)] = find("t:" + translation_key)
    groups: dict[str, list[int]] = {}
    for index in range(count):
        groups.setdefault(find("p:" + path_keys[index]), []).append(index)
    articles: dict[str, dict[str, int]] = {}
    dropped: list[tuple[int, Problem]] = []
    for members in groups.values():
        found_keys = sorted({tk for i in members if (tk := translation_keys[i])})
        key = found_keys[0] if found_keys else min(path_keys[i] for i in members)
        variants: dict[str, int] = {}
        if len({languages[i] for i in members}) == len(members):
            for index in members:  # no tie: the order does not matter
                variants[languages[index]] = index
        else:
            for index in sorted(members, key=lambda i: (not from_path[i], relpath(i))):
                language = languages[index]
                if language in variants:
                    kept = relpath(variants[language])
                    reason = f"second {language} variant of '{key}' (kept {kept})"
                    dropped.append((index, Problem(relpath(index), reason, "duplicate")))
                    continue
                variants[language] = index
        if key in articles:
            for language, index in variants.items():
                articles[key].setdefault(language, index)
        else:
            articles[key] = variants
    dropped.sort(key=lambda item: item[0])
    problems.extend(dropped)
    return articles


def group_pages(pages: list[ScannedPage], problems: list[Problem]) -> dict[str, Article]:
    """Group pages into articles by path key and ``translationKey`` (union of both).

    A page left out (a second variant of one language) is appended to ``problems``;
    such problems come in the pages' order.
    """
    dropped: list[tuple[int, Problem]] = []
    grouped = group_entries(
        [page.variant.key for page in pages],
        [page.translation_key for page in pages],
        [page.location.language is not None for page in pages],
        [page.variant.language for page in pages],
        lambda index: pages[index].variant.relpath,
        dropped,
    )
    problems.extend(problem for _, problem in dropped)
    articles: dict[str, Article] = {}
    for key, members in grouped.items():
        variants = {}
        for language, index in sorted(members.items()):
            variant = pages[index].variant
            variants[language] = variant if variant.key == key else replace(variant, key=key)
        articles[key] = Article(key, variants)
    return sort_articles(articles)


def _display_order(article: Article) -> tuple[int, str, str]:
    date = article.date or ""
    # Newest first, undated last, then by key; reversing the date keeps one sort.
    return (0 if date else 1, _inverted(date), article.key)


@lru_cache(maxsize=4096)
def _inverted(date: str) -> str:
    """``date`` with every character mirrored, so that later dates sort first (dates
    repeat across articles: each is inverted once)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


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
        for path, relative, _ in iter_page_files(root, result.problems):
            facts = locate_relative(relative, directories)
            if facts is None:
                continue
            location = PageLocation(path, safe_relpath(relative), *facts)
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


def sort_articles(
    articles: dict[str, Article], checkpoint: Callable[[], None] | None = None
) -> dict[str, Article]:
    """Return ``articles`` in display order: newest first, undated last, then by key.

    ``checkpoint`` is called every few hundred articles while their order is worked out
    (most of the time, for 20,000 articles), as :meth:`Catalog.load` does.
    """
    order: list[tuple[tuple[int, str, str], str]] = []
    for key, article in articles.items():
        order.append((_display_order(article), key))
        if checkpoint is not None and not len(order) % CHECKPOINT_EVERY:
            checkpoint()
    order.sort()  # the keys are unique, so ties never reach the articles
    return {key: articles[key] for _, key in order}

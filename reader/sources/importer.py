"""``reader add URL``: a page and its language variants, into a library, as one article.

The page is fetched and extracted; the links to its other languages (``<link
rel=alternate hreflang>``, ``Link:`` headers, a visible language switcher) are followed
on the same site, six at a time; a "variant" that is really another page (a switcher
that sends a missing translation to the home page) is reported and skipped; every
variant is written as ``<slug>.<lang>.md`` in one go. Adding the page, or any of its
variants, again updates those files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reader.languages import normalize_tag, primary_subtag
from reader.sources import extract
from reader.sources.extract import ExtractError, Page, parse_page
from reader.sources.fetch import FetchError, check_url, fetch, host_of, make_client
from reader.sources.variants import candidates, page_language, same_site, same_url_key
from reader.sources.write import Planned, existing_sources, slug_for, write_variants

#: Variants fetched at once.
CONCURRENCY = 6


@dataclass
class ImportResult:
    """What an import did.

    Attributes:
        key: The article's key (its ``translationKey``).
        languages: The languages written, the page's own first.
        files: The files written (new or replaced).
        skipped: ``(url, reason)`` of every variant not imported.
        warnings: Things the user should know that did not stop anything (a page
            whose declared language and text disagree).
    """

    key: str
    languages: list[str]
    files: list[Path]
    skipped: list[tuple[str, str]]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Fetched:
    language: str
    page: Page


def import_article(
    url: str,
    library: Path,
    *,
    only: set[str] | None = None,
    variants: bool = True,
    any_host: bool = False,
    client: Any = None,
    progress: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import the page at ``url`` and its language variants into ``library``.

    Args:
        url: An http(s) URL of an article page.
        library: The library directory (created if missing).
        only: Write only these languages (tags; the page is fetched regardless, for its
            links).
        variants: Follow the page's links to other languages.
        any_host: Follow language links to other sites too.
        client: An :func:`reader.sources.fetch.make_client` client to use (else one is
            made and closed).
        progress: Called with one line per variant fetched or skipped (from worker
            threads, one call at a time).
        cancelled: Asked while fetching; once it says ``True`` the import stops
            (within a quarter second) with ``FetchError``, having written nothing.

    Returns:
        What was written and skipped.

    Raises:
        FetchError: The page itself could not be fetched, read or written (one line);
            then no file was written and the library is unchanged.
    """
    lock = threading.Lock()

    def say(line: str) -> None:
        if progress is not None:
            with lock:
                progress(line)

    wanted = _wanted(only, url)
    stop = threading.Event()

    def is_cancelled() -> bool:
        return stop.is_set() or (cancelled is not None and cancelled())

    own_client = client is None
    if client is None:
        client = make_client()
    try:
        return _import(url, library, wanted, variants, any_host, client, say, is_cancelled, stop)
    finally:
        if own_client:
            client.close()


def _wanted(only: set[str] | None, url: str) -> set[str] | None:
    if only is None:
        return None
    wanted: set[str] = set()
    for code in only:
        tag = page_language(code) or normalize_tag(code)
        if tag is None:
            raise FetchError(url, f"unknown language {code!r} in --only")
        wanted.add(tag)
    return wanted


def _is_wanted(language: str, wanted: set[str]) -> bool:
    """``--only en`` takes ``en-US`` too; ``--only pt-BR`` only ``pt-BR``."""
    return language in wanted or primary_subtag(language) in wanted


def _import(
    url: str,
    library: Path,
    wanted: set[str] | None,
    follow: bool,
    any_host: bool,
    client: Any,
    say: Callable[[str], None],
    cancelled: Callable[[], bool],
    stop: threading.Event,
) -> ImportResult:
    url = check_url(url)
    origin = _page(client, url, cancelled)
    warnings: list[str] = []
    found, skipped = candidates(origin.alternates, origin.final_url, any_host=any_host)
    origin_keys = _keys(origin)
    hinted = next((c.language for c in found if same_url_key(c.url) in origin_keys), None)
    language = _language(origin, hinted, warnings)
    if language is None:
        raise FetchError(url, f"{host_of(origin.final_url)}: cannot tell the page's language")
    say(f"{language:<6} {origin.title}")
    pages = [_Fetched(language, origin)]
    todo = [c for c in found if same_url_key(c.url) not in origin_keys and c.language != language]
    if not follow:
        todo = []
    elif wanted is not None:
        todo = [c for c in todo if _is_wanted(c.language, wanted)]
    for item in skipped:
        say(f"skipped {item[0]}: {item[1]}")

    def one(candidate: Any) -> _Fetched | tuple[str, str]:
        try:
            page = _page(client, candidate.url, cancelled)
        except FetchError as error:
            reason = str(error)
        else:
            if not any_host and not same_site(page.final_url, origin.final_url):
                reason = "redirected to another site"
            else:
                reason = _another_page(page, origin) or ""
                if not reason:
                    return _Fetched(candidate.language, page)
        say(f"skipped {candidate.url}: {reason}")
        return (candidate.url, reason)

    if todo:
        with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="fetch") as pool:
            try:
                outcomes = list(pool.map(one, todo))
            except BaseException:  # ctrl+c: the threads stop at their next quarter second
                stop.set()
                raise
    else:
        outcomes = []
    if cancelled():
        raise FetchError(url, f"{host_of(origin.final_url)}: cancelled; nothing was written")
    seen = set(origin_keys)
    taken = {language}
    for candidate, outcome in zip(todo, outcomes, strict=True):
        if isinstance(outcome, tuple):
            skipped.append(outcome)
            continue
        page = outcome.page
        if same_url_key(page.final_url) in seen:
            skipped.append((candidate.url, "the same page as another language (after redirects)"))
            continue
        variant_language = _language(page, candidate.language, warnings)
        if variant_language is None or variant_language in taken:
            skipped.append((candidate.url, f"a second page in {variant_language or '?'}"))
            continue
        seen |= _keys(page)
        taken.add(variant_language)
        pages.append(_Fetched(variant_language, page))
        say(f"{variant_language:<6} {page.title}")
    for fetched in pages:
        if fetched.page.truncated:
            shown = host_of(fetched.page.final_url) + urlsplit(fetched.page.final_url).path
            limit = f"{extract.MAX_EXTRACT_CHARS / 1_000_000:g} million characters"
            warnings.append(f"{shown}: a very long page; only its first {limit} were read")
    return _write(url, library, pages, wanted, skipped, warnings)


def _page(client: Any, url: str, cancelled: Callable[[], bool] | None = None) -> Page:
    if cancelled is not None and cancelled():
        raise FetchError(url, f"{host_of(url)}: cancelled")
    fetched = fetch(client, url, cancelled=cancelled)
    try:
        return parse_page(fetched)
    except ExtractError as error:
        raise FetchError(url, str(error)) from error


def _keys(page: Page) -> set[str]:
    urls = [page.url, page.final_url] + ([page.canonical] if page.canonical else [])
    return {same_url_key(u) for u in urls}


def _language(page: Page, hinted: str | None, warnings: list[str]) -> str | None:
    """The page's language: the hreflang that led to it, else ``<html lang>``, else
    ``Content-Language``, else the detector's guess; disagreements become warnings."""
    declared: list[tuple[str, str]] = []
    if hinted:
        declared.append(("hreflang", hinted))
    for where, value in (
        ("html lang", page.html_lang),
        ("Content-Language", page.content_language),
    ):
        tag = page_language(value.split(",")[0]) if value else None
        if tag:
            declared.append((where, tag))
    from reader.library.detect import detect_language

    detected = detect_language(page.title + "\n" + page.plain)
    detected = page_language(detected) if detected else None
    shown = host_of(page.final_url) + (urlsplit(page.final_url).path or "/")
    if not declared:
        return detected
    chosen = declared[0][1]
    for where, tag in declared[1:]:
        if primary_subtag(tag) != primary_subtag(chosen):
            warnings.append(f"{shown}: {declared[0][0]} says {chosen}, {where} says {tag}")
            break
    if detected and primary_subtag(detected) != primary_subtag(chosen):
        warnings.append(f"{shown}: declared {chosen}, but the text reads as {detected}")
    return chosen


def _another_page(page: Page, origin: Page) -> str | None:
    """Why ``page`` is not a translation of ``origin``, or ``None`` if it is."""
    origin_keys = _keys(origin)
    links = {same_url_key(a.url) for a in page.alternates}
    if links:
        if not links & origin_keys:
            return "another page: its language links do not point back to this article"
        return None
    path = urlsplit(page.final_url).path.strip("/")
    if not path and urlsplit(origin.final_url).path.strip("/"):
        return "another page: the site's home page"
    small, large = sorted((max(page.blocks, 1), max(origin.blocks, 1)))
    if large >= 4 * small and large - small >= 4:
        return f"another page: {page.blocks} paragraphs against {origin.blocks}"
    return None


def _write(
    url: str,
    library: Path,
    pages: list[_Fetched],
    wanted: set[str] | None,
    skipped: list[tuple[str, str]],
    warnings: list[str],
) -> ImportResult:
    chosen = [p for p in pages if wanted is None or _is_wanted(p.language, wanted)]
    if not chosen:
        have = ", ".join(p.language for p in pages)
        raise FetchError(url, f"none of the languages asked for (found: {have})")
    origin = pages[0].page
    existing = existing_sources(library)
    replace: dict[str, Path] = {}
    obsolete: list[Path] = []
    key: str | None = None
    slug: str | None = None
    article_urls = set().union(*(_keys(p.page) for p in pages))
    for source, old in existing.items():
        if same_url_key(source) in article_urls:
            key = key or old.key
            slug = slug or old.path.name.rsplit(".", 2)[0]
            replace.setdefault(_file_language(old), old.path)
    for page in chosen:
        # The same page under another tag than last time (the site changed `en` to
        # `en-US`): its old file goes, so that one page is never two variants.
        own = _keys(page.page)
        for source, old in existing.items():
            if same_url_key(source) in own and _file_language(old) != page.language:
                if replace.get(_file_language(old)) == old.path:
                    del replace[_file_language(old)]
                obsolete.append(old.path)
    if slug is None:
        slug = _free_slug(library, slug_for(_source(origin), origin.title), existing)
    key = key or slug
    planned = [
        Planned(p.language, p.page.title, p.page.date, _source(p.page), p.page.markdown)
        for p in chosen
    ]
    try:
        files = write_variants(library, slug, key, planned, replace, obsolete)
    except OSError as error:
        raise FetchError(url, f"cannot write to {library}: {error.strerror or error}") from error
    return ImportResult(key, [p.language for p in chosen], files, skipped, warnings)


def _file_language(old: Any) -> str:
    """The language of a file an earlier import wrote (front matter, else its name)."""
    return normalize_tag(old.language or "") or old.path.name.rsplit(".", 2)[-2]


def _source(page: Page) -> str:
    """The URL recorded as ``source``: the canonical one if it is on the same site."""
    if page.canonical and same_site(page.canonical, page.final_url):
        return page.canonical
    return page.final_url


def _free_slug(library: Path, slug: str, existing: dict[str, Any]) -> str:
    """``slug``, or ``slug-2``... if another article's files already use it."""
    keys = {old.key for old in existing.values()}
    candidate = slug
    number = 1
    while candidate in keys or any(library.glob(f"{_glob_escape(candidate)}.*")):
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)

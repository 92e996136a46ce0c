"""Which links of a page lead to its language variants, and in which language.

Tags are normalised with the reader's rules (:func:`reader.languages.normalize_tag`:
``en_US`` -> ``en-US``, ``PT-br`` -> ``pt-BR``). ``x-default`` is not a language.
Only links to the page's own site are followed unless the caller allows any host.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.languages import normalize_tag, tag_from_filename_suffix
from reader.sources.extract import Alternate

#: At most this many variants of one page are fetched.
MAX_VARIANTS = 40


@dataclass(frozen=True)
class Candidate:
    """A variant to fetch: its language and URL."""

    language: str
    url: str


def page_language(tag: str) -> str | None:
    """The reader's tag for a tag found on a page (``en_US`` -> ``en-US``, ``pt_br`` ->
    ``pt-BR``, see :func:`reader.languages.normalize_tag`), or ``None`` for ``x-default``
    and anything that is no language."""
    if tag.strip().lower() in ("", "x-default"):
        return None
    return normalize_tag(tag.strip())


def site_of(host: str) -> str:
    """The part of a host name that names the site: without ``www.`` and without a
    language sub-domain (``de.example.org`` -> ``example.org``; two letters, as in file
    names, so that ``api.`` or ``dev.`` are not taken for languages)."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    if len(labels) > 2 and tag_from_filename_suffix(labels[0]) is not None:
        labels = labels[1:]
    return ".".join(labels)


def same_site(url: str, other: str) -> bool:
    """``True`` if two URLs belong to one site (host, see :func:`site_of`, and port)."""
    try:
        a, b = urlsplit(url), urlsplit(other)
        port_a = a.port or (443 if a.scheme == "https" else 80)
        port_b = b.port or (443 if b.scheme == "https" else 80)
    except ValueError:
        return False
    if not a.hostname or not b.hostname:
        return False
    same_port = port_a == port_b or {port_a, port_b} == {80, 443}
    return same_port and site_of(a.hostname) == site_of(b.hostname)


def candidates(
    alternates: list[Alternate], page_url: str, *, any_host: bool = False
) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """The variants to fetch, from a page's alternates.

    Args:
        alternates: As found on the page (links first, then ``Link:`` headers, then
            visible switchers).
        page_url: The page's final URL (for the site check).
        any_host: Follow links to other sites too.

    Returns:
        ``(candidates, skipped)``: one candidate per URL and per language, at most
        :data:`MAX_VARIANTS`; ``skipped`` as ``(url, reason)``.
    """
    found: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    urls: set[str] = set()
    languages: set[str] = set()
    # <link> and Link: first: they are the site's statement; a switcher only adds to them.
    order = sorted(alternates, key=lambda a: a.where == "anchor")
    for alternate in order:
        if alternate.hreflang.lower() == "x-default":
            continue
        language = page_language(alternate.hreflang)
        if language is None:
            if alternate.where != "anchor":
                skipped.append((alternate.url, f"not a language tag: {alternate.hreflang!r}"))
            continue
        key = _url_key(alternate.url)
        if key in urls or language in languages:
            continue
        if not any_host and not same_site(alternate.url, page_url):
            skipped.append((alternate.url, "on another site (use --any-host to follow)"))
            urls.add(key)
            continue
        urls.add(key)
        languages.add(language)
        found.append(Candidate(language, alternate.url))
    if len(found) > MAX_VARIANTS:
        for extra in found[MAX_VARIANTS:]:
            skipped.append((extra.url, f"more than {MAX_VARIANTS} variants"))
        found = found[:MAX_VARIANTS]
    return found, skipped


def _url_key(url: str) -> str:
    """A URL as compared for "the same page": scheme and host case-insensitive, no fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = parts.path or "/"
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}?{parts.query}"


same_url_key = _url_key

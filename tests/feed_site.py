"""Feeds and article pages for the feed tests, served by the loopback web site.

Articles are real pages in five languages (text from the bundled library, a number in
each title so that every article is its own), each naming its siblings with ``<link
rel="alternate" hreflang>`` and carrying navigation and a footer. Feeds are RSS 2.0 or
Atom documents listing them, served with an ``ETag`` and/or ``Last-Modified`` and
answered with ``304 Not Modified`` when the client sends them back.

Everything is added to a site with ``add(path, body, content_type=...)``, ``url(path)``,
``routes`` (path -> route or handler) and ``requests`` (paths served).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.conftest import BUNDLED_LIBRARY

LANGUAGES = ("en", "de", "fr", "es", "it")
"""The five languages of every article on the site."""

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HTTP_DATE = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Entry:
    """One item of a feed."""

    title: str
    link: str
    guid: str | None = None
    date: str = "Mon, 02 Nov 2026 08:00:00 GMT"
    iso_date: str = "2026-11-02T08:00:00Z"
    alternates: Sequence[tuple[str, str]] = ()  # (hreflang, url) for Atom


def _text(language: str) -> tuple[str, list[str]]:
    """The title and paragraphs of the bundled GPU article in one language."""
    text = (BUNDLED_LIBRARY / f"gpu-training-dilemma.{language}.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0].strip('„“”"«» '), [line for line in lines[1:] if len(line) > 120]


def article_title(number: int, language: str = "en") -> str:
    """The title article ``number`` has in ``language``."""
    return f"{number}: {_text(language)[0]}"


def article_url(site: Any, number: int, language: str = "en") -> str:
    """The URL of article ``number`` in ``language``."""
    return site.url(f"/news/{number}/{language}.html")


def publish_article(site: Any, number: int, languages: Sequence[str] = LANGUAGES) -> str:
    """Publish article ``number`` in every language; returns the URL of its first.

    Pages link their siblings relatively (``hreflang``) and carry navigation, a
    language switcher and a footer that an extractor should leave out.
    """
    paths = {lang: f"/news/{number}/{lang}.html" for lang in languages}
    for language in languages:
        title = article_title(number, language)
        paragraphs = _text(language)[1]
        alternates = "\n".join(
            f'<link rel="alternate" hreflang="{other}" href="{paths[other]}">'
            for other in languages
        )
        switcher = " · ".join(
            f'<a href="{paths[other]}" hreflang="{other}">{other}</a>' for other in languages
        )
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:3])
        page = f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
{alternates}
</head><body>
<nav><a href="/">Home</a> <a href="/about">About</a> <div class="lang">{switcher}</div></nav>
<article><h1>{html.escape(title)}</h1>
<time datetime="2026-11-{(number % 28) + 1:02d}">2026-11-{(number % 28) + 1:02d}</time>
{body}
</article>
<footer>© Example News. All rights reserved.</footer>
</body></html>"""
        site.add(paths[language], page)
    return site.url(paths[languages[0]])


def rss(title: str, entries: Sequence[Entry], language: str = "en") -> bytes:
    """An RSS 2.0 document."""
    items = []
    for entry in entries:
        guid = "" if entry.guid is None else f"<guid>{html.escape(entry.guid)}</guid>"
        items.append(
            f"<item><title>{html.escape(entry.title)}</title>"
            f"<link>{html.escape(entry.link)}</link>{guid}"
            f"<pubDate>{entry.date}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<language>{language}</language><description>news</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def atom(title: str, entries: Sequence[Entry], language: str = "en") -> bytes:
    """An Atom 1.0 document; an entry's ``alternates`` become hreflang links."""
    items = []
    for entry in entries:
        links = [(lang, url) for lang, url in entry.alternates] or [("", entry.link)]
        link_tags = "".join(
            f'<link rel="alternate" href="{html.escape(url)}"'
            + (f' hreflang="{lang}"' if lang else "")
            + "/>"
            for lang, url in links
        )
        items.append(
            f"<entry><title>{html.escape(entry.title)}</title>{link_tags}"
            f"<id>{html.escape(entry.guid or entry.link)}</id>"
            f"<updated>{entry.iso_date}</updated></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">'
        f"<title>{html.escape(title)}</title><id>urn:example:feed</id>"
        f"<updated>2026-11-02T08:00:00Z</updated>" + "".join(items) + "</feed>"
    ).encode("utf-8")


def serve_feed(
    site: Any,
    path: str,
    body: bytes,
    content_type: str = RSS_TYPE,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> str:
    """Serve a feed at ``path`` that honours ``If-None-Match`` / ``If-Modified-Since``.

    With an ``etag`` a matching ``If-None-Match`` gets ``304``; with only a
    ``last_modified`` a matching ``If-Modified-Since`` does (as RFC 9110 says:
    ``If-Modified-Since`` is ignored when ``If-None-Match`` is sent).

    Returns:
        The feed's URL.
    """

    def answer(request: BaseHTTPRequestHandler) -> None:
        sent_etag = request.headers.get("If-None-Match")
        sent_date = request.headers.get("If-Modified-Since")
        if etag is not None and sent_etag is not None:
            fresh = sent_etag == etag
        else:
            fresh = last_modified is not None and sent_date == last_modified
        request.send_response(304 if fresh else 200)
        if etag is not None:
            request.send_header("ETag", etag)
        if last_modified is not None:
            request.send_header("Last-Modified", last_modified)
        if fresh:
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    site.routes[path] = answer
    return site.url(path)


def library_files(library: Path) -> list[str]:
    """The Markdown files in a library directory, relative and sorted."""
    if not library.exists():
        return []
    return sorted(str(p.relative_to(library)) for p in library.rglob("*.md"))

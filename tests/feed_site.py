"""A small multilingual news site with feeds, served over loopback HTTP for the feed tests.

Articles are real pages in several languages (text from the bundled library), each naming
its siblings with ``<link rel="alternate" hreflang>``; feeds are RSS 2.0 or Atom documents
listing them. Every route may carry an ``ETag`` and ``Last-Modified``, answered with
``304`` when the client sends them back; every request is logged, so a test can tell what
a refresh fetched.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_LIBRARY

LANGUAGES = ("en", "de", "fr", "es", "it")
"""The five languages of every article on the site."""


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Entry:
    """One item of a feed."""

    title: str
    link: str
    guid: str | None = None
    date: str = "Mon, 02 Nov 2026 08:00:00 GMT"
    iso_date: str = "2026-11-02T08:00:00Z"
    alternates: Sequence[tuple[str, str]] = ()  # (hreflang, url) for Atom


def _paragraphs(language: str) -> tuple[str, list[str]]:
    """The title and paragraphs of the bundled GPU article in one language."""
    text = (BUNDLED_LIBRARY / f"gpu-training-dilemma.{language}.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0].strip('„“"«» ')
    body = [line for line in lines[1:] if len(line) > 120]
    return title, body


@dataclass
class FeedSite:
    """The server's routes and its request log."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        """The absolute URL of a path on the site."""
        return self.base + path

    def requests(self, prefix: str = "/") -> list[str]:
        """The paths requested so far that start with ``prefix``."""
        with self.lock:
            return [path for path, _ in self.log if path.startswith(prefix)]

    def clear_log(self) -> None:
        """Forget the requests made so far."""
        with self.lock:
            self.log.clear()

    def add(self, path: str, route: Route) -> str:
        """Serve ``route`` at ``path``; returns its URL."""
        self.routes[path] = route
        return self.url(path)

    def add_article(self, number: int, languages: Sequence[str] = LANGUAGES) -> str:
        """Publish article ``number`` in every language; returns the URL of its first.

        Pages link their siblings relatively (``hreflang``) and carry navigation and a
        footer that an extractor should leave out.
        """
        paths = {lang: f"/news/{number}/{lang}.html" for lang in languages}
        for language in languages:
            title, paragraphs = _paragraphs(language)
            title = f"{title} ({number})"
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
<p class="date">2026-11-{(number % 28) + 1:02d}</p>
{body}
</article>
<footer>© Example News. All rights reserved.</footer>
</body></html>"""
            self.add(paths[language], Route(page.encode("utf-8")))
        return self.url(paths[languages[0]])

    def article_title(self, number: int, language: str = "en") -> str:
        """The title article ``number`` has in ``language``."""
        return f"{_paragraphs(language)[0]} ({number})"


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


RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HTTP_DATE = formatdate(1_700_000_000, usegmt=True)


def _handler(site: FeedSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            with site.lock:
                site.log.append((self.path, dict(self.headers.items())))
            route = site.routes.get(path)
            if route is None:
                self._send(404, b"not found", "text/plain")
                return
            etag_match = route.etag is not None and self.headers.get("If-None-Match") == route.etag
            date_match = (
                route.last_modified is not None
                and self.headers.get("If-Modified-Since") == route.last_modified
            )
            if route.status == 200 and (etag_match or (route.etag is None and date_match)):
                self.send_response(304)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(route.status, route.body, route.content_type, route)

        def _send(
            self, status: int, body: bytes, content_type: str, route: Route | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if route is not None and route.etag:
                self.send_header("ETag", route.etag)
            if route is not None and route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def feed_site() -> Iterator[FeedSite]:
    """The site, served on 127.0.0.1 at a free port for the length of one test."""
    site = FeedSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def library_files(library: Path) -> list[str]:
    """The Markdown files in a library directory, relative and sorted."""
    if not library.exists():
        return []
    return sorted(str(p.relative_to(library)) for p in library.rglob("*.md"))

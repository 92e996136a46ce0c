"""A real HTTP server on loopback, serving a small multilingual news site, for every test
of the code that fetches (``reader add``, feeds).

:class:`WebSite` is a ``ThreadingHTTPServer`` on ``127.0.0.1`` and a free port, with a
table of routes (path -> :class:`Route`, or a handler function for hostile servers).
:func:`build_news_site` fills it like the reference site: one article in several
languages from ``assets/library`` (title, date, the language bar, paragraphs), with
``<link rel=alternate hreflang>`` in relative, absolute and protocol-relative forms, an
``x-default``, a visible language bar whose missing languages point at the home page,
a Russian page in cp1251 without any charset declaration, a variant that is missing
(404), navigation, an advertisement and a footer that must not be imported.

The fixtures are in ``tests/conftest.py``: ``web_site`` (a started, empty site) and
the autouse ``no_internet`` guard.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import BUNDLED_LIBRARY

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Route:
    """A canned answer."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"


class _QuietServer(ThreadingHTTPServer):
    """Never prints: a connection the reader closed early (over the cap, cancelled) is
    no error of the site's, and a traceback on stderr would mix with the reader's own
    one-line messages that the tests read."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class WebSite:
    """A loopback web server with a route table; use as a context manager or ``start``/``stop``.

    Attributes:
        routes: Path (with query) -> :class:`Route` or handler.
        requests: Every request path served, in order (thread-safe appends).
    """

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.requests: list[str] = []
        self.request_headers: list[dict[str, str]] = []
        self._stop = threading.Event()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.requests.append(self.path)
                site.request_headers.append({k.lower(): v for k, v in self.headers.items()})
                route = site.routes.get(self.path)
                if route is None:
                    route = Route(b"<html><body><p>Not found</p></body></html>", 404)
                if callable(route):
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        route(self)
                    return
                self.send_response(route.status)
                if route.content_type is not None:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet

        self.server = _QuietServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def stopping(self) -> threading.Event:
        """Set when the site stops: hostile handlers (slow drips) end their loops on it."""
        return self._stop

    def start(self) -> WebSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> WebSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this site."""
        return self.origin + path

    def add(self, path: str, body: bytes | str, **options: object) -> None:
        """Serve ``body`` at ``path`` (options as for :class:`Route`)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **options)  # type: ignore[arg-type]

    # --- hostile servers -----------------------------------------------------------

    def drip(self, path: str, *, seconds: float = 120.0, headers_first: bool = True) -> None:
        """A page that sends one byte every 0.5 s: each read is quick, the whole is not."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            if headers_first:
                request.send_response(200)
                request.send_header("Content-Type", "text/html")
                request.end_headers()
                payload = b"<html><body><p>" + b"x" * 100000
            else:
                payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-A: b\r\n" * 1000
            end = time.monotonic() + seconds
            for byte in payload:
                if self._stop.is_set() or time.monotonic() > end:
                    return
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                self._stop.wait(0.5)

        self.routes[path] = handler

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Answer ``path`` with a redirect to ``to`` (any scheme: tests send hostile ones)."""
        self.routes[path] = Route(b"", status, {"Location": to}, None)

    def stream(self, path: str, chunks: int, chunk: bytes, content_type: str = "text/html") -> None:
        """A body of ``chunks`` times ``chunk``, without Content-Length (the server closes)."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", content_type)
            request.send_header("Connection", "close")
            request.end_headers()
            request.close_connection = True
            for _ in range(chunks):
                if self._stop.is_set():
                    return
                request.wfile.write(chunk)

        self.routes[path] = handler

    def hold(self, path: str) -> threading.Event:
        """Answer ``path`` only once the returned event is set (the test decides when)."""
        route = self.routes[path]
        assert isinstance(route, Route)
        release = threading.Event()

        def handler(request: BaseHTTPRequestHandler) -> None:
            release.wait(60)
            request.send_response(route.status)
            if route.content_type is not None:
                request.send_header("Content-Type", route.content_type)
            request.send_header("Content-Length", str(len(route.body)))
            request.end_headers()
            request.wfile.write(route.body)

        self.routes[path] = handler
        return release

    def hang(self, path: str) -> None:
        """A page that accepts the request and never answers (until the site stops)."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            self._stop.wait(120)

        self.routes[path] = handler

    def gzip_bomb(self, path: str, megabytes: int = 64) -> None:
        """A small gzip body that inflates to ``megabytes`` MiB of zeros."""
        body = gzip.compress(b"\0" * (megabytes * 1024 * 1024), compresslevel=9)
        self.add(path, body, headers={"Content-Encoding": "gzip"})


# --- the multilingual news site -------------------------------------------------------

ARTICLE = "gpu-training-dilemma"
#: The languages the site has this article in (>= 5, several scripts).
LANGUAGES = ("en", "de", "fr", "ru", "ja", "el", "es")
#: The reference site's language bar: label, language.
BAR = (
    ("한어", "ko"),
    ("Русский язык", "ru"),
    ("English", "en"),
    ("Français", "fr"),
    ("Indonesian", "id"),
    ("Sanskrit", "sa"),
    ("日本語", "ja"),
    ("Deutsch", "de"),
    ("Português", "pt"),
    ("Ελληνικά", "el"),
    ("español", "es"),
    ("Italiano", "it"),
    ("Suomalainen", "fi"),
    ("Latina", "la"),
)
#: The hreflang the site writes where it is not the plain tag (as many sites do).
HREFLANG = {"en": "en_US", "pt": "pt_br"}


def imported(language: str) -> str:
    """The tag an import gives a language of this site (``en_US`` -> ``en-US``)."""
    return {"en": "en-US", "pt": "pt-BR"}.get(language, language)


#: The languages of an import of the article, as the reader tags them.
IMPORTED = tuple(imported(tag) for tag in LANGUAGES)
#: Advertised in <link rel=alternate> but not served: 404.
MISSING = "fi"
AD_TEXT = "Kaufen Sie jetzt günstige Grafikkarten beim Sponsor"
FOOTER_TEXT = "Impressum, Datenschutz und alle Rechte vorbehalten"
NAV_TEXT = "Startseite Wirtschaft Technik Kultur"


@dataclass(frozen=True)
class SourceText:
    """An article variant from the bundled library: title, date, paragraphs."""

    title: str
    date: str
    paragraphs: list[str]


def source_text(language: str, article: str = ARTICLE) -> SourceText:
    """Read ``assets/library/<article>.<language>.txt`` (the reference site's format)."""
    lines = (BUNDLED_LIBRARY / f"{article}.{language}.txt").read_text("utf-8").splitlines()
    lines = [line.strip() for line in lines if line.strip()]
    title = lines[0].strip('„“”"«» 「」').strip()
    body = [line for line in lines[3:]]
    # The bundled text glues "next article" links at the end: keep real paragraphs.
    return SourceText(title, lines[1], [p for p in body if len(p) > 40])


def article_path(language: str, article: str = ARTICLE) -> str:
    return f"/{language}/{article}.html"


def page_html(
    site: WebSite,
    language: str,
    *,
    article: str = ARTICLE,
    languages: tuple[str, ...] = LANGUAGES,
    charset_meta: bool = True,
    extra_head: str = "",
) -> str:
    """The HTML of one variant: head alternates in three URL forms, language bar, body."""
    text = source_text(language, article)
    links = []
    for index, other in enumerate((*languages, MISSING)):
        path = article_path(other, article)
        href = (f"..{path}", site.url(path), f"//127.0.0.1:{site.port}{path}")[index % 3]
        tag = HREFLANG.get(other, other)
        links.append(f'<link rel="alternate" hreflang="{tag}" href="{html.escape(href)}">')
    links.append(f'<link rel="alternate" hreflang="x-default" href="{article_path("en")}">')
    bar = []
    for label, tag in BAR:
        target = article_path(tag, article) if tag in languages else "/"
        bar.append(f'<a href="{target}" hreflang="{tag}" lang="{tag}">{html.escape(label)}</a>')
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.paragraphs)
    meta = '<meta charset="utf-8">' if charset_meta else ""
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>{meta}
<title>{html.escape(text.title)} | Weltnachrichten</title>
{chr(10).join(links)}
<link rel="canonical" href="{article_path(language, article)}">
{extra_head}
</head>
<body>
<header><nav class="menu">{NAV_TEXT}</nav>
<nav class="languages">{" · ".join(bar)}</nav></header>
<div class="advert" id="ad-banner"><a href="/ads">{AD_TEXT}</a></div>
<main><article>
<h1>{html.escape(text.title)}</h1>
<time datetime="{text.date}">{text.date}</time>
{paragraphs}
</article></main>
<aside class="related"><a href="/{language}/other.html">Mehr Nachrichten</a></aside>
<footer><p>{FOOTER_TEXT}</p></footer>
</body>
</html>
"""


def home_html(site: WebSite, language: str = "it") -> str:
    """A home page: a list of teasers, language bar to other home pages, no alternates back."""
    bar = " · ".join(
        f'<a href="/{tag}/" hreflang="{tag}">{html.escape(label)}</a>' for label, tag in BAR
    )
    teasers = "\n".join(
        f'<li><a href="{article_path(tag)}">{html.escape(source_text(tag).title)}</a></li>'
        for tag in LANGUAGES[:3]
    )
    return f"""<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">
<title>Notizie dal mondo</title></head><body><nav>{bar}</nav>
<h1>Notizie dal mondo</h1><ul>{teasers}</ul>
<p>Benvenuti nel sito di notizie: qui trovate ogni giorno le notizie più importanti.</p>
<footer>{FOOTER_TEXT}</footer></body></html>"""


def build_news_site(site: WebSite) -> None:
    """Fill ``site`` with the multilingual article (see the module's docstring)."""
    for language in LANGUAGES:
        if language == "ru":
            continue
        site.add(article_path(language), page_html(site, language))
    # Russian: cp1251 bytes, no charset in the header nor in a <meta>.
    russian = page_html(site, "ru", charset_meta=False).encode("cp1251", "xmlcharrefreplace")
    site.add(article_path("ru"), russian, content_type="text/html")
    site.add("/", home_html(site))


def expected_paragraphs(language: str) -> list[str]:
    """The paragraphs a correct import of ``language`` holds."""
    return source_text(language).paragraphs

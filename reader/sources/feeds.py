"""Feeds: reading RSS and Atom documents, finding a page's feed, and OPML lists of feeds.

Nothing here touches the network or the library: :mod:`reader.sources.feed_refresh`
fetches and imports. feedparser is imported inside :func:`parse_feed`, never at import
time, so neither the interface's start nor ``reader search`` pays for it.

OPML comes from the user (a file they exported elsewhere), but is parsed with
``defusedxml`` all the same: the standard library's ElementTree does not fetch external
entities, yet it expands internal ones, so a "billion laughs" file would eat the memory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from reader.sanitize import clean_line, safe_link

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "application/x-atom+xml",
    "text/html",  # a page that names its feed
    "application/xhtml+xml",
    "text/plain",  # some servers label feeds so; feedparser decides
    "application/octet-stream",
)
"""Content types a feed URL may answer with."""

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml;q=0.95, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.1"
)
"""The ``Accept`` header sent for feeds."""

_DISCOVERABLE = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)


class FeedError(ValueError):
    """A document that is not a usable feed; the message says why, in one line."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry (RSS item, Atom entry) of a feed.

    Attributes:
        id: What identifies it: the GUID, else its link, else title and date.
        link: The page to import (picked by hreflang), or ``""`` if it has none.
        links: Every http(s) page the entry names as its alternates.
        title: Its title, cleaned for one line.
        date: Its date as ``YYYY-MM-DD``, or ``""``.
    """

    id: str
    link: str
    links: tuple[str, ...]
    title: str
    date: str


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document.

    Attributes:
        title: The feed's title, cleaned for one line (``""`` if it has none).
        language: The language it declares (``en``, ``de-DE``…), or ``""``.
        entries: Its entries, in document order.
    """

    title: str
    language: str
    entries: tuple[FeedEntry, ...]


def looks_like_html(body: bytes, content_type: str) -> bool:
    """Tell whether a response is a web page rather than a feed.

    Args:
        body: The response body.
        content_type: The ``Content-Type`` header (may be ``""``).
    """
    media = content_type.split(";")[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _date(parsed: object) -> str:
    if isinstance(parsed, time.struct_time):
        return time.strftime("%Y-%m-%d", parsed)
    return ""


def _language_matches(hreflang: str, language: str) -> bool:
    a, b = hreflang.lower().replace("_", "-"), language.lower().replace("_", "-")
    return bool(a and b) and (a == b or a.split("-")[0] == b.split("-")[0])


def pick_link(links: list[dict[str, str]], fallback: str, language: str) -> tuple[str, list[str]]:
    """Choose the page to import among an entry's links.

    feedparser's ``entry.link`` is the *last* ``rel="alternate"`` link; an entry of a
    multilingual site lists one per language. The one in the feed's own language is the
    one meant; else the first without ``hreflang``; else the first. (The importer brings
    in every language variant of the page anyway.)

    Args:
        links: ``entry.links`` as feedparser gives them.
        fallback: ``entry.link``.
        language: The feed's language, or ``""``.

    Returns:
        The chosen link (``""`` if there is no http(s) link) and every http(s) alternate.
    """
    alternates = [
        link
        for link in links
        if link.get("rel", "alternate") == "alternate" and safe_link(link.get("href", ""))
    ]
    hrefs = list(dict.fromkeys(link["href"].strip() for link in alternates))
    chosen = next(
        (link for link in alternates if _language_matches(link.get("hreflang", ""), language)),
        None,
    ) or next((link for link in alternates if not link.get("hreflang")), None)
    if chosen is None and alternates:
        chosen = alternates[0]
    if chosen is not None:
        return chosen["href"].strip(), hrefs
    safe = safe_link(fallback or "")
    return (safe or ""), ([safe] if safe else [])


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Read an RSS or Atom document.

    Args:
        body: The document's bytes, as fetched (feedparser works out the encoding).
        url: Where it came from, to resolve relative links.
        content_type: The ``Content-Type`` header, if any.

    Returns:
        The feed.

    Raises:
        FeedError: The bytes are not a feed.
    """
    import io

    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({clean_line(str(reason))[:120]})" if reason else ""
        raise FeedError(f"not an RSS or Atom feed{detail}")
    meta = parsed.feed
    language = str(meta.get("language", "") or "")
    entries = []
    for entry in parsed.entries:
        link, links = pick_link(list(entry.get("links", [])), str(entry.get("link", "")), language)
        title = clean_line(str(entry.get("title", "") or "")).strip()
        date = _date(entry.get("published_parsed") or entry.get("updated_parsed"))
        guid = str(entry.get("id", "") or "").strip()
        identity = guid or link or (f"{title}|{date}" if title or date else "")
        if not identity:
            continue  # nothing to know it by, nothing to import
        entries.append(FeedEntry(identity, link, tuple(links), title, date))
    return ParsedFeed(
        clean_line(str(meta.get("title", "") or "")).strip(), language, tuple(entries)
    )


class _FeedLinks(HTMLParser):
    """Collects ``<link rel="alternate" type="application/rss+xml" href>`` (and ``<base>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and not self.base:
            self.base = values.get("href", "")
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            media = values.get("type", "").split(";")[0].strip().lower()
            if "alternate" in rels and media in _DISCOVERABLE and values.get("href"):
                self.found.append((values["href"].strip(), values.get("title", "")))


def find_feed_links(html: bytes, url: str) -> list[str]:
    """Find the feeds a web page names in its ``<link rel="alternate">`` tags.

    Args:
        html: The page's bytes (decoded leniently: URLs are ASCII in practice).
        url: The page's URL, for relative links.

    Returns:
        Absolute http(s) feed URLs, in page order, each once.
    """
    parser = _FeedLinks()
    text = html[: 2 * 1024 * 1024].decode("utf-8", "replace")
    try:
        parser.feed(text)
        parser.close()
    except (ValueError, AssertionError):  # html.parser gives up on some garbage
        pass
    base = urljoin(url, parser.base) if parser.base else url
    found: list[str] = []
    for href, _title in parser.found:
        absolute = safe_link(urljoin(base, href))
        if absolute and absolute not in found:
            found.append(absolute)
    return found


def check_feed_url(url: str) -> str:
    """Check that a URL given by the user can be a feed's.

    Args:
        url: The URL.

    Returns:
        The URL without surrounding spaces.

    Raises:
        FeedError: It is not an absolute http or https URL.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FeedError(f"not a URL: {clean_line(url, visible=True)}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedError(f"not an http or https URL: {clean_line(url, visible=True)}")
    return url


# --- OPML ------------------------------------------------------------------------------


def read_opml(data: bytes) -> list[tuple[str, str]]:
    """Read the feeds listed in an OPML file (any version, nested outlines too).

    Args:
        data: The file's bytes.

    Returns:
        ``(url, title)`` for each outline with an http(s) ``xmlUrl``, each URL once.

    Raises:
        FeedError: The file is not OPML, or declares entities (refused, never expanded).
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FeedError("the OPML file declares XML entities; refused") from None
    except ParseError as error:
        raise FeedError(f"not an OPML file ({clean_line(str(error))})") from None
    if root.tag != "opml" or root.find("body") is None:
        raise FeedError("not an OPML file (no <opml> with a <body>)")
    found: dict[str, str] = {}
    for outline in root.iter("outline"):
        url = safe_link(outline.get("xmlUrl", "") or outline.get("xmlurl", ""))
        if url and url not in found:
            title = outline.get("title") or outline.get("text") or ""
            found[url] = clean_line(title).strip()
    return list(found.items())


def write_opml(feeds: list[tuple[str, str]], created: str) -> str:
    """Write feeds as an OPML 2.0 document.

    Args:
        feeds: ``(url, title)`` pairs.
        created: ``dateCreated``, an RFC 822 date.

    Returns:
        The document, with an XML declaration and a final newline.
    """
    from xml.etree.ElementTree import Element, SubElement, indent, tostring

    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = "Polyglot Reader feeds"
    SubElement(head, "dateCreated").text = created
    body = SubElement(root, "body")
    for url, title in feeds:
        name = title or url
        name = clean_line(name)
        SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=url)
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, "unicode") + "\n"

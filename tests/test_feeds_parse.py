"""Reading feeds, finding a page's feed and OPML, without the network."""

from __future__ import annotations

import pytest

from reader.sources.feeds import (
    FeedError,
    find_feed_links,
    looks_like_html,
    parse_feed,
    read_opml,
    write_opml,
)
from tests.feed_site import Entry, atom, rss

BASE = "http://127.0.0.1:8000"


def test_rss_entries_are_known_by_guid_else_link_else_title_and_date() -> None:
    body = rss(
        "Example News",
        [
            Entry("With guid", f"{BASE}/news/1/en.html", guid="urn:1"),
            Entry("No guid", f"{BASE}/news/2/en.html"),
            Entry("No link either", ""),
        ],
    )
    feed = parse_feed(body, f"{BASE}/feed.xml", "application/rss+xml")
    assert (feed.title, feed.language) == ("Example News", "en")
    assert [(e.id, e.link, e.title, e.date) for e in feed.entries] == [
        ("urn:1", f"{BASE}/news/1/en.html", "With guid", "2026-11-02"),
        (f"{BASE}/news/2/en.html", f"{BASE}/news/2/en.html", "No guid", "2026-11-02"),
        ("No link either|2026-11-02", "", "No link either", "2026-11-02"),
    ]


def test_atom_entry_link_is_picked_by_the_feeds_language_not_the_last_alternate() -> None:
    alternates = [(lang, f"{BASE}/news/1/{lang}.html") for lang in ("en", "de", "fr")]
    body = atom("Nachrichten", [Entry("Eins", "", guid="urn:x", alternates=alternates)], "de")
    (entry,) = parse_feed(body, f"{BASE}/atom.xml").entries
    assert entry.link == f"{BASE}/news/1/de.html"
    assert entry.links == tuple(url for _, url in alternates)
    # with no match for the feed's language: the first alternate, not feedparser's last
    body = atom("News", [Entry("One", "", guid="urn:x", alternates=alternates)], "ja")
    assert parse_feed(body, f"{BASE}/atom.xml").entries[0].link == f"{BASE}/news/1/en.html"


def test_relative_links_resolve_and_unsafe_links_are_dropped() -> None:
    body = atom(
        "News",
        [
            Entry("Rel", "", guid="urn:r", alternates=[("", "/news/9/en.html")]),
            Entry("Js", "", guid="urn:j", alternates=[("", "javascript:alert(1)")]),
        ],
    )
    rel, js = parse_feed(body, f"{BASE}/feeds/atom.xml").entries
    assert rel.link == f"{BASE}/news/9/en.html"
    assert (js.link, js.links) == ("", ())


def test_titles_are_cleaned_of_escape_sequences() -> None:
    body = rss("Evil\x1b[31m News", [Entry("Red\x1b]8;;x\x07 text", f"{BASE}/a")])
    feed = parse_feed(body, f"{BASE}/feed.xml")
    assert "\x1b" not in feed.title and "\x1b" not in feed.entries[0].title


def test_a_web_page_or_garbage_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"just some text, not xml at all", f"{BASE}/x")
    page = b"<!DOCTYPE html><html><head><title>x</title></head></html>"
    assert looks_like_html(page, "")
    assert looks_like_html(b"<rss/>", "text/html; charset=utf-8")
    assert not looks_like_html(rss("x", []), "application/xml")


def test_feed_links_are_found_in_a_page_head_relative_to_its_base() -> None:
    page = b"""<!doctype html><html><head>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" hreflang="de" href="/de/">
    <link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
    <link rel="Alternate" type="application/atom+xml" href="//127.0.0.1:8000/atom.xml">
    <link rel="alternate" type="application/rss+xml" href="javascript:evil()">
    <link rel="alternate" type="application/rss+xml" href="feed.xml">
    </head><body></body></html>"""
    assert find_feed_links(page, f"{BASE}/news/index.html") == [
        f"{BASE}/news/feed.xml",
        f"{BASE}/atom.xml",
    ]
    assert find_feed_links(b"<html><body>no feed</body></html>", BASE) == []


def test_opml_round_trip_keeps_urls_and_titles() -> None:
    feeds = [
        ("https://a.example/feed.xml", "Ä & <b> “quoted”"),
        ("https://b.example/rss?x=1&y=2", ""),
        ("https://c.example/日本/atom", "日本語ニュース"),
    ]
    text = write_opml(feeds, "Wed, 25 Nov 2026 03:40:00 GMT")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<dateCreated>Wed, 25 Nov 2026 03:40:00 GMT</dateCreated>" in text
    back = read_opml(text.encode("utf-8"))
    assert back == [(url, title or url) for url, title in feeds]


def test_opml_from_elsewhere_nested_outlines_and_odd_entries() -> None:
    data = b"""<?xml version="1.0"?>
    <opml version="1.0"><head/><body>
      <outline text="Tech">
        <outline text="A" type="rss" xmlUrl="https://a.example/feed"/>
        <outline text="Not a feed" htmlUrl="https://b.example/"/>
        <outline text="Local" xmlUrl="file:///etc/passwd"/>
      </outline>
      <outline title="B" text="b-text" xmlUrl="https://b.example/feed"/>
      <outline text="A again" xmlUrl="https://a.example/feed"/>
    </body></opml>"""
    assert read_opml(data) == [("https://a.example/feed", "A"), ("https://b.example/feed", "B")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<opml><body><outline xmlUrl="https://x/&b;"/></body></opml>',
            "declares XML entities",
        ),
        (b"<opml><body><outline", "not an OPML file"),
        (b"<rss><channel/></rss>", "not an OPML file"),
    ],
)
def test_bad_opml_is_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message) as caught:
        read_opml(data)
    assert "\n" not in str(caught.value)

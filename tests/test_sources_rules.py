"""The rules of web imports: language tags, sites, variants from headers, the 40 cap,
language checks, redirects to one page, Markdown that stays text."""

from __future__ import annotations

import gzip
import html
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.sources.extract as extract_module
from reader.library.markdown_page import parse_markdown_page
from reader.sources.extract import _escape
from reader.sources.fetch import FetchError, fetch, make_client
from reader.sources.importer import import_article
from reader.sources.variants import MAX_VARIANTS, page_language, same_site
from tests.web_site import WebSite, article_path, build_news_site, source_text


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en_US", "en-US"),
        ("de", "de"),
        ("DE-de", "de-DE"),
        ("pt_br", "pt-BR"),
        ("zh-TW", "zh-TW"),
        ("x-default", None),
        ("", None),
        ("not a tag", None),
    ],
)
def test_page_tags_are_normalised(tag: str, expected: str | None) -> None:
    assert page_language(tag) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("https://example.org/a", "https://www.example.org/b", True),
        ("https://de.example.org/a", "https://en.example.org/b", True),
        ("https://example.org/a", "https://de.example.org/b", True),
        ("http://example.org/a", "https://example.org/b", True),
        ("https://example.org/a", "https://example.com/a", False),
        ("https://blog.example.org/a", "https://shop.example.org/a", False),
        ("https://api.example.org/a", "https://dev.example.org/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8001/a", False),
        ("http://127.0.0.1:8000/a", "http://localhost:8000/a", False),
    ],
)
def test_same_site(a: str, b: str, expected: bool) -> None:
    assert same_site(a, b) is expected


def _page(title: str, paragraphs: list[str], *, lang: str = "", head: str = "") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>{head}</head>"
        f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )


def test_variants_from_link_headers_and_a_gzipped_page(web_site: WebSite, tmp_path: Path) -> None:
    en, de = source_text("en"), source_text("de")
    header = (
        f'<{web_site.url("/de.html")}>; rel="alternate"; hreflang="de", '
        "</en.html>; rel=alternate; hreflang=en"
    )
    body = gzip.compress(_page(en.title, en.paragraphs, lang="en").encode())
    web_site.add("/en.html", body, headers={"Link": header, "Content-Encoding": "gzip"})
    deflated = zlib.compress(_page(de.title, de.paragraphs, lang="de").encode())
    web_site.add("/de.html", deflated, headers={"Link": header, "Content-Encoding": "deflate"})
    result = import_article(web_site.url("/en.html"), tmp_path)
    assert result.languages == ["en", "de"]
    (german,) = [path for path in result.files if path.name.endswith(".de.md")]
    assert de.paragraphs[0] in german.read_text("utf-8")


def test_a_declared_language_the_text_contradicts_is_reported(
    web_site: WebSite, tmp_path: Path
) -> None:
    german = source_text("de")
    web_site.add("/page.html", _page(german.title, german.paragraphs, lang="en"))
    result = import_article(web_site.url("/page.html"), tmp_path)
    assert result.languages == ["en"]  # the page's word is kept
    assert any("declared en, but the text reads as de" in w for w in result.warnings)


def test_a_page_without_any_language_is_detected(web_site: WebSite, tmp_path: Path) -> None:
    russian = source_text("ru")
    web_site.add("/page.html", _page(russian.title, russian.paragraphs))
    assert import_article(web_site.url("/page.html"), tmp_path).languages == ["ru"]


def test_at_most_40_variants_are_fetched(web_site: WebSite, tmp_path: Path) -> None:
    en = source_text("en")
    tags = [f"en-{code}" for code in ("GB", "AU", "CA", "IE", "NZ", "ZA", "IN", "SG")]
    # 50 tags, none of them the page's own "en"
    tags += [
        f"{lang}-{region}"
        for lang in ("es", "fr", "de", "pt", "ar", "zh")
        for region in ("AR", "MX", "CA", "BE", "CH", "AT", "LU")
    ]
    head = "".join(f'<link rel="alternate" hreflang="{t}" href="/{t}.html">' for t in tags)
    web_site.add("/en.html", _page(en.title, en.paragraphs, lang="en", head=head))
    web_site.requests.clear()
    result = import_article(web_site.url("/en.html"), tmp_path)
    fetched = [r for r in web_site.requests if r != "/en.html"]
    assert len(tags) > MAX_VARIANTS
    assert len(fetched) == MAX_VARIANTS
    assert (
        sum(1 for _, reason in result.skipped if reason == "more than 40 variants")
        == len({page_language(t) for t in tags}) - MAX_VARIANTS
    )


def test_links_that_redirect_to_one_page_are_one_variant(web_site: WebSite, tmp_path: Path) -> None:
    en, de = source_text("en"), source_text("de")
    links = (
        '<link rel="alternate" hreflang="en" href="/en.html">'
        '<link rel="alternate" hreflang="de" href="/de.html">'
        '<link rel="alternate" hreflang="de-AT" href="/at.html">'
    )
    web_site.add("/en.html", _page(en.title, en.paragraphs, lang="en", head=links))
    web_site.add("/de.html", _page(de.title, de.paragraphs, lang="de", head=links))
    web_site.redirect("/at.html", "/de.html")
    result = import_article(web_site.url("/en.html"), tmp_path)
    assert result.languages == ["en", "de"]
    assert (web_site.url("/at.html"), "the same page as another language (after redirects)") in (
        result.skipped
    )


def test_a_variant_of_another_shape_is_not_merged(web_site: WebSite, tmp_path: Path) -> None:
    en = source_text("en")
    link = '<link rel="alternate" hreflang="fr" href="/fr.html">'
    web_site.add("/en.html", _page(en.title, en.paragraphs, lang="en", head=link))
    welcome = "Bienvenue sur notre site d'actualités du monde entier, mises à jour chaque jour."
    web_site.add("/fr.html", _page("Accueil", [welcome]))
    result = import_article(web_site.url("/en.html"), tmp_path)
    assert result.languages == ["en"]
    (reason,) = [r for url, r in result.skipped if url.endswith("/fr.html")]
    assert reason.startswith("another page:")


def test_the_deadline_holds_against_a_drip(web_site: WebSite) -> None:
    web_site.drip("/drip")
    with make_client() as client, pytest.raises(FetchError, match=r"took longer than 1\.5 s"):
        fetch(client, web_site.url("/drip"), deadline=1.5)


def test_the_user_agent_names_the_reader(web_site: WebSite) -> None:
    web_site.add("/p", "<p>x</p>")
    with make_client() as client:
        fetch(client, web_site.url("/p"))
    agent = web_site.request_headers[-1]["user-agent"]
    assert agent.startswith("polyglot-reader/") and "(+http" in agent
    assert isinstance(client, httpx.Client)


_PRINTABLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
)


@settings(max_examples=200, deadline=None)
@given(_PRINTABLE)
def test_escaped_text_reads_back_as_the_same_text(text: str) -> None:
    """Whatever a page says, the Markdown written for it shows those very words."""
    words = " ".join(text.split())
    if not words:
        return
    document = parse_markdown_page(f'+++\ntitle = "t"\n+++\n\nx {_escape(words)}\n')
    (block,) = document.blocks
    shown = "".join(span.text for span in block.spans)
    assert shown == f"x {words}"
    assert all(span.href is None for span in block.spans)


def test_a_cancelled_fetch_stops_within_a_second(web_site: WebSite) -> None:
    web_site.hang("/slow")
    flag = threading.Event()
    threading.Timer(0.3, flag.set).start()
    started = time.monotonic()
    with make_client() as client, pytest.raises(FetchError, match=r": cancelled$"):
        fetch(client, web_site.url("/slow"), cancelled=flag.is_set)
    assert time.monotonic() - started < 5  # the read timeout is 30 s, the deadline 60 s


def test_a_cancelled_import_writes_nothing(web_site: WebSite, tmp_path: Path) -> None:
    build_news_site(web_site)
    held = [web_site.hold(article_path(tag)) for tag in ("en", "fr", "ja")]
    flag = threading.Event()
    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        flag.set()  # the page itself is in: cancel while its variants are held

    try:
        with pytest.raises(FetchError, match="cancelled"):
            import_article(
                web_site.url(article_path("de")),
                tmp_path / "lib",
                progress=progress,
                cancelled=flag.is_set,
            )
    finally:
        for release in held:
            release.set()
    assert not (tmp_path / "lib").exists()


def test_a_very_long_page_is_cut_with_a_warning(
    web_site: WebSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3 MB in real life; the extractor's time grows with the page, so 30 kB here.
    monkeypatch.setattr(extract_module, "MAX_EXTRACT_CHARS", 30_000)
    sentence = "Ein Absatz mit genug Wörtern, damit er als Text zählt, Nummer {0}. "
    body = "".join(f"<p>{(sentence * 4).format(i)}</p>" for i in range(200))  # ~60 kB
    web_site.add("/long.html", f"<html lang='de'><body><article>{body}</article></body></html>")
    result = import_article(web_site.url("/long.html"), tmp_path)
    assert result.languages == ["de"]
    assert any(
        "only its first 0.03 million characters were read" in warning for warning in result.warnings
    )


def test_variants_are_fetched_six_at_a_time(web_site: WebSite, tmp_path: Path) -> None:
    """Ten variants: six in flight at once (never more), then the other four."""
    en = source_text("en")
    tags = ["de", "fr", "es", "it", "fi", "ru", "ja", "el", "pt", "id"]
    head = "".join(f'<link rel="alternate" hreflang="{t}" href="/{t}.html">' for t in ["en", *tags])
    page = _page(en.title, en.paragraphs, lang="en", head=head)
    web_site.add("/en.html", page)
    state = {"in_flight": 0, "most": 0, "started": 0}
    changed = threading.Condition()

    def variant(tag: str) -> Any:
        body = _page(source_text("en").title, en.paragraphs, lang=tag, head=head).encode()

        def handler(request: Any) -> None:
            with changed:
                state["in_flight"] += 1
                state["started"] += 1
                state["most"] = max(state["most"], state["in_flight"])
                changed.notify_all()
                # Hold every answer until six are waiting (or all have started).
                changed.wait_for(lambda: state["in_flight"] >= 6 or state["started"] == 10, 20)
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
            with changed:
                state["in_flight"] -= 1
                changed.notify_all()

        return handler

    for tag in tags:
        web_site.routes[f"/{tag}.html"] = variant(tag)
    result = import_article(web_site.url("/en.html"), tmp_path)
    assert state["most"] == 6
    assert sorted(result.languages) == sorted(["en", *tags])

"""Importing a page with its language variants from a real loopback web site."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.frontmatter import parse_front_matter, split_front_matter
from reader.sources.fetch import FetchError
from reader.sources.importer import import_article
from tests.web_site import (
    AD_TEXT,
    FOOTER_TEXT,
    IMPORTED,
    LANGUAGES,
    NAV_TEXT,
    WebSite,
    article_path,
    build_news_site,
    expected_paragraphs,
    imported,
    page_html,
    source_text,
)


def _front(path: Path) -> tuple[dict[str, str | None], str]:
    kind, raw, body = split_front_matter(path.read_text("utf-8"))
    assert kind == "toml" and raw is not None
    matter = parse_front_matter(kind, raw)
    fields = {
        "title": matter.title,
        "date": matter.date,
        "lang": matter.lang,
        "key": matter.translation_key,
        "source": matter.source,
    }
    return fields, body


def test_one_page_brings_every_language_variant_as_one_article(
    web_site: WebSite, tmp_path: Path
) -> None:
    build_news_site(web_site)
    lines: list[str] = []
    result = import_article(
        web_site.url(article_path("de")), tmp_path / "lib", progress=lines.append
    )
    assert result.key == "gpu-training-dilemma"
    assert sorted(result.languages) == sorted(IMPORTED)
    assert result.languages[0] == "de"  # the page asked for comes first
    names = sorted(path.name for path in (tmp_path / "lib").iterdir())
    assert names == sorted(f"gpu-training-dilemma.{tag}.md" for tag in IMPORTED)
    for language in LANGUAGES:
        tag = imported(language)  # en_US on the site: en-US
        fields, body = _front(tmp_path / "lib" / f"gpu-training-dilemma.{tag}.md")
        assert fields["lang"] == tag
        assert fields["key"] == "gpu-training-dilemma"
        assert fields["title"] == source_text(language).title
        assert fields["date"] == "2024-08-02"
        assert fields["source"] == web_site.url(article_path(language))
        paragraphs = [block for block in body.strip().split("\n\n") if block]
        assert paragraphs == expected_paragraphs(language)
        for chrome in (AD_TEXT, FOOTER_TEXT, NAV_TEXT, "Mehr Nachrichten", "Deutsch"):
            assert chrome not in body
    # A progress line per variant; the missing one and the home page are reported.
    assert len([line for line in lines if not line.startswith("skipped")]) == len(LANGUAGES)
    reasons = dict(result.skipped)
    assert "HTTP 404" in reasons[web_site.url(article_path("fi"))]
    assert reasons[web_site.url("/")].startswith("another page")
    # Each URL once, the home page too although six switcher links point at it.
    assert sorted(web_site.requests) == sorted(set(web_site.requests))


def test_cp1251_page_without_any_charset_is_decoded(web_site: WebSite, tmp_path: Path) -> None:
    build_news_site(web_site)
    result = import_article(web_site.url(article_path("ru")), tmp_path, variants=False)
    assert result.languages == ["ru"]
    fields, body = _front(tmp_path / "gpu-training-dilemma.ru.md")
    assert fields["title"] == source_text("ru").title
    assert expected_paragraphs("ru")[0] in body


def test_adding_again_or_adding_a_variant_updates_never_duplicates(
    web_site: WebSite, tmp_path: Path
) -> None:
    build_news_site(web_site)
    first = import_article(web_site.url(article_path("de")), tmp_path)
    before = sorted(path.name for path in tmp_path.iterdir())
    # The site changes a title; the English page is added this time.
    changed = page_html(web_site, "de").replace(source_text("de").title, "Neuer Titel")
    web_site.add(article_path("de"), changed)
    second = import_article(web_site.url(article_path("en")), tmp_path)
    assert second.key == first.key
    assert sorted(path.name for path in tmp_path.iterdir()) == before
    fields, _ = _front(tmp_path / "gpu-training-dilemma.de.md")
    assert fields["title"] == "Neuer Titel"


def test_only_and_no_variants(web_site: WebSite, tmp_path: Path) -> None:
    build_news_site(web_site)
    result = import_article(web_site.url(article_path("de")), tmp_path, only={"en", "ja"})
    assert sorted(result.languages) == ["en-US", "ja"]  # --only en takes en-US
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gpu-training-dilemma.en-US.md",
        "gpu-training-dilemma.ja.md",
    ]
    # Without variants only the page itself is fetched.
    web_site.requests.clear()
    import_article(web_site.url(article_path("fr")), tmp_path, variants=False)
    assert web_site.requests == [article_path("fr")]


def test_a_page_that_fails_leaves_nothing_behind(web_site: WebSite, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"HTTP 404"):
        import_article(web_site.url("/nowhere.html"), tmp_path / "lib")
    assert not (tmp_path / "lib").exists()


def test_a_page_whose_language_tag_changed_replaces_its_old_file(
    web_site: WebSite, tmp_path: Path
) -> None:
    en = source_text("en")
    body = "".join(f"<p>{p}</p>" for p in en.paragraphs)

    def serve(tag: str) -> None:
        web_site.add(
            "/story.html",
            f"<html lang='{tag}'><head><title>{en.title}</title></head>"
            f"<body><article><h1>{en.title}</h1>{body}</article></body></html>",
        )

    serve("en")
    import_article(web_site.url("/story.html"), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["story.en.md"]
    serve("en-GB")
    result = import_article(web_site.url("/story.html"), tmp_path)
    assert result.languages == ["en-GB"]
    assert [p.name for p in tmp_path.iterdir()] == ["story.en-GB.md"]

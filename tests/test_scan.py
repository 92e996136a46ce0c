"""Scanning and grouping: the naming rules, a Hugo site, the bundled library, bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.library import Library, bundled_library_path


def write(root: Path, relative: str, text: str, *, crlf: bool = False) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(data.encode("utf-8"))
    return path


def scan(root: Path, default: str = "en") -> Library:
    library = Library([root], default_language=default)
    library.scan()
    return library


def test_bundled_library_has_both_seed_articles_in_fourteen_languages() -> None:
    library = scan(bundled_library_path())
    fourteen = sorted(
        ["zh", "ru", "en", "fr", "id", "sa", "ja", "de", "pt", "el", "es", "it", "fi", "la"]
    )
    for key in ("gpu-training-dilemma", "huang-zuckerberg-open-source"):
        article = library.article(key)
        assert article is not None
        assert article.languages == fourteen
        assert len({v.paragraphs for v in article.variants.values()}) == 1
    guide = library.article("reader-guide")
    assert guide is not None and len(guide.languages) >= 5
    assert library.problems == []


def test_filename_suffix_rules(tmp_path: Path) -> None:
    write(tmp_path, "post.de.md", "# Hallo\n")
    write(tmp_path, "post.en.md", "# Hello\n")
    write(tmp_path, "post.md", "# Default\n")
    write(tmp_path, "v0.12.md", "# Version\n")
    write(tmp_path, "notes.old.md", "# Old\n")
    library = scan(tmp_path, default="fi")
    assert sorted(library.articles) == ["notes.old", "post", "v0.12"]
    assert library.article("post").languages == ["de", "en", "fi"]  # type: ignore[union-attr]
    assert library.article("v0.12").languages == ["fi"]  # type: ignore[union-attr]


def test_language_directories_including_regions(tmp_path: Path) -> None:
    write(tmp_path, "pt-br/guide/intro.md", "# Introdução\n")
    write(tmp_path, "zh-cn/guide/intro.md", "# 介绍\n")
    write(tmp_path, "en/guide/intro.md", "# Intro\n")
    library = scan(tmp_path)
    assert list(library.articles) == ["guide/intro"]
    assert library.article("guide/intro").languages == ["en", "pt-BR", "zh-CN"]  # type: ignore[union-attr]


def test_translation_key_joins_different_paths(tmp_path: Path) -> None:
    write(tmp_path, "en/about-us.md", '+++\ntitle = "About"\ntranslationKey = "about"\n+++\n')
    write(tmp_path, "de/ueber-uns.md", "---\ntitle: Über uns\ntranslationKey: about\n---\n")
    write(tmp_path, "fr/about-us.md", "# À propos\n")
    library = scan(tmp_path)
    assert list(library.articles) == ["about"]
    assert library.article("about").languages == ["de", "en", "fr"]  # type: ignore[union-attr]


def test_hugo_content_directory(tmp_path: Path) -> None:
    """A real Hugo layout: bundles, sections, mixed front matter, CRLF, deep nesting,
    missing translations. Every article once, with all of its variants."""
    write(tmp_path, "_index.md", '+++\ntitle = "Home"\n+++\n')
    write(tmp_path, "_index.de.md", '+++\ntitle = "Start"\n+++\n')
    write(tmp_path, "posts/_index.md", "---\ntitle: Posts\n---\n", crlf=True)
    write(tmp_path, "posts/first/index.md", '+++\ntitle = "First"\ndate = 2024-01-01\n+++\nHi.\n')
    write(
        tmp_path,
        "posts/first/index.de.md",
        "---\ntitle: Erster\ndate: 2024-01-01\n---\nHallo.\n",
        crlf=True,
    )
    write(tmp_path, "posts/second.md", '+++\ntitle = "Second"\n+++\n')
    write(tmp_path, "docs/a/b/c/d/e/deep.md", "# Deep\n")
    write(tmp_path, "docs/a/b/c/d/e/deep.ja.md", "# 深い\n")
    write(tmp_path, "posts/first/cover.jpg", "not a page")
    library = scan(tmp_path)
    assert sorted(library.articles) == [
        "_index",
        "docs/a/b/c/d/e/deep",
        "posts/_index",
        "posts/first",
        "posts/second",
    ]
    assert library.article("_index").languages == ["de", "en"]  # type: ignore[union-attr]
    first = library.article("posts/first")
    assert first is not None and first.languages == ["de", "en"]
    assert first.titles() == {"de": "Erster", "en": "First"}
    assert library.article("posts/_index").titles() == {"en": "Posts"}  # type: ignore[union-attr]
    assert library.article("docs/a/b/c/d/e/deep").languages == ["en", "ja"]  # type: ignore[union-attr]
    assert library.problems == []


def test_bad_files_are_reported_and_never_stop_the_scan(tmp_path: Path) -> None:
    write(tmp_path, "good.md", "# Good\n")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02PNG")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    library = scan(tmp_path)
    assert list(library.articles) == ["good"]
    reasons = {p.path: p.reason for p in library.problems}
    assert reasons == {
        "binary.md": "binary file (contains NUL bytes)",
        "pipe.md": "not a regular file",
        "loop": "directory loop (symlink)",
        "dangling.md": "vanished or dangling symlink",
    }


def test_problems_name_files_relative_to_the_library_root(tmp_path: Path) -> None:
    """Problems found walking and problems found reading name files alike."""
    write(tmp_path, "deep/er/good.md", "# Good\n")
    (tmp_path / "deep/er/binary.md").write_bytes(b"\x00binary")
    os.mkfifo(tmp_path / "deep/er/pipe.md")
    (tmp_path / "deep/dangling.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "deep/er/loop").symlink_to(tmp_path / "deep")
    library = scan(tmp_path)
    assert sorted((p.path, p.reason) for p in library.problems) == [
        ("deep/dangling.md", "vanished or dangling symlink"),
        ("deep/er/binary.md", "binary file (contains NUL bytes)"),
        ("deep/er/loop", "directory loop (symlink)"),
        ("deep/er/pipe.md", "not a regular file"),
    ]


def test_symlinks_out_of_the_library_are_reported_and_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "outside/secret.md", "# Secret\n")
    outside = (tmp_path / "outside").resolve()  # the reason names the real target
    root = tmp_path / "library"
    write(root, "good.md", "# Good\n")
    (root / "elsewhere").symlink_to(outside)
    (root / "secret.md").symlink_to(outside / "secret.md")
    (root / "hop.md").symlink_to(root / "secret.md")  # inside, but ends outside
    library = scan(root)
    assert list(library.articles) == ["good"]
    assert sorted((p.path, p.reason, p.skipped) for p in library.problems) == [
        ("elsewhere", f"symlink leads outside the library: {outside}", True),
        ("hop.md", f"symlink leads outside the library: {outside / 'secret.md'}", True),
        ("secret.md", f"symlink leads outside the library: {outside / 'secret.md'}", True),
    ]


def test_a_symlink_to_the_file_system_root_is_not_walked(tmp_path: Path) -> None:
    write(tmp_path, "good.md", "# Good\n")
    (tmp_path / "everything").symlink_to("/")
    library = scan(tmp_path)
    assert list(library.articles) == ["good"]
    assert [(p.path, p.reason) for p in library.problems] == [
        ("everything", "symlink leads outside the library: /")
    ]


def test_symlinks_inside_the_library_are_read_once(tmp_path: Path) -> None:
    write(tmp_path, "posts/first.md", "# First\n")
    write(tmp_path, "posts/first.de.md", "# Erster\n")
    write(tmp_path, ".drafts/draft.md", "# Draft\n")
    # An alias sorted before its target: the pages keep their real paths.
    (tmp_path / "latest").symlink_to("posts")
    (tmp_path / "posts" / "again").symlink_to(tmp_path / "posts")  # a loop
    # The only way into a hidden directory: its pages are read under the link.
    (tmp_path / "drafts").symlink_to(".drafts")
    # A symlinked page inside the library is a page of its own name.
    (tmp_path / "posts" / "first.fr.md").symlink_to("first.md")
    library = scan(tmp_path)
    assert sorted(library.articles) == ["drafts/draft", "posts/first"]
    first = library.article("posts/first")
    assert first is not None and first.languages == ["de", "en", "fr"]
    assert [(p.path, p.reason) for p in library.problems] == [
        ("posts/again", "directory loop (symlink)")
    ]


def test_symlink_loops_are_reported_never_followed(tmp_path: Path) -> None:
    write(tmp_path, "a/b/page.md", "# Page\n")
    (tmp_path / "a" / "b" / "up").symlink_to("../..")
    (tmp_path / "a" / "b" / "self").symlink_to(".")
    (tmp_path / "a" / "ping").symlink_to("pong")
    (tmp_path / "a" / "pong").symlink_to("ping")
    library = scan(tmp_path)
    assert list(library.articles) == ["a/b/page"]
    assert sorted((p.path, p.reason) for p in library.problems) == [
        ("a/b/self", "directory loop (symlink)"),
        ("a/b/up", "directory loop (symlink)"),
        ("a/ping", "symlink loop"),
        ("a/pong", "symlink loop"),
    ]


def test_a_library_reached_through_a_symlink_reads_its_own_links(tmp_path: Path) -> None:
    write(tmp_path, "real/posts/first.md", "# First\n")
    (tmp_path / "real" / "latest").symlink_to("posts")
    (tmp_path / "link").symlink_to("real")
    library = scan(tmp_path / "link")
    assert list(library.articles) == ["posts/first"]
    assert library.problems == []


def test_a_root_that_cannot_be_read_is_named_as_given(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    library = scan(missing)
    assert [(p.path, p.reason) for p in library.problems] == [
        (str(missing), "vanished or dangling symlink")
    ]


@pytest.mark.permissions
@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.md", "# Secret\n")
    path.chmod(0)
    library = scan(tmp_path)
    assert [p.reason for p in library.problems] == ["permission denied"]


def test_legacy_encodings_and_boms(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_bytes(
        "Заголовок статьи\n\nПервый абзац текста на русском языке.".encode("cp1251")
    )
    (tmp_path / "u16.txt").write_bytes("Überschrift\n\nText mit Umlauten äöü.".encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfTitle\n\nBody.")
    library = scan(tmp_path)
    assert library.article("ru").titles() == {"en": "Заголовок статьи"}  # type: ignore[union-attr]
    assert library.article("u16").titles() == {"en": "Überschrift"}  # type: ignore[union-attr]
    assert library.article("bom").titles() == {"en": "Title"}  # type: ignore[union-attr]


def test_load_splits_a_glued_next_title(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.de.txt",
        "Erster Artikel über Dinge\nEnglishDeutsch\nAbsatz eins.\n"
        "Absatz zwei.Zweiter Artikel über andere Dinge",
    )
    write(tmp_path, "b.de.txt", "Zweiter Artikel über andere Dinge\nEnglishDeutsch\nText.")
    library = scan(tmp_path)
    document = library.load(library.article("a").variants["de"])  # type: ignore[union-attr]
    assert document.next_title == "Zweiter Artikel über andere Dinge"
    assert document.blocks[-1].plain_text == "Absatz zwei."


def test_untagged_pages_are_detected_and_marked(tmp_path: Path) -> None:
    write(
        tmp_path,
        "artikel.md",
        "# Zusammenarbeit\n\nDie internationale Zusammenarbeit zwischen den Ländern "
        "ist wichtig für die Zukunft.\n",
    )
    write(
        tmp_path,
        "статья.txt",
        "Сотрудничество\n\nМеждународное сотрудничество между странами "
        "важно для будущего всех нас.\n",
    )
    write(tmp_path, "short.md", "# Hi\n")
    write(
        tmp_path,
        "tagged.fi.md",
        "# Yhteistyö\n\nKansainvälinen yhteistyö maiden välillä on tärkeää tulevaisuudelle.\n",
    )
    library = Library([tmp_path])  # no default language configured: detect
    library.scan()
    german = library.article("artikel").variants["de"]  # type: ignore[union-attr]
    assert german.language_source == "detected"
    assert library.article("статья").languages == ["ru"]  # type: ignore[union-attr]
    assert library.article("short").variants["en"].language_source == "default"  # type: ignore[union-attr]
    assert library.article("tagged").variants["fi"].language_source == "filename"  # type: ignore[union-attr]


@pytest.mark.parametrize("named", ["post.ru.md", "ru/post.md"])
@pytest.mark.parametrize("with_catalog", [False, True], ids=["scan", "catalog"])
def test_a_language_from_the_path_wins_over_front_matter(
    tmp_path: Path, named: str, with_catalog: bool
) -> None:
    """``post.md`` says ``lang: ru`` in its front matter and sorts first by path; the page
    whose path names the language is kept, the other reported."""
    from reader.library.catalog import Catalog

    root = tmp_path / "lib"
    write(root, "post.md", "---\nlang: ru\n---\n# Из заголовка\n\nтекст\n")
    write(root, named, "# Из пути\n\nтекст\n")
    if with_catalog:
        library = Library([root], catalog=Catalog.for_roots([root], tmp_path / "cache"))
        library.refresh()
    else:
        library = scan(root)
    article = library.article("post")
    assert article is not None
    assert article.variants["ru"].relpath == named
    assert article.variants["ru"].title == "Из пути"
    [problem] = library.problems
    assert problem.path == "post.md"
    assert f"second ru variant of 'post' (kept {named})" == problem.reason


def test_pages_with_one_translation_key_are_one_article(tmp_path: Path) -> None:
    write(tmp_path, "erste.md", "---\nlang: de\ntranslationKey: story\n---\n# Geschichte\n")
    write(tmp_path, "first.md", "---\nlang: en\ntranslationKey: story\n---\n# Story\n")
    write(tmp_path, "autre.md", "---\nlang: fr\ntranslationKey: other\n---\n# Autre\n")
    write(tmp_path, "plain.fi.md", "# Tarina\n")
    library = scan(tmp_path)
    assert sorted(library.articles) == ["other", "plain", "story"]
    assert library.article("story").languages == ["de", "en"]  # type: ignore[union-attr]
    assert library.article("other").languages == ["fr"]  # type: ignore[union-attr]
    assert library.problems == []


def test_a_dropped_duplicate_does_not_stop_the_other_languages(tmp_path: Path) -> None:
    """Kept first: the page whose path names the language; then, by path, a second
    Russian page (dropped) and a German one (kept all the same)."""
    write(tmp_path, "a.ru.md", "---\ntranslationKey: k\n---\n# Из пути\n")
    write(tmp_path, "b.md", "---\nlang: ru\ntranslationKey: k\n---\n# Второй\n")
    write(tmp_path, "c.md", "---\nlang: de\ntranslationKey: k\n---\n# Deutsch\n")
    library = scan(tmp_path)
    article = library.article("k")
    assert article is not None
    assert {tag: v.relpath for tag, v in article.variants.items()} == {
        "ru": "a.ru.md",
        "de": "c.md",
    }
    assert [p.path for p in library.problems] == ["b.md"]


def test_a_translation_key_that_is_another_pages_path_key_joins_it(tmp_path: Path) -> None:
    write(tmp_path, "x.de.md", "# Deutsch\n")
    write(tmp_path, "y.md", "---\nlang: en\ntranslationKey: x\n---\n# English\n")
    library = scan(tmp_path)
    assert list(library.articles) == ["x"]
    article = library.article("x")
    assert article is not None
    assert {tag: v.relpath for tag, v in article.variants.items()} == {
        "de": "x.de.md",
        "en": "y.md",
    }

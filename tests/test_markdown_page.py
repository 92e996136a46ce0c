"""Markdown pages: front matter variants, blocks, and hostile front matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library.markdown_page import parse_markdown_page


@pytest.mark.parametrize(
    "text",
    [
        '+++\ntitle = "Hallo"\ndate = 2024-05-01\n+++\nBody.\n',
        '\n\n+++   \ntitle = "Hallo"\ndate = 2024-05-01\n+++  \nBody.\n',
        '+++\r\ntitle = "Hallo"\r\ndate = 2024-05-01\r\n+++\r\nBody.\r\n',
        "---\r\ntitle: Hallo\r\ndate: 2024-05-01\r\n---\r\n\r\nBody.\r\n",
        '+++\rtitle = "Hallo"\rdate = 2024-05-01\r+++\rBody.\r',
        "---\ntitle: Hallo\ndate: 2024-05-01\n---\nBody.\n",
        "\n---  \ntitle: 'Hallo'\ndate: 2024-05-01T10:00:00Z\n...\nBody.\n",
    ],
)
def test_front_matter_variants(text: str) -> None:
    document = parse_markdown_page(text)
    assert document.title == "Hallo"
    assert document.date == "2024-05-01"
    assert [block.plain_text for block in document.blocks] == ["Body."]


def test_fields_and_translation_key() -> None:
    document = parse_markdown_page(
        '+++\ntitle = "T"\nlang = "de"\ntranslationKey = "k1"\ntags = ["a", "b"]\nsource = "https://x.org"\n+++\n'
    )
    assert (document.language, document.translation_key, document.tags, document.source) == (
        "de",
        "k1",
        ("a", "b"),
        "https://x.org",
    )


def test_title_falls_back_to_first_heading() -> None:
    document = parse_markdown_page("# Überschrift\n\nText.")
    assert document.title == "Überschrift"
    assert [b.kind for b in document.blocks] == ["paragraph"]


def test_blocks_of_every_kind() -> None:
    document = parse_markdown_page(
        "## H\n\nPara **b** *i* `c` [l](https://x.org).\n\n- a\n  - b\n\n1. x\n2. y\n\n> q\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n---\n"
    )
    kinds = [b.kind for b in document.blocks]
    assert kinds == ["heading", "paragraph", "list", "list", "quote", "table", "code", "rule"]
    paragraph = document.blocks[1]
    assert [(s.text, s.bold, s.italic, s.code, s.href) for s in paragraph.spans] == [
        ("Para ", False, False, False, None),
        ("b", True, False, False, None),
        (" ", False, False, False, None),
        ("i", False, True, False, None),
        (" ", False, False, False, None),
        ("c", False, False, True, None),
        (" ", False, False, False, None),
        ("l", False, False, False, "https://x.org"),
        (".", False, False, False, None),
    ]
    assert [(i.depth, i.marker) for i in document.blocks[2].items] == [(0, "•"), (1, "•")]
    assert [i.marker for i in document.blocks[3].items] == ["1.", "2."]
    assert document.blocks[5].plain_text == "a | b\n1 | 2"


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("---\na: &a [1,2]\nb: [*a, *a]\n---\n", "aliases"),
        ("+++\n" + "a = " + "[" * 200 + "]" * 200 + "\n+++\n", "nested"),
        ("+++\nn = " + "9" * 5000 + "\n+++\n", "invalid TOML"),
        ("+++\ndate = 2024-02-30\n+++\n", "invalid TOML"),
        ("---\ndate: 2024-02-30\n---\n", "invalid YAML"),
        ("---\n!!python/object/apply:os.system ['true']\n---\n", "invalid YAML"),
        ("+++\ntitle = \n+++\n", "invalid TOML"),
    ],
)
def test_hostile_front_matter_is_ignored_with_a_reason(front: str, reason: str) -> None:
    document = parse_markdown_page(front + "Body stays.\n")
    assert [block.plain_text for block in document.blocks] == ["Body stays."]
    assert len(document.notices) == 1
    assert document.notices[0].startswith("Front matter ignored")
    assert reason in document.notices[0]


def test_markup_in_text_stays_text() -> None:
    document = parse_markdown_page("[@click=app.quit]x[/] and [link=https://e.vil]y[/link]\n")
    assert document.blocks[0].plain_text == "[@click=app.quit]x[/] and [link=https://e.vil]y[/link]"


@given(st.text(max_size=300))
def test_any_markdown_parses(text: str) -> None:
    document = parse_markdown_page(text)
    # Whatever the input, the result is something to show: a one-line title and blocks
    # of text, none empty, and a plain paragraph keeps its words.
    assert "\n" not in document.title
    for block in document.blocks:
        assert block.plain_text.strip() or block.kind in ("rule", "code", "table"), block
    # Markdown strips spaces, tabs and line ends, not all that str.strip() does (\x1f).
    words = text.strip(" \t\r\n")
    if words.isalpha():
        assert document.title == words or [b.plain_text for b in document.blocks] == [words]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_a_windows_file_on_disk_reads_like_a_unix_one(tmp_path: Path, newline: str) -> None:
    """Through the real path: bytes on disk, scanned and loaded by the library."""
    from reader.library import Library

    text = '+++\ntitle = "Hallo"\ndate = 2024-05-01\n+++\n\nErster.\n\nZweiter\nTeil.\n'
    (tmp_path / "page.de.md").write_bytes(text.replace("\n", newline).encode("utf-8"))
    library = Library([tmp_path])
    library.scan()
    article = library.article("page")
    assert article is not None
    variant = article.variants["de"]
    assert (variant.title, variant.date, variant.paragraphs) == ("Hallo", "2024-05-01", 2)
    document = library.load(variant)
    assert [block.plain_text for block in document.blocks] == ["Erster.", "Zweiter Teil."]
    assert library.problems == []


@pytest.mark.parametrize(
    ("lang", "intro", "body"),
    [
        ("en", "The summary.", "The rest of the post."),
        ("de", "Die Zusammenfassung.", "Der Rest."),
        ("zh", "摘要在这里。", "正文从这里开始。"),
        ("ja", "要約です。", "本文はここから。"),
        ("fa", "خلاصهٔ مطلب.", "ادامهٔ مطلب."),
    ],
)
def test_html_comments_are_never_shown(lang: str, intro: str, body: str) -> None:
    # Hugo's summary divider between blocks, inline, an editor's note over several
    # lines and one never closed: none of it is text a reader should see.
    document = parse_markdown_page(
        f'+++\ntitle = "T"\nlang = "{lang}"\n+++\n{intro}\n\n<!--more-->\n\n'
        f"{body} <!--more--> {body}\n\n<!-- note to self:\n\nfix this -->\n\n"
        f"<div>kept</div><!-- dropped -->\n\n{body}\n\n<!-- never closed\n\n{body}"
    )
    shown = [block.plain_text for block in document.blocks]
    assert shown == [intro, f"{body}  {body}", "<div>kept</div>", body]
    assert all("<!--" not in text and "more" not in text for text in shown)


@pytest.mark.parametrize(
    "text", [">", "> >", "-", "1.", "> <!-- x -->", "- <!-- x -->", "**<!-- x -->**"]
)
def test_blocks_with_nothing_to_show_are_left_out(text: str) -> None:
    assert (
        parse_markdown_page(f"Before.\n\n{text}\n\nAfter.").blocks
        == parse_markdown_page("Before.\n\nAfter.").blocks
    )

"""The reference site's plain-text page format, on the real seed pages and edge cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library.model import Document
from reader.library.text_page import parse_text_page, split_next_title, strip_title_quotes
from tests.conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"
BUNDLED = REPO / "assets" / "library"


def _read(name: str) -> Document:
    return parse_text_page((BUNDLED / name).read_text(encoding="utf-8"))


def test_bundled_german_pages_are_the_seeds_verbatim() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed pages are not here ({SEEDS})")
    assert (BUNDLED / "gpu-training-dilemma.de.txt").read_bytes() == (
        SEEDS / "004_f5f97ae99a3b94b6.txt"
    ).read_bytes()
    assert (BUNDLED / "huang-zuckerberg-open-source.de.txt").read_bytes() == (
        SEEDS / "000_144a4e0df209dbda.txt"
    ).read_bytes()


def test_blank_line_layout_with_date_and_bar() -> None:
    document = _read("gpu-training-dilemma.de.txt")
    assert document.title == "GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung"
    assert document.date == "2024-08-02"
    assert len(document.advertised) == 14
    assert len(document.blocks) == 6
    assert document.blocks[0].plain_text.startswith("Mit der fortschreitenden")
    assert all("한어" not in block.plain_text for block in document.blocks)


def test_one_paragraph_per_line_layout_without_date() -> None:
    document = _read("huang-zuckerberg-open-source.de.txt")
    assert document.title.startswith("Jen-Hsun Huang, Zuckerberg")
    assert document.date is None
    assert document.advertised[:3] == ("zh", "ru", "en")
    assert len(document.blocks) == 5
    assert document.blocks[-1].plain_text.endswith("vorantreiben.")


def test_glued_next_article_title_is_split_off() -> None:
    other = "GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung"
    text = "Titel\nEnglishDeutsch\nErster Absatz.\nZweiter Absatz endet hier." + other
    document = split_next_title(parse_text_page(text), [other, "Titel"])
    assert document.blocks[-1].plain_text == "Zweiter Absatz endet hier."
    assert document.next_title == other
    assert len(document.blocks) == 2


def test_paragraph_that_is_only_a_title_is_not_split() -> None:
    other = "Some other article title"
    document = split_next_title(parse_text_page("T\n\nA.\n\n" + other), [other])
    assert document.next_title is None
    assert document.blocks[-1].plain_text == other


def test_quotes_and_date_and_bar_in_either_order() -> None:
    document = parse_text_page("«Заголовок»\nEnglishDeutsch\n2020-01-31\n\nТекст.\n")
    assert document.title == "Заголовок"
    assert document.date == "2020-01-31"
    assert document.advertised == ("en", "de")


def test_impossible_date_line_is_body_text() -> None:
    document = parse_text_page("Title\n2024-02-30\nBody.")
    assert document.date is None
    assert document.blocks[0].plain_text == "2024-02-30"


def test_wrapped_lines_join_with_space_except_between_cjk() -> None:
    document = parse_text_page("T\n\nword one\nword two\n\n中文句子\n继续\n")
    assert [b.plain_text for b in document.blocks] == ["word one word two", "中文句子继续"]


def test_title_quotes() -> None:
    assert strip_title_quotes("„GPU“") == "GPU"
    assert strip_title_quotes("「題」") == "題"
    assert strip_title_quotes("„A“ und „B“") == "„A“ und „B“"


@given(st.text(max_size=400))
def test_any_text_parses_without_error(text: str) -> None:
    document = parse_text_page(text)
    body = "".join(block.plain_text for block in document.blocks)
    assert len(body) <= len(text)

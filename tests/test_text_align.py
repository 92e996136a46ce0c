"""Alignment of paragraphs and sentences (Gale-Church), on the bundled translations."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library.markdown_page import parse_markdown_page
from reader.library.text_page import parse_text_page
from reader.text.align import (
    AlignedPair,
    align_paragraphs,
    align_sentences,
    align_texts,
    counterpart,
)
from tests.conftest import BUNDLED_LIBRARY

GPU = "gpu-training-dilemma"
HUANG = "huang-zuckerberg-open-source"
SIX = ["en", "de", "zh", "ru", "ja", "sa"]


def paragraphs(article: str, language: str) -> list[str]:
    text = (BUNDLED_LIBRARY / f"{article}.{language}.txt").read_text(encoding="utf-8")
    return [block.plain_text for block in parse_text_page(text).blocks]


def beads(pairs: list[AlignedPair] | tuple[AlignedPair, ...]) -> list[tuple[list[int], list[int]]]:
    return [(list(pair.left), list(pair.right)) for pair in pairs]


def one_to_one(count: int) -> list[tuple[list[int], list[int]]]:
    return [([index], [index]) for index in range(count)]


# Hand-checked by reading both texts side by side: on the GPU article every sentence of
# the English, German, Chinese and Sanskrit variants translates the sentence with the
# same number (5, 5, 4, 6, 3 and 3 sentences in the six paragraphs).
GPU_BY_HAND = [one_to_one(count) for count in (5, 5, 4, 6, 3, 3)]
# The Huang article's last paragraph: Chinese 总之，…，是…一个缩影。 is English sentences 1+2.
HUANG_LAST_EN_ZH = [([0, 1], [0]), ([2], [1]), ([3], [2])]


def aligned(article: str, left: str, right: str) -> list[list[tuple[list[int], list[int]]]]:
    pairs = zip(paragraphs(article, left), paragraphs(article, right), strict=True)
    return [beads(align_texts(a, b, left, right)[2]) for a, b in pairs]


def test_en_zh_gpu_matches_the_hand_made_table() -> None:
    assert aligned(GPU, "en", "zh") == GPU_BY_HAND
    english, chinese, _ = align_texts(
        *[paragraphs(GPU, lang)[1] for lang in ("en", "zh")], "en", "zh"
    )
    assert "Llama 3.1" in english[1] and "Llama 3.1" in chinese[1]


def test_de_sa_gpu_matches_the_hand_made_table() -> None:
    assert aligned(GPU, "de", "sa") == GPU_BY_HAND
    german, sanskrit, _ = align_texts(
        *[paragraphs(GPU, lang)[1] for lang in ("de", "sa")], "de", "sa"
    )
    assert "Llama 3.1" in german[1] and "लामा ३.१" in sanskrit[1]


def test_en_zh_huang_pairs_two_english_sentences_with_one_chinese() -> None:
    result = aligned(HUANG, "en", "zh")
    assert result[:4] == [one_to_one(count) for count in (4, 3, 4, 3)]
    assert result[4] == HUANG_LAST_EN_ZH
    assert aligned(HUANG, "zh", "ja")[4] == [([0], [0, 1]), ([1], [2]), ([2], [3])]


@pytest.mark.parametrize(("left", "right"), list(itertools.permutations(SIX, 2)))
def test_every_pair_of_six_languages_aligns_every_sentence(left: str, right: str) -> None:
    """The issue's bar: en, de, zh, ru, ja, sa, both articles, both directions."""
    assert aligned(GPU, left, right) == GPU_BY_HAND
    huang = aligned(HUANG, left, right)
    assert huang[:4] == [one_to_one(count) for count in (4, 3, 4, 3)]
    if "zh" not in (left, right):
        assert huang[4] == one_to_one(4)
    elif left == "zh":
        assert huang[4] == [([0], [0, 1]), ([1], [2]), ([2], [3])]
    else:
        assert huang[4] == HUANG_LAST_EN_ZH


@pytest.mark.parametrize("language", ["de", "zh", "ja", "sa"])
def test_paragraphs_merged_and_dropped_in_a_translation(language: str) -> None:
    """Paragraphs 1 and 2 merged into one, paragraph 4 missing: 2-1 and 1-0 beads."""
    english = paragraphs(GPU, "en")
    other = paragraphs(GPU, language)
    joiner = "" if language in {"zh", "ja"} else " "
    edited = [other[0], other[1] + joiner + other[2], other[3], other[5]]
    assert beads(align_paragraphs(english, edited, "en", language)) == [
        ([0], [0]),
        ([1, 2], [1]),
        ([3], [2]),
        ([4], []),
        ([5], [3]),
    ]


def test_headings_anchor_the_paragraph_alignment() -> None:
    """The guide in English and French, with one French body paragraph missing."""
    docs = {
        lang: parse_markdown_page((BUNDLED_LIBRARY / f"reader-guide.{lang}.md").read_text())
        for lang in ("en", "fr")
    }
    english = list(docs["en"].blocks)
    french = [block for index, block in enumerate(docs["fr"].blocks) if index != 5]
    pairs = align_paragraphs(
        [block.plain_text for block in english],
        [block.plain_text for block in french],
        "en",
        "fr",
        left_headings=[block.kind == "heading" for block in english],
        right_headings=[block.kind == "heading" for block in french],
    )
    for pair in pairs:
        kinds = {english[i].kind == "heading" for i in pair.left}
        kinds |= {french[j].kind == "heading" for j in pair.right}
        assert len(kinds) == 1, pair
    assert ([4], [4]) in beads(pairs) and ([5], []) in beads(pairs)
    assert ([7], [6]) in beads(pairs)


def test_counterpart_finds_a_place_for_unpaired_items() -> None:
    pairs = [
        AlignedPair((0,), (0,)),
        AlignedPair((1, 2), (1,)),
        AlignedPair((3,), ()),
        AlignedPair((), (2,)),
        AlignedPair((4,), (3, 4)),
    ]
    assert counterpart(pairs, 2) == (1,)
    assert counterpart(pairs, 3) == (1,)
    assert counterpart(pairs, 4) == (3, 4)
    assert counterpart(pairs, 2, side="right") == (3,)
    assert counterpart(pairs, 1, side="right") == (1, 2)
    assert counterpart(pairs, 9) == ()
    assert counterpart([AlignedPair((0,), ())], 0) == ()


def test_empty_sides() -> None:
    assert align_sentences([], ["a"], "en", "de") == [AlignedPair((), (0,))]
    assert align_sentences(["a", "b"], [], "en", "de") == [
        AlignedPair((0,), ()),
        AlignedPair((1,), ()),
    ]


sentences = st.lists(st.text(alphabet="abc 。", max_size=40), max_size=12)


def assert_monotone_cover(pairs: list[AlignedPair], left: int, right: int) -> None:
    flat_left = [index for pair in pairs for index in pair.left]
    flat_right = [index for pair in pairs for index in pair.right]
    assert flat_left == list(range(left))
    assert flat_right == list(range(right))
    for pair in pairs:
        assert pair.left or pair.right
        assert len(pair.left) <= 2 and len(pair.right) <= 2


@given(sentences, sentences, st.sampled_from([*SIX, "xx"]), st.sampled_from([*SIX, "fa"]))
def test_sentence_alignment_is_monotone_and_covers_everything(
    left: list[str], right: list[str], left_language: str, right_language: str
) -> None:
    pairs = align_sentences(left, right, left_language, right_language)
    assert_monotone_cover(pairs, len(left), len(right))


@given(sentences, sentences, st.lists(st.booleans()), st.lists(st.booleans()))
def test_paragraph_alignment_is_monotone_and_covers_everything(
    left: list[str], right: list[str], left_headings: list[bool], right_headings: list[bool]
) -> None:
    pairs = align_paragraphs(
        left, right, "en", "zh", left_headings=left_headings, right_headings=right_headings
    )
    assert_monotone_cover(pairs, len(left), len(right))


def test_long_documents_align_near_the_diagonal() -> None:
    """Beyond the full table the band still covers everything and finds the 1-1 chain."""
    left = [f"Sentence number {index} " * (1 + index % 5) for index in range(700)]
    right = [text.upper() for text in left]
    right.insert(350, "An extra paragraph in the translation, as long as the others. " * 3)
    pairs = align_paragraphs(left, right, "en", "en")
    assert_monotone_cover(pairs, len(left), len(right))
    assert AlignedPair((), (350,)) in pairs


@given(
    st.lists(
        st.tuples(st.floats(1, 500), st.floats(0.6, 1.4), st.booleans()), min_size=1, max_size=12
    )
)
def test_the_diagonal_shortcut_finds_what_the_programme_finds(
    items: list[tuple[float, float, bool]],
) -> None:
    """Equal counts that fit pair by pair skip the table: the result must be the same."""
    from reader.text.align import _align, _programme

    left = [length for length, _ratio, _heading in items]
    right = [length * ratio for length, ratio, _heading in items]
    headings = [heading for _length, _ratio, heading in items]
    assert _align(left, right, headings, headings) == _programme(left, right, headings, headings)

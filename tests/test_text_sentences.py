"""Sentences: sentencex plus our fix-up rules, on the bundled library's 14 languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library.text_page import parse_text_page
from reader.text.sentences import sentence_spans, split_sentences
from tests.conftest import BUNDLED_LIBRARY

SEED_LANGUAGES = [
    "en",
    "de",
    "zh",
    "ru",
    "ja",
    "sa",
    "el",
    "es",
    "fi",
    "fr",
    "id",
    "it",
    "la",
    "pt",
]

# Sentences per paragraph, counted by reading the texts (en, de, zh, sa, ja and ru line by
# line; the others checked against the English paragraph they translate). The only
# difference between languages: the Chinese last paragraph of the Huang article joins
# "In short, Huang and Zuckerberg support..." and "The episode in which the two swapped
# jackets..." into one sentence (总之，…，是国际背景下科技发展的一个缩影。).
EXPECTED_COUNTS: dict[str, dict[str, list[int]]] = {
    "gpu-training-dilemma": {key: [5, 5, 4, 6, 3, 3] for key in SEED_LANGUAGES},
    "huang-zuckerberg-open-source": {
        **{key: [4, 3, 4, 3, 4] for key in SEED_LANGUAGES},
        "zh": [4, 3, 4, 3, 3],
    },
}


def paragraphs(article: str, language: str) -> list[str]:
    text = (BUNDLED_LIBRARY / f"{article}.{language}.txt").read_text(encoding="utf-8")
    return [block.plain_text for block in parse_text_page(text).blocks]


@pytest.mark.parametrize("article", sorted(EXPECTED_COUNTS))
@pytest.mark.parametrize("language", SEED_LANGUAGES)
def test_sentence_counts_on_the_bundled_library(article: str, language: str) -> None:
    counts = [len(split_sentences(text, language)) for text in paragraphs(article, language)]
    assert counts == EXPECTED_COUNTS[article][language]


def test_sanskrit_version_number_is_not_a_sentence_end() -> None:
    """sentencex alone splits लामा ३.१ into 'लामा ३.' and '१ इत्यस्य …'."""
    sentences = split_sentences(paragraphs("gpu-training-dilemma", "sa")[1], "sa")
    assert sentences[1].startswith("लामा ३.१ इत्यस्य उन्मत्तवत्")
    assert sentences[1].endswith("प्रकाशम् आनीतवत्।")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("sa", "लामा ३.१ इत्यस्य। द्वितीयम्॥", ["लामा ३.१ इत्यस्य।", "द्वितीयम्॥"]),
        (
            "en",
            "Llama 3.1 crashed. See example.com now.",
            ["Llama 3.1 crashed.", "See example.com now."],
        ),
        ("de", "Das ist z. B. ein Test. Gut.", ["Das ist z. B. ein Test.", "Gut."]),
        ("ja", "彼は「行く。」と言った。次だ。", ["彼は「行く。」と言った。", "次だ。"]),
        (
            "zh",
            "科技领域的竞争日益激烈。GPU训练技术是关键。",
            ["科技领域的竞争日益激烈。", "GPU训练技术是关键。"],
        ),
        ("el", "Τι είναι; Αυτό είναι.", ["Τι είναι;", "Αυτό είναι."]),
        ("en", "   ", []),
    ],
)
def test_rules_of_our_own(language: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


def test_unknown_and_regional_tags_fall_back() -> None:
    assert split_sentences("Olá. Tudo bem?", "pt-BR") == ["Olá.", "Tudo bem?"]
    assert split_sentences("One. Two.", "qaa") == ["One.", "Two."]


@given(st.text(alphabet=st.sampled_from(list("ab .。!?३१\n“”」と")), max_size=60))
def test_spans_cover_the_text_in_order(text: str) -> None:
    """Sentences are in order, do not overlap, and only whitespace lies outside them."""
    spans = sentence_spans(text, "en")
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert not text[position:start].strip()
        assert text[start:end] == text[start:end].strip()
        position = end
    assert not text[position:].strip()

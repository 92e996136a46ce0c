"""Search folding and highlighting, as pure functions: which characters fold to which,
and which spans of a paragraph a query marks. Quick (no index), so that each rule is
named, and so that `make mutate` can run them for every change it makes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reader.library import search
from reader.library.search import _match_form, _terms, fold_for_words, fold_full, match_spans


@pytest.fixture(autouse=True)
def fresh_tables() -> Iterator[None]:
    """Build the folding tables anew in each test (they are made once and kept)."""
    search._fold_tables_made = None
    yield
    search._fold_tables_made = None


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("À", "A"),  # the first character of the Latin range
        ("¿", "¿"),  # just below it
        ("ÿŐǖ", "yOu"),
        ("ø", "ø"),  # no decomposition: a letter of its own
        ("ά", "α"),
        ("ΐ", "ι"),  # two marks
        ("ῼ", "Ω"),  # the Greek extended range
        ("Ḁ", "A"),  # its first character
        ("ё", "е"),
        ("Ё", "Е"),
        ("ς", "σ"),
        ("й", "й"),  # a letter of its own in Russian
        ("Ѐ", "Ѐ"),  # U+0400: past the range, left alone
        ("\u0344", "\u0344"),  # a combining character decomposes to marks only: kept
        ("\u1fc1", "\u00a8"),  # a spacing base with a mark: the base
        ("漢字 and ascii", "漢字 and ascii"),
    ],
)
def test_fold_full(text: str, folded: str) -> None:
    assert fold_full(text) == folded
    assert len(fold_full(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("é ü", "é ü"),  # FTS5's unicode61 folds Latin itself
        ("ά έ ή", "α ε η"),
        ("ἀρχή", "αρχη"),
        ("ёлка Ёлка", "елка Елка"),
        ("ς", "σ"),
        ("Ѐ", "Ѐ"),
        ("plain", "plain"),
    ],
)
def test_fold_for_words_folds_greek_and_yo_only(text: str, folded: str) -> None:
    assert fold_for_words(text) == folded


def test_match_form_lower_cases_and_folds_one_for_one() -> None:
    assert _match_form("ÄÖÜ straße") == "aou straße"
    assert _match_form("ΑΝΑΠΤΥΞΗΣ") == "αναπτυξησ"  # the final Σ as σ, like the text's ς
    assert _match_form("İSTANBUL") == "istanbul"


@pytest.mark.parametrize(
    ("text", "query", "spans"),
    [
        ("Der Überraschungsmoment kam", "uberrasch", [(4, 23)]),  # a prefix, to word end
        ("ab abc xab", "ab", [(0, 2)]),  # short: whole words only
        ("abc abcdef xabc", "abc", [(0, 3), (4, 10)]),  # a word's start only
        ("Wir sprechen über die Sache", '"über die"', [(13, 21)]),
        ("an e mail arrived; e-mail", "e-mail", [(19, 25)]),
        ("an e mail arrived", "e-mail", [(3, 4), (5, 9)]),  # its words, one by one
        ("我们开源了", "开源", [(2, 4)]),  # CJK: anywhere
        ("foo bar baz", 'foo "foo bar"', [(0, 7)]),  # overlapping spans merged
        ("ΑΝΑΠΤΥΞΗΣ και ανάπτυξης", "ΑΝΑΠΤΥΞΗΣ", [(0, 9), (14, 23)]),
        ("και ανάπτυξης", "αναπτυξησ", [(4, 13)]),  # typed with σ for the final ς
        ("tokens: abc_def abc", "abc", [(8, 11), (16, 19)]),
        ("Café-Bar café", "cafe", [(0, 4), (9, 13)]),
        ("a cat", "cat", [(2, 5)]),  # at the very end
        ("nothing here", "zebra", []),
        ("\ue000abc abc", "abc", [(5, 8)]),  # a private-use character is part of a word
        ("ｅ ｍａｉｌ", "ｅ-ｍａｉｌ", [(0, 1), (2, 6)]),  # full-width: its words, one by one
        ("an mailbox", "an-mai", [(0, 2), (3, 10)]),  # only the last word is a prefix
        ("an mailbox", '"an-mai"', [(0, 2)]),  # a phrase's words are whole words
        ("开源开源", "开源", [(0, 4)]),  # touching spans are one
        ("开开", "开", [(0, 2)]),  # one character, every place
        ("我们开源了", "开", [(2, 3)]),
        ("ｘｍａｉｌ ｍａｉｌ", "ｍａｉｌ", [(6, 10)]),  # full-width is not CJK: word starts
        ("ｍａｉｌｂｏｘ", "ｍａｉｌ", [(0, 7)]),  # ... and a prefix runs to the word's end
    ],
)
def test_match_spans(text: str, query: str, spans: list[tuple[int, int]]) -> None:
    assert match_spans(text, _terms(query)) == spans

"""``find_matches``: the Article screen's find, on plain strings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.tui.find_bar import find_matches


def test_finds_every_occurrence_case_insensitively_sorted_by_paragraph_then_side() -> None:
    texts = [
        ("right", 0, "Die Katze, die KATZE."),
        ("left", 1, "A cat."),
        ("left", 0, "The cat and the Cat."),
    ]
    assert find_matches("  cat ", texts) == [
        (0, "left", 4, 7),
        (0, "left", 16, 19),
        (1, "left", 2, 5),
    ]
    assert find_matches("katze", texts) == [(0, "right", 4, 9), (0, "right", 15, 20)]


def test_an_empty_query_matches_nothing() -> None:
    assert find_matches("   ", [("left", 0, "   spaces   ")]) == []


def test_matches_do_not_overlap() -> None:
    assert find_matches("aa", [("left", 0, "aaaaa")]) == [(0, "left", 0, 2), (0, "left", 2, 4)]


def test_offsets_point_at_what_is_shown_where_folding_changes_the_length() -> None:
    # casefold turns ß into ss: the offset of "Katze" after it is still the offset the
    # reader sees.
    text = "Große Katze"
    assert find_matches("KATZE", [("left", 3, text)]) == [(3, "left", 6, 11)]
    assert text[6:11] == "Katze"


@given(st.text(alphabet="abAB ", max_size=30), st.text(alphabet="abAB", min_size=1, max_size=3))
def test_every_match_is_the_query_in_the_text(text: str, query: str) -> None:
    for index, side, start, end in find_matches(query, [("left", 0, text)]):
        assert (index, side) == (0, "left")
        assert text[start:end].casefold() == query.casefold()


def test_a_spelling_that_folds_to_the_same_letters_is_found_both_ways() -> None:
    # "Straße" and "STRASSE" are one word to a reader of German; plain lower-casing
    # (what the find used to fall back on when ß was in the text) could not see it.
    assert find_matches("strasse", [("left", 0, "Die Straße ist lang")]) == [(0, "left", 4, 10)]
    assert find_matches("Straße", [("left", 0, "DIE STRASSE, die Strasse")]) == [
        (0, "left", 4, 11),
        (0, "left", 17, 24),
    ]


def test_a_match_inside_a_folded_character_covers_the_whole_character() -> None:
    # "s" is half of what the reader sees: the highlight covers the ß, once.
    assert find_matches("s", [("left", 0, "ßs")]) == [(0, "left", 0, 1), (0, "left", 1, 2)]
    assert find_matches("ßa", [("left", 0, "xßA")]) == [(0, "left", 1, 3)]


@given(
    st.text(alphabet="aßsSẞİıΣςﬁ ", max_size=30),
    st.text(alphabet="aßsSẞİΣς", min_size=1, max_size=3),
)
def test_every_match_covers_text_that_folds_around_the_query(text: str, query: str) -> None:
    matches = find_matches(query, [("left", 0, text)])
    shown_end = 0
    for _, _, start, end in matches:
        assert shown_end <= start < end <= len(text)
        assert query.casefold() in text[start:end].casefold()
        shown_end = end
    # Nothing the plain fold finds is lost, except a second find inside one character.
    folded, needle = text.casefold(), query.strip().casefold()
    if needle and folded.count(needle):
        assert 1 <= len(matches) <= folded.count(needle)

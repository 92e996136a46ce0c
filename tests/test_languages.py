"""Language tags, names, aliases and the run-together language bar."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.languages import (
    SITE_LANGUAGE_LABELS,
    describe,
    endonym,
    english_name,
    normalize_tag,
    order_by_preference,
    parse_language_bar,
    pick_language,
    primary_subtag,
    resolve_language,
    tag_from_filename_suffix,
)

SITE_BAR = (
    "한어Русский языкEnglishFrançaisIndonesianSanskrit日本語"
    "DeutschPortuguêsΕλληνικάespañolItalianoSuomalainenLatina"
)


def test_site_bar_parses_to_all_fourteen_languages_in_order() -> None:
    assert parse_language_bar(SITE_BAR) == [
        "zh", "ru", "en", "fr", "id", "sa", "ja", "de", "pt", "el", "es", "it", "fi", "la",
    ]  # fmt: skip


@pytest.mark.parametrize(("label", "tag"), sorted(SITE_LANGUAGE_LABELS.items()))
def test_every_site_label_is_an_alias(label: str, tag: str) -> None:
    assert resolve_language(label) == tag


def test_bar_with_separators_and_mixed_case() -> None:
    assert parse_language_bar("English · Deutsch | 日本語") == ["en", "de", "ja"]
    assert parse_language_bar("ENGLISH deutsch") == ["en", "de"]


@pytest.mark.parametrize(
    "line",
    ["English is spoken here", "Deutsch", "", "2024-08-02", "Englishx Deutsch"],
)
def test_ordinary_lines_are_not_language_bars(line: str) -> None:
    assert parse_language_bar(line) is None


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("pt-br", "pt-BR"),
        ("PT_br", "pt-BR"),
        ("zh-cn", "zh-CN"),
        ("de", "de"),
        ("sr-latn", "sr-Latn"),
    ],
)
def test_tags_are_normalised(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag


@pytest.mark.parametrize("suffix", ["12", "v0", "old", "bak", "draft", "index", "und", "md", ""])
def test_filename_suffixes_that_are_not_languages(suffix: str) -> None:
    assert tag_from_filename_suffix(suffix) is None


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("de", "Deutsch"),
        ("el", "Ελληνικά"),
        ("ja", "日本語"),
        ("sa", "संस्कृतम्"),
        ("fi", "Suomi"),
        ("ru", "Русский"),
    ],
)
def test_endonyms_as_readers_write_them(tag: str, name: str) -> None:
    assert endonym(tag) == name


def test_describe_and_english_names() -> None:
    assert describe("de") == "Deutsch (de)"
    assert english_name("el") == "Greek"


def test_preference_order_matches_primary_subtag() -> None:
    assert order_by_preference(["en", "pt-BR", "de"], ["pt", "de"]) == ["pt-BR", "de", "en"]


@given(
    st.lists(st.sampled_from(sorted(SITE_LANGUAGE_LABELS)), min_size=2, max_size=14, unique=True),
    st.sampled_from(["", " ", " · ", "|"]),
)
def test_any_run_of_site_labels_parses_back(labels: list[str], separator: str) -> None:
    expected = list(dict.fromkeys(SITE_LANGUAGE_LABELS[label] for label in labels))
    assert parse_language_bar(separator.join(labels)) == expected


@given(
    st.sampled_from(["de", "EN", "pt", "zh", "sr", "el", "sa", "fi"]),
    st.sampled_from(["", "-hant", "_Latn", "-cyrl"]),
    st.sampled_from(["", "-br", "_CN", "-tw", "-RS"]),
)
def test_fast_normalisation_agrees_with_langcodes(language: str, script: str, region: str) -> None:
    import langcodes

    tag = language + script + region
    assert normalize_tag(tag) == str(langcodes.standardize_tag(tag.replace("_", "-")))


def test_one_rule_for_lang_words_in_filters_and_queries() -> None:
    from reader.filters import split_language_filter

    assert split_language_filter("GPU lang:fi  dilemma lang:pt-BR") == (
        ["GPU", "dilemma"],
        ["fi", "pt-BR"],
    )
    assert split_language_filter("lang: half typed") == (["half", "typed"], [])
    assert split_language_filter("") == ([], [])


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("Suomalainen", "fi"),  # a label of the site, as written
        ("SUOMALAINEN", "fi"),  # only its case-folded form is known (langcodes knows nothing)
        ("  한어 ", "zh"),
        ("pt_br", "pt-BR"),  # a tag, normalised (langcodes cannot find it as a name)
        ("Swahili", "sw"),  # an English name no alias holds: langcodes finds it
        ("", None),
        ("   ", None),
        ("qqxyzzy", None),
    ],
)
def test_resolve_language_reads_labels_tags_and_names(typed: str, tag: str | None) -> None:
    assert resolve_language(typed) == tag


def test_primary_subtag_is_the_lower_case_language() -> None:
    assert primary_subtag("PT-br") == "pt"
    assert primary_subtag("zh-Hant-TW") == "zh"
    assert primary_subtag("de") == "de"


def test_pick_language_takes_the_first_preferred_else_the_first_there_is() -> None:
    assert pick_language(["de", "en", "fr"], ["fr", "en"]) == "fr"
    assert pick_language(["de", "ja"], ["en"]) == "de"
    assert pick_language([], ["en"]) is None


def test_a_language_bar_is_at_most_600_characters() -> None:
    exactly = "English" + " " * 586 + "Deutsch"
    assert len(exactly) == 600
    assert parse_language_bar(exactly) == ["en", "de"]
    assert parse_language_bar("English" + " " * 587 + "Deutsch") is None
    assert parse_language_bar(("English Deutsch " * 40).strip()) is None


def test_a_line_whose_case_folding_changes_its_length_is_read_as_written() -> None:
    assert parse_language_bar("Straße English") is None
    assert parse_language_bar("Deutsch · English · ẞ") is None

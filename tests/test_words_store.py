"""The word list on disk (words.toml) and its exports for Anki and Markdown."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text.tokens import word_spans
from reader.userdata import UserData, UserDataError
from reader.userdata.word_export import (
    ExportedNote,
    anki_csv,
    notes_markdown,
    words_markdown,
)
from reader.userdata.words import Word, Words

FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _words(config_dir: Path) -> Words:
    return UserData(config_dir, clock=lambda: FIXED).words


def _save_german(words: Words, meaning: str = "computing power") -> Word:
    return words.add(
        "Wettbewerbsdruck",
        "de",
        "gpu-training-dilemma",
        2,
        1,
        "Die Wettbewerbsdruck ist knapp.",
        "en",
        "Computing power is scarce.",
        meaning,
    )


def test_a_saved_word_is_on_disk_with_every_field(config_dir: Path) -> None:
    saved = _save_german(_words(config_dir))
    text = (config_dir / "words.toml").read_text("utf-8")
    assert text.startswith("version = 1\n")
    assert "[[word]]" in text and 'word = "Wettbewerbsdruck"' in text
    assert 'translation = "Computing power is scarce."' in text
    again = _words(config_dir).all()
    assert again == [saved]
    assert saved.to_json() == {
        "word": "Wettbewerbsdruck",
        "language": "de",
        "key": "gpu-training-dilemma",
        "paragraph": 2,
        "sentence": 1,
        "text": "Die Wettbewerbsdruck ist knapp.",
        "translation": {"language": "en", "text": "Computing power is scarce."},
        "meaning": "computing power",
        "created": "2026-01-02T03:04:05Z",
    }


def test_saving_the_same_word_of_the_same_sentence_replaces_it(config_dir: Path) -> None:
    words = _words(config_dir)
    _save_german(words, "first")
    _save_german(words, "second")
    assert [word.meaning for word in words.all()] == ["second"]


def test_two_instances_lose_nothing(config_dir: Path) -> None:
    first, second = _words(config_dir), _words(config_dir)
    first.add("eins", "de", "k", 0, 0, "eins")
    second.add("zwei", "de", "k", 0, 1, "zwei")
    assert {word.word for word in _words(config_dir).all()} == {"eins", "zwei"}


def test_remove_by_word_key_and_language(config_dir: Path) -> None:
    words = _words(config_dir)
    words.add("Haus", "de", "a", 0, 0, "Das Haus.")
    words.add("haus", "de", "b", 0, 0, "Ein haus.")
    words.add("Haus", "nl", "a", 0, 0, "Het Haus.")
    assert [w.key for w in words.remove("HAUS", key="b")] == ["b"]
    assert [w.language for w in words.remove("haus", language="nl")] == ["nl"]
    assert [w.key for w in words.all()] == ["a"]
    before = (config_dir / "words.toml").read_bytes()
    assert words.remove("nothing") == []
    assert (config_dir / "words.toml").read_bytes() == before


def test_a_broken_file_is_never_overwritten(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    broken = b"version = 1\n[[word]\nword = 'x'\n"
    (config_dir / "words.toml").write_bytes(broken)
    words = _words(config_dir)
    assert words.all() == []
    assert words.error is not None and "words.toml" in str(words.error)
    with pytest.raises(UserDataError):
        _save_german(words)
    assert (config_dir / "words.toml").read_bytes() == broken


@settings(max_examples=40, deadline=None)
@given(
    word=st.text(min_size=1).filter(lambda text: text.strip()),
    sentence=st.text(),
    meaning=st.text(),
)
def test_any_unicode_round_trips(
    tmp_path_factory: pytest.TempPathFactory, word: str, sentence: str, meaning: str
) -> None:
    try:
        (word + sentence + meaning).encode("utf-8")
    except UnicodeEncodeError:
        return
    words = _words(tmp_path_factory.mktemp("config"))
    saved = words.add(word, "de", "k", 0, 0, sentence, "en", "", meaning)
    assert words.all() == [saved]


def test_anki_csv_parses_back_into_front_back_and_tags(config_dir: Path) -> None:
    words = _words(config_dir)
    _save_german(words)
    words.add("<b>x</b>", "de", "k", 0, 0, 'Ein "Satz", mit <b>x</b>\nund Zeilen.', "", "", "")
    rows = list(csv.reader(io.StringIO(anki_csv(words.all()))))
    assert rows[0] == [
        "<b>Wettbewerbsdruck</b><br>Die <b>Wettbewerbsdruck</b> ist knapp.",
        "computing power<br><i>Computing power is scarce.</i>",
        "lang::de article::gpu-training-dilemma",
    ]
    front, back, tags = rows[1]
    assert front.startswith("<b>&lt;b&gt;x&lt;/b&gt;</b><br>Ein &quot;Satz&quot;, mit ")
    assert "<b>&lt;b&gt;x&lt;/b&gt;</b>\nund" in front  # the sentence's own markup is inert
    assert back == "" and tags == "lang::de article::k"


def test_markdown_export_groups_by_article_and_escapes() -> None:
    words = [
        Word("1", "Haus", "de", "a", 0, 0, "Das *Haus*.", "en", "The house.", "house", ""),
        Word("2", "Baum", "de", "b", 1, 2, "Ein Baum.", "", "", "", ""),
    ]
    text = words_markdown(words, {"a": "Artikel [A]"})
    assert "## Artikel \\[A\\]" in text and "## b" in text
    assert "- **Haus** (de): house" in text
    assert "  - Das \\*Haus\\*. (¶ 1, sentence 1)" in text
    assert "  - *The house.* (en)" in text


def test_notes_markdown_has_quote_translation_and_note() -> None:
    note = ExportedNote("a", "Titel", 1, "de", "Ein Satz.", "Mein\nText", "en", "A sentence.", "")
    text = notes_markdown([note])
    assert "## Titel" in text and "### ¶ 2 (de)" in text
    assert "> Ein Satz." in text and "> *A sentence.* (en)" in text
    assert "Mein\nText" in text


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Die GPU-Knappheit, sagt er, l'homme.", ["Die", "GPU-Knappheit", "sagt", "er", "l'homme"]),
        ("GPU训练的困境。", ["GPU", "训", "练", "的", "困", "境"]),
        ("संस्कृतम् भाषा ३.१", ["संस्कृतम्", "भाषा", "३", "१"]),
        ("Ἡ γλῶσσα, καί.", ["Ἡ", "γλῶσσα", "καί"]),
        ("", []),
    ],
)
def test_word_spans(sentence: str, words: list[str]) -> None:
    assert [sentence[start:end] for start, end in word_spans(sentence)] == words

"""Words of a sentence: picking one with a cursor, finding the sentence that holds one.

A word is a run of letters, digits and combining marks (so Devanagari vowel signs
and Greek accents stay with their letters), joined by an inner apostrophe or hyphen
(``l'homme``, ``Open-Source``). Scripts written without spaces (Chinese, Japanese
kana) have no such runs: each of their characters is a word of its own, and a
phrase is picked by widening the selection.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reader.text.sentences import split_sentences


def _is_cjk(character: str) -> bool:
    code = ord(character)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x2FA1F  # supplementary ideographs
    )


def _is_word_character(character: str) -> bool:
    return character.isalnum() or unicodedata.category(character).startswith("M")


def word_spans(sentence: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of each word of a sentence, in order.

    Args:
        sentence: Any text.

    Returns:
        Non-overlapping spans; empty if the text holds no letter or digit.
    """
    spans: list[tuple[int, int]] = []
    index, length = 0, len(sentence)
    while index < length:
        character = sentence[index]
        if _is_cjk(character):
            spans.append((index, index + 1))
            index += 1
            continue
        if not _is_word_character(character) or unicodedata.category(character).startswith("M"):
            index += 1
            continue
        start = index
        index += 1
        while index < length:
            character = sentence[index]
            if _is_cjk(character):
                break
            if _is_word_character(character):
                index += 1
            elif (
                character in "'’-"
                and index + 1 < length
                and _is_word_character(sentence[index + 1])
                and not _is_cjk(sentence[index + 1])
            ):
                index += 2
            else:
                break
        spans.append((start, index))
    return spans


def find_word(
    paragraphs: Sequence[str],
    language: str,
    word: str,
    *,
    paragraph: int | None = None,
    sentence: int | None = None,
) -> tuple[int, int] | None:
    """Where a word (or phrase) is read: the first sentence that holds it, in any case.

    Args:
        paragraphs: The paragraphs of the variant.
        language: Their language.
        word: The word or phrase.
        paragraph: Look only in this 0-based paragraph.
        sentence: Take this 0-based sentence of ``paragraph`` whether or not it holds
            the word (the user pointed at it).

    Returns:
        ``(paragraph, sentence)``, or ``None`` if no sentence holds the word (or the
        sentence asked for does not exist).
    """
    wanted = " ".join(word.split()).casefold()
    if paragraph is not None:
        if not 0 <= paragraph < len(paragraphs):
            return None
        sentences = split_sentences(paragraphs[paragraph], language)
        if sentence is not None:
            return (paragraph, sentence) if 0 <= sentence < len(sentences) else None
        for index, text in enumerate(sentences):
            if wanted in " ".join(text.split()).casefold():
                return paragraph, index
        return None
    for number in range(len(paragraphs)):
        found = find_word(paragraphs, language, word, paragraph=number)
        if found is not None:
            return found
    return None

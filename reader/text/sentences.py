"""Splitting a paragraph into sentences, in any of the languages the reader meets.

The segmenter is **sentencex** (rules for ~300 languages: abbreviations such as ``z. B.``,
CJK full stops, the Devanagari danda), imported on first use. A few small rules of our own
repair what it gets wrong on the reference site's texts (checked on all 14 languages of
the bundled library, see ``tests/test_text_sentences.py``):

- a full stop between two digits is a decimal point, in any script: Sanskrit ``लामा ३.१``
  is one sentence, not ``लामा ३.`` + ``१ …`` (the same for ``example.com``, ``v1.2``);
- a Japanese quotation closed by ``」`` and followed by kana continues the sentence:
  ``彼は「行く。」と言った。`` is one sentence;
- a piece with no letter or digit (a lone ``”`` or ``…``) belongs to the sentence before.

Results are cached per (text, language), so the reader can ask again for every paragraph
drawn without segmenting it twice.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from reader.languages import primary_subtag

_CLOSING_QUOTES = "」』）)〉》】"


def split_sentences(text: str, language: str) -> list[str]:
    """Split ``text`` (one paragraph) into sentences.

    Args:
        text: The paragraph's plain text (untrusted; never interpreted).
        language: Its language tag (``de``, ``pt-BR``, ``zh-Hant``); only the primary
            subtag matters. An unknown tag gets sentencex's generic rules.

    Returns:
        The sentences in order, each without surrounding whitespace; empty for a text of
        only whitespace. Joined with the whitespace between them they give ``text`` back
        (see :func:`sentence_spans` for their offsets).
    """
    return [text[start:end] for start, end in sentence_spans(text, language)]


@lru_cache(maxsize=4096)
def sentence_spans(text: str, language: str) -> tuple[tuple[int, int], ...]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``.

    The same sentences as :func:`split_sentences`, as offsets into ``text`` (so a view can
    highlight one without searching for it). Cached: the result is shared, hence a tuple.
    """
    if not text.strip():
        return ()
    pieces = _segment(text, primary_subtag(language) or "en")
    merged = _fix_up(text, pieces)
    spans: list[tuple[int, int]] = []
    for start, end in merged:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return tuple(spans)


def _segment(text: str, language: str) -> list[tuple[int, int]]:
    """Sentencex's pieces as offsets covering ``text`` from start to end."""
    from sentencex import segment

    spans: list[tuple[int, int]] = []
    position = 0
    for piece in segment(language, text):
        if not piece:
            continue
        found = text.find(piece, position)
        if found < 0:
            # The segmenter changed the text (it should not): keep what is left whole.
            break
        if spans:
            # Whatever lay between two pieces belongs to the earlier one.
            spans[-1] = (spans[-1][0], found)
        elif found > 0:
            found = 0
        spans.append((found, found + len(piece)))
        position = found + len(piece)
    if not spans:
        return [(0, len(text))]
    spans[-1] = (spans[-1][0], len(text))
    return spans


def _fix_up(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge the pieces that our rules say belong to one sentence."""
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and _continues(text, merged[-1], (start, end)):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues(text: str, previous: tuple[int, int], current: tuple[int, int]) -> bool:
    """Whether the piece ``current`` continues the sentence ``previous``."""
    before = text[previous[0] : previous[1]]
    after = text[current[0] : current[1]]
    if not any(char.isalnum() for char in after):
        return True
    if before[-1:].isspace() or not before or not after:
        return False
    last, first = before[-1], after[0]
    # "३.१", "3.1", "example.com": a full stop with a letter or digit right on both sides.
    if last == "." and len(before) >= 2 and before[-2].isalnum() and first.isalnum():
        return _is_narrow(first) and _is_narrow(before[-2])
    # 「行く。」と言った: a closed quotation followed by kana goes on.
    return last in _CLOSING_QUOTES and _is_kana(first)


def _is_narrow(char: str) -> bool:
    """A character of a script that separates sentences with spaces (not CJK)."""
    return unicodedata.east_asian_width(char) not in {"W", "F"}


def _is_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff"

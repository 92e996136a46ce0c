"""Where a sentence or paragraph of one variant is in another: the text aligned with it.

The word list keeps, with each word, the sentence it was read in and that sentence's
translation; notes are exported with the text their paragraph aligns to. Both ask the
same question of two variants of one article, answered here from the paragraph and
sentence alignments of :mod:`reader.text.align`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.text.align import align_paragraphs, align_sentences
from reader.text.sentences import split_sentences


def counterpart_paragraphs(
    left: Sequence[str],
    right: Sequence[str],
    left_language: str,
    right_language: str,
    paragraph: int,
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The aligned group that holds ``paragraph`` of ``left``.

    Args:
        left: The paragraphs of the variant read.
        right: The paragraphs of the other variant.
        left_language: The language of ``left``.
        right_language: The language of ``right``.
        paragraph: A 0-based paragraph of ``left``.

    Returns:
        ``(left_indexes, right_indexes)``: the left paragraphs aligned together with it
        (more than one where the translation merged them) and the right paragraphs they
        align to (none where the translation left it out).
    """
    for pair in align_paragraphs(left, right, left_language, right_language):
        if paragraph in pair.left:
            return pair.left, pair.right
    return (paragraph,), ()


def counterpart_sentences(
    left: Sequence[str],
    right: Sequence[str],
    left_language: str,
    right_language: str,
    paragraph: int,
    sentence: int,
) -> list[str]:
    """The sentences of ``right`` that translate one sentence of ``left``.

    Args:
        left: The paragraphs of the variant read.
        right: The paragraphs of the other variant.
        left_language: The language of ``left``.
        right_language: The language of ``right``.
        paragraph: A 0-based paragraph of ``left``.
        sentence: A 0-based sentence of that paragraph.

    Returns:
        The aligned sentences in order (one, several where the translation split it,
        none where it has nothing for it).
    """
    left_group, right_group = counterpart_paragraphs(
        left, right, left_language, right_language, paragraph
    )
    if not right_group:
        return []
    offset = 0
    for index in left_group:
        if index == paragraph:
            break
        offset += len(split_sentences(left[index], left_language))
    left_sentences = [s for i in left_group for s in split_sentences(left[i], left_language)]
    right_sentences = [s for j in right_group for s in split_sentences(right[j], right_language)]
    wanted = offset + sentence
    for pair in align_sentences(left_sentences, right_sentences, left_language, right_language):
        if wanted in pair.left:
            return [right_sentences[j] for j in pair.right]
    return []


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
    for number, text in enumerate(paragraphs):
        found = find_word(paragraphs, language, word, paragraph=number)
        if found is not None:
            return found
    return None

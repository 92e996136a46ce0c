"""ParallelText: paragraph beads, sentence pairs within them, positions across variants."""

from __future__ import annotations

from reader.text.parallel import ParallelText, SentencePair, SentenceRef, map_position
from tests.test_text_align import GPU, HUANG, paragraphs


def test_sentence_pairs_of_the_huang_last_paragraph_en_zh() -> None:
    parallel = ParallelText(paragraphs(HUANG, "en"), paragraphs(HUANG, "zh"), "en", "zh")
    bead = parallel.bead_of(4)
    assert bead == 4
    assert parallel.sentence_pairs(bead)[0] == SentencePair(
        (SentenceRef(4, 0), SentenceRef(4, 1)), (SentenceRef(4, 0),)
    )
    assert parallel.counterpart_sentences(SentenceRef(4, 2)) == (SentenceRef(4, 1),)
    assert parallel.counterpart_sentences(SentenceRef(4, 0), side="right") == (
        SentenceRef(4, 0),
        SentenceRef(4, 1),
    )
    assert parallel.sentence_text(SentenceRef(4, 1), side="right").startswith("它不仅展现了")


def test_position_survives_merged_and_missing_paragraphs() -> None:
    """German with paragraphs 1+2 merged and 4 missing: English ¶3 sentence 2 -> German ¶1
    sentence 7 (after the 5 sentences of ¶2), English ¶5 -> German ¶3."""
    english = paragraphs(GPU, "en")
    german = paragraphs(GPU, "de")
    edited = [german[0], german[1] + " " + german[2], german[3], german[5]]
    assert map_position(english, edited, "en", "de", 2, 2) == SentenceRef(1, 7)
    assert map_position(english, edited, "en", "de", 5, 1) == SentenceRef(3, 1)
    # The missing paragraph: its place is the nearest paragraph before it.
    assert map_position(english, edited, "en", "de", 4, 1) == SentenceRef(2, 0)
    assert map_position(edited, english, "de", "en", 1, 7) == SentenceRef(2, 2)


def test_sentences_outside_the_text_are_empty() -> None:
    parallel = ParallelText(["One. Two."], [], "en", "de")
    assert parallel.sentences(0) == ((0, 4), (5, 9))
    assert parallel.sentences(3) == ()
    assert parallel.sentence_text(SentenceRef(0, 5)) == ""
    assert parallel.counterpart_sentences(SentenceRef(0, 0)) == ()
    assert parallel.map_position(SentenceRef(0, 1)) == SentenceRef(0, 0)

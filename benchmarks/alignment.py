"""Sentence counts, length ratios and alignment accuracy on the bundled library.

    .venv/bin/python benchmarks/alignment.py [--languages en,de,zh,ru,ja,sa] [--ratios]

Prints, for every ordered pair of the languages given (default: all 14 of the bundled
news articles), how many of the expected sentence beads the aligner finds. The expected
beads come from reading the texts: every sentence translates the sentence with the same
number, except the Chinese last paragraph of the Huang article, whose first sentence is
the English first two (the same table as ``tests/test_text_align.py``). With ``--ratios``
it also prints the per-language length ratios behind ``CHARS_PER_ENGLISH_CHAR``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.library.text_page import parse_text_page  # noqa: E402
from reader.text.align import AlignedPair, align_texts  # noqa: E402

LIBRARY = REPO / "assets" / "library"
ARTICLES = ("gpu-training-dilemma", "huang-zuckerberg-open-source")
LANGUAGES = ["en", "de", "zh", "ru", "ja", "sa", "el", "es", "fi", "fr", "id", "it", "la", "pt"]


def paragraphs(article: str, language: str) -> list[str]:
    text = (LIBRARY / f"{article}.{language}.txt").read_text(encoding="utf-8")
    return [block.plain_text for block in parse_text_page(text).blocks]


def units(article: str, paragraph: int, language: str, count: int) -> list[tuple[int, ...]]:
    """Which English sentences each sentence of this paragraph translates."""
    if article.startswith("huang") and paragraph == 4 and language == "zh":
        return [(0, 1), (2,), (3,)]
    return [(index,) for index in range(count)]


def expected(left: list[tuple[int, ...]], right: list[tuple[int, ...]]) -> list[AlignedPair]:
    """The beads that pair the two sides' sentences over the English ones."""
    beads: list[AlignedPair] = []
    i = j = 0
    while i < len(left) and j < len(right):
        group_left, group_right = [i], [j]
        seen_left, seen_right = set(left[i]), set(right[j])
        while seen_left != seen_right:
            if max(seen_left) < max(seen_right):
                i += 1
                group_left.append(i)
                seen_left |= set(left[i])
            else:
                j += 1
                group_right.append(j)
                seen_right |= set(right[j])
        beads.append(AlignedPair(tuple(group_left), tuple(group_right)))
        i, j = i + 1, j + 1
    return beads


def accuracy(left: str, right: str) -> tuple[int, int]:
    """(expected beads found, expected beads) over both articles."""
    found = total = 0
    for article in ARTICLES:
        pairs = zip(paragraphs(article, left), paragraphs(article, right), strict=True)
        for number, (a, b) in enumerate(pairs):
            left_sentences, right_sentences, got = align_texts(a, b, left, right)
            wanted = expected(
                units(article, number, left, len(left_sentences)),
                units(article, number, right, len(right_sentences)),
            )
            found += len(set(wanted) & set(got))
            total += len(wanted)
    return found, total


def print_ratios() -> None:
    def length(text: str) -> int:
        return sum(1 for char in text if not char.isspace())

    english = [length(p) for article in ARTICLES for p in paragraphs(article, "en")]
    print("language  chars per English char  stdev over paragraphs")
    for language in LANGUAGES:
        own = [length(p) for article in ARTICLES for p in paragraphs(article, language)]
        ratios = [a / b for a, b in zip(own, english, strict=True)]
        print(f"{language:8}  {sum(own) / sum(english):21.3f}  {statistics.pstdev(ratios):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--ratios", action="store_true", help="print the length ratios too")
    options = parser.parse_args()
    if options.ratios:
        print_ratios()
    languages = options.languages.split(",")
    all_found = all_total = 0
    for left, right in itertools.permutations(languages, 2):
        found, total = accuracy(left, right)
        all_found += found
        all_total += total
        print(f"{left}-{right}: {found}/{total} = {found / total:.1%}")
    print(
        f"all {len(languages) * (len(languages) - 1)} pairs: {all_found}/{all_total}"
        f" = {all_found / all_total:.1%}"
    )


if __name__ == "__main__":
    main()

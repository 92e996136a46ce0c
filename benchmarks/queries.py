"""The search queries the benchmark times, about ten per script.

Each query is drawn from the word lists of ``wordlists.py`` and is kept only if the
library has its language. Pairs with and without accents (``Überraschung`` /
``uberraschung``, Greek with and without the tonos) must find the same articles; the
run script checks that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    """One timed query.

    Attributes:
        script: ``latin``, ``cyrillic``, ``greek`` or ``han`` (for per-script figures).
        language: The language whose text it is written in (it must be in the library).
        text: What is typed.
        same_as: For an unaccented spelling, the accented query that must find the same.
    """

    script: str
    language: str
    text: str
    same_as: str | None = None


QUERIES: tuple[Query, ...] = (
    # Latin: plain words, a prefix, two words, a phrase; German with and without accents.
    Query("latin", "en", "government"),
    Query("latin", "en", "semicond"),
    Query("latin", "en", "market research"),
    Query("latin", "en", '"the committee"'),
    Query("latin", "en", "serendipity"),
    Query("latin", "de", "Überraschung"),
    Query("latin", "de", "uberraschung", same_as="Überraschung"),
    Query("latin", "de", "Behörde"),
    Query("latin", "de", "behorde", same_as="Behörde"),
    Query("latin", "de", "Öffentlichkeit"),
    Query("latin", "de", "offentlichkeit", same_as="Öffentlichkeit"),
    Query("latin", "fr", "élection"),
    Query("latin", "fr", "election", same_as="élection"),
    Query("latin", "es", "investigación"),
    Query("latin", "es", "investigacion", same_as="investigación"),
    # Cyrillic: words, a prefix, two words, ё and е.
    Query("cyrillic", "ru", "правительство"),
    Query("cyrillic", "ru", "Правительство"),
    Query("cyrillic", "ru", "исследование"),
    Query("cyrillic", "ru", "телеск"),
    Query("cyrillic", "ru", "экономика рынок"),
    Query("cyrillic", "ru", "неожиданность"),
    Query("cyrillic", "ru", "объём"),
    Query("cyrillic", "ru", "объем", same_as="объём"),
    Query("cyrillic", "ru", "ёлка"),
    Query("cyrillic", "ru", "елка", same_as="ёлка"),
    # Greek with and without the tonos, and in capitals.
    Query("greek", "el", "κυβέρνηση"),
    Query("greek", "el", "κυβερνηση", same_as="κυβέρνηση"),
    Query("greek", "el", "ΚΥΒΕΡΝΗΣΗ", same_as="κυβέρνηση"),
    Query("greek", "el", "έρευνα"),
    Query("greek", "el", "ερευνα", same_as="έρευνα"),
    Query("greek", "el", "πανεπιστήμιο"),
    Query("greek", "el", "πανεπιστημιο", same_as="πανεπιστήμιο"),
    Query("greek", "el", "έκπληξη"),
    Query("greek", "el", "εκπληξη", same_as="έκπληξη"),
    Query("greek", "el", "δημόσια πολιτική"),
    # Chinese: two- and three-character substrings (some across word boundaries).
    Query("han", "zh", "经济"),
    Query("han", "zh", "政府"),
    Query("han", "zh", "研究"),
    Query("han", "zh", "惊喜"),
    Query("han", "zh", "货币"),
    Query("han", "zh", "人工智"),
    Query("han", "zh", "研究所"),
    Query("han", "zh", "博物馆"),
    Query("han", "zh", "考古学"),
    Query("han", "zh", "海岸线"),
)

#: Scripts in the order reports list them.
SCRIPTS = ("latin", "cyrillic", "greek", "han")


def queries_for(languages: Sequence[str]) -> list[Query]:
    """The queries whose language is among ``languages`` (``zh`` covers ``zh-CN``)."""
    bases = {tag.split("-")[0].lower() for tag in languages}
    return [query for query in QUERIES if query.language in bases]

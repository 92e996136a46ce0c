"""What a filter or a search query may say besides its words (nothing heavy: on the first paint)."""

from __future__ import annotations

LANGUAGE_FILTER_PREFIX = "lang:"
"""Written before a tag in a filter or a query (``lang:fi``) to keep one language."""


def split_language_filter(text: str) -> tuple[list[str], list[str]]:
    """Take the ``lang:xx`` words out of a filter or a search query.

    The one rule for every place that reads them (the Library's filter, search, the
    language filter's choice): a word ``lang:`` followed by a tag names a language; a
    bare ``lang:`` (half typed) is neither a word nor a language.

    Args:
        text: What the user typed.

    Returns:
        ``(words, languages)``: the other words in order, and the languages named.
    """
    words: list[str] = []
    languages: list[str] = []
    for word in text.split():
        if word.startswith(LANGUAGE_FILTER_PREFIX):
            language = word[len(LANGUAGE_FILTER_PREFIX) :]
            if language:
                languages.append(language)
        else:
            words.append(word)
    return words, languages

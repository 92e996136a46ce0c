"""Finding an article, a variant and a paragraph from what was typed."""

from __future__ import annotations

from reader.cli.choices import language_tag
from reader.cli.output import CliError, clean_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace


def find_article(library: Any, key: str) -> Any:
    article = library.article(key)
    if article is None:
        raise CliError(f"no article with key {clean_line(key)!r} (see 'reader list')")
    return article


def variant_language(article: Any, requested: str) -> str:
    """The tag of a language typed for an article, which must have that variant.

    Raises:
        CliError: Not a language, or the article has no variant in it.
    """
    tag = language_tag(requested)
    if tag not in article.variants:
        have = ", ".join(article.languages)
        raise CliError(f"'{article.key}' has no {tag} variant (it has: {have})")
    return tag


def language_of(article: Any, requested: str | None, languages: list[str]) -> str:
    """The variant to show: the one asked for, else the first preferred one there is."""
    from reader.languages import pick_language

    if requested is not None:
        return variant_language(article, requested)
    return pick_language(article.variants, [*languages, "en"]) or article.languages[0]


def paragraph_index(value: int | None, count: int) -> int | None:
    if value is None:
        return None
    if value < 1 or (count and value > count):
        raise CliError(f"paragraph must be between 1 and {count}")
    return value - 1


def other_language_of(article: Any, language: str, wanted: str | None, languages: list[str]) -> str:
    """The language to translate into: ``wanted``, else the first preferred one there is."""
    if wanted is not None:
        return variant_language(article, wanted)
    for tag in [*languages, "en", *article.languages]:
        if tag != language and tag in article.variants:
            return str(tag)
    return ""


def paragraph_texts(library: Any, article: Any, language: str) -> list[str]:
    """The plain text of each paragraph (block) of one variant."""
    try:
        document = library.load(article.variants[language])
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read {article.variants[language].relpath}: {error}") from error
    return [block.plain_text for block in document.blocks]

"""Which variants an Article screen shows and where: reading them (at once or in a
worker), the place kept across a language switch, and the order languages cycle in.

Nothing here touches a widget: the screen calls these and shows what they return.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from reader.library import Article, Document, Variant
from reader.text.parallel import ParallelText, SentenceRef
from reader.tui.widgets.body_layout import MAX_VIEW_BLOCKS, align_variants

#: Pages up to this size (both, side by side) are read as the screen opens; larger
#: ones are read in a worker so that the interface keeps answering meanwhile.
READ_NOW_BYTES = 64 * 1024

#: A language switch in progress: the language, texts and headings switched from, and
#: the paragraph and sentence to find in the new variant.
Switch = tuple[str, list[str], list[bool], int, int]


class VariantLoader(Protocol):
    """What reads a variant (the library)."""

    def load(self, variant: Variant) -> Document:
        """The parsed page of ``variant``."""
        ...


@dataclass(frozen=True)
class Loaded:
    """Variants read by the loader worker."""

    token: int
    language: str
    document: Document | None
    error: str | None
    paragraph: int
    right_language: str | None = None
    right_document: Document | None = None
    #: The sentence to show, and whether a language switch mapped paragraph and sentence.
    sentence: int = 0
    switched: bool = False
    #: Side by side: the two variants' paragraph alignment (worked out with the reading).
    parallel: ParallelText | None = None


def readable_now(article: Article, language: str, right: str | None) -> bool:
    """Whether the variants are small enough to read without a worker.

    Their size on disk now, not when they were scanned: a page may have grown since.
    """
    variants = article.variants
    size = 0
    for tag in (language, right):
        if tag is not None:
            try:
                size += os.stat(variants[tag].path).st_size
            except OSError:
                return False  # the worker reports it
    return size <= READ_NOW_BYTES


def read_variants(
    library: VariantLoader,
    token: int,
    article: Article,
    language: str,
    paragraph: int,
    right: str | None,
    switch: Switch | None = None,
    width: int = 80,
) -> Loaded:
    """Read and parse the variants of ``article`` as the caller found it (safe in a
    worker thread: the library may be replaced meanwhile); align them side by side and
    find the place a language switch came from (both take a while on long pages, which
    are read in a worker)."""
    documents: list[Document | None] = []
    error: str | None = None
    for tag in (language, right):
        if tag is None:
            documents.append(None)
            continue
        variant = article.variants[tag]
        try:
            documents.append(library.load(variant))
        except (OSError, ValueError, RecursionError) as failure:
            documents.append(None)
            error = f"Could not read {variant.relpath}: {failure}"
    left, right_document = documents
    sentence, switched = 0, False
    if switch is not None and left is not None and switch[0] != language:
        paragraph, sentence = mapped_position(switch, left, language)
        switched = True
    parallel = None
    if left is not None and right_document is not None and right is not None:
        parallel = align_variants(left, right_document, width, language, right)
    return Loaded(
        token,
        language,
        left,
        error,
        paragraph,
        right,
        right_document,
        sentence,
        switched,
        parallel,
    )


def switch_from(document: Document, language: str, paragraph: int, sentence: int) -> Switch:
    """The place being left in ``document``, to be found again in another variant."""
    blocks = document.blocks[:MAX_VIEW_BLOCKS]
    return (
        language,
        [block.plain_text for block in blocks],
        [block.kind == "heading" for block in blocks],
        paragraph,
        sentence,
    )


def mapped_position(switch: Switch, document: Document, new_language: str) -> tuple[int, int]:
    """Where the place in the variant switched from is in ``document``: the same
    paragraph when both have as many (its sentence through the sentence alignment),
    else through the paragraph alignment."""
    language, old_texts, old_headings, paragraph, sentence = switch
    new_texts = [block.plain_text for block in document.blocks[:MAX_VIEW_BLOCKS]]
    if len(old_texts) == len(new_texts):
        if not 0 <= paragraph < len(new_texts):
            return paragraph, 0
        pair = ParallelText([old_texts[paragraph]], [new_texts[paragraph]], language, new_language)
        place = pair.map_position(SentenceRef(0, sentence))
        return paragraph, place.sentence
    parallel = ParallelText(
        old_texts,
        new_texts,
        language,
        new_language,
        left_headings=old_headings,
        right_headings=[block.kind == "heading" for block in document.blocks],
    )
    paired = sum(len(pair.left) for pair in parallel.pairs if pair.right)
    if paired * 2 < len(old_texts):
        # Lengths that do not correspond (no translation of each other): proportional.
        return round(paragraph * (len(new_texts) - 1) / max(1, len(old_texts) - 1)), 0
    place = parallel.map_position(SentenceRef(paragraph, sentence))
    return place.paragraph, place.sentence


def language_order(article: Article) -> list[str]:
    """The article's languages: the advertised ones first, then the others sorted."""
    order = [tag for tag in article.advertised if tag in article.variants]
    return order + [tag for tag in sorted(article.variants) if tag not in order]


def cycle_language(article: Article, start: str | None, step: int, skip: str | None) -> str | None:
    """The language ``step`` away from ``start`` (wrapping), never ``skip``."""
    languages = [tag for tag in language_order(article) if tag != skip]
    if not languages:
        return None
    position = languages.index(start) if start in languages else -1 if step > 0 else 0
    return languages[(position + step) % len(languages)]


def default_right_language(article: Article, left: str | None, preferred: list[str]) -> str | None:
    """The language shown beside ``left``: the first preferred one, else English, else
    the article's first other language."""
    for tag in [*preferred, "en", *language_order(article)]:
        if tag != left and tag in article.variants:
            return tag
    return None


def sentence_with_translation(
    library: VariantLoader,
    document: Document,
    article: Article,
    language: str,
    other: str | None,
    paragraph: int,
    sentence: int,
) -> tuple[int, str, str]:
    """Sentence ``sentence`` of ``paragraph`` (clamped: its number, its text) and the
    sentences of the ``other`` variant that translate it ("" without one). Reads the
    other variant: call it in a worker."""
    from reader.text.sentences import split_sentences

    paragraphs = [block.plain_text for block in document.blocks]
    sentences = split_sentences(paragraphs[paragraph], language) or [paragraphs[paragraph]]
    sentence = min(sentence, len(sentences) - 1)
    translation = ""
    if other is not None and other in article.variants:
        try:
            other_document: Document | None = library.load(article.variants[other])
        except (OSError, ValueError):
            other_document = None
        if other_document is not None:
            right = [block.plain_text for block in other_document.blocks]
            parallel = ParallelText(paragraphs, right, language, other)
            refs = parallel.counterpart_sentences(SentenceRef(paragraph, sentence))
            translation = " ".join(parallel.sentence_text(ref, "right") for ref in refs)
    return sentence, sentences[sentence], translation

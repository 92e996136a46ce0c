"""The Article screen's header: title, details and the language bar, in three lines."""

from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType

from reader.languages import describe, endonym
from reader.library import Article, Document
from reader.sanitize import clean_line
from reader.text.bidi import has_rtl
from reader.tui.widgets.script_text import ScriptText


def header_visual(
    article: Article,
    document: Document | None,
    language: str,
    *,
    parallel: bool,
    right_language: str | None,
    right_document: Document | None,
    languages: list[str],
    reorder: bool,
) -> VisualType:
    """The header of ``article`` shown in ``language`` (beside ``right_language`` when
    ``parallel``); ``languages`` are the ones the reader prefers, for the language bar."""
    title = document.title if document else article.key
    if parallel and right_document is not None:
        title = f"{title}  ⇄  {right_document.title}"
    meta = [describe(language)]
    if parallel and right_language:
        meta = [f"{describe(language)} ⇄ {describe(right_language)}"]
    if document and document.date:
        meta.insert(0, clean_line(document.date))
    variant = article.variants.get(language)
    if variant is not None and not parallel:
        if variant.language_source == "detected":
            meta[-1] += " (detected)"
        meta.append(variant.relpath)
    header = Content.assemble(
        (clean_line(title), "bold $text-primary"),
        "\n",
        " · ".join(clean_line(m) for m in meta),  # the widget's colour: muted
        "\n",
        language_bar(article, language, right_language if parallel else None, languages),
    )
    # A right-to-left title or language name: aligned and ordered like the body.
    return ScriptText(header, language, reorder=reorder) if has_rtl(header.plain) else header


def language_bar(
    article: Article, language: str, right_language: str | None, languages: list[str]
) -> Content:
    """Every language of the article: the shown ones highlighted, missing ones struck."""
    order = list(article.advertised)
    order += [tag for tag in languages if tag not in order]
    parts: list[Content | str | tuple[str, str]] = []
    for tag in order:
        if parts:
            parts.append((" · ", "$text-muted"))
        name = endonym(tag)
        if tag == language:
            parts.append((f" {name} ", "bold reverse $text-primary"))
        elif right_language is not None and tag == right_language:
            parts.append((f" {name} ", "bold reverse $text-secondary"))
        elif tag in article.variants:
            parts.append((name, "$text"))
        else:
            parts.append((name, "$text-disabled strike"))
    return Content.assemble(*parts)

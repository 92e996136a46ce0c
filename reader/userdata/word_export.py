"""Word lists and notes written out for other tools: a CSV for Anki, Markdown for people.

The text comes from articles and from the user, so it is escaped for the format it
goes into: HTML in the Anki fields (Anki renders them as HTML), and Markdown's own
characters in the Markdown export.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.userdata.words import Word

#: Characters that would start Markdown syntax inside a line of exported text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
#: Anki tags are separated by spaces; these characters would break one apart.
_TAG_UNSAFE = re.compile(r"[\s\"]+")


def _tag(prefix: str, value: str) -> str:
    return f"{prefix}::{_TAG_UNSAFE.sub('_', value.strip()) or '_'}"


def _bold_word(sentence: str, word: str) -> str:
    """The sentence as HTML with each occurrence of ``word`` (any case) in bold."""
    if not word:
        return html.escape(sentence)
    pattern = re.compile(re.escape(word), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(sentence):
        parts.append(html.escape(sentence[last : match.start()]))
        parts.append(f"<b>{html.escape(match.group())}</b>")
        last = match.end()
    parts.append(html.escape(sentence[last:]))
    return "".join(parts)


def anki_rows(words: Iterable[Word]) -> list[tuple[str, str, str]]:
    """One ``(front, back, tags)`` note per saved word, the fields as Anki shows them.

    Front: the word in bold, then its sentence with the word in bold. Back: the
    meaning, then the translated sentence in italics. Tags: ``lang::de`` and
    ``article::<key>`` (Anki's hierarchical tags), so a deck can be filtered by both.
    """
    rows = []
    for word in words:
        front = f"<b>{html.escape(word.word)}</b><br>{_bold_word(word.text, word.word)}"
        back_parts = []
        if word.meaning:
            back_parts.append(html.escape(word.meaning))
        if word.translation:
            back_parts.append(f"<i>{html.escape(word.translation)}</i>")
        tags = " ".join((_tag("lang", word.language), _tag("article", word.key)))
        rows.append((front, "<br>".join(back_parts), tags))
    return rows


def anki_csv(words: Iterable[Word]) -> str:
    """A CSV of three fields (front, back, tags) that Anki imports as Basic notes.

    No header line: every row is a note, and Python's ``csv`` module reads it back
    into the same three fields. In Anki: File > Import, field separator Comma, "Allow
    HTML in fields", and map the third field to Tags.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(anki_rows(words))
    return out.getvalue()


def _md(text: str) -> str:
    """One line of untrusted text made inert for Markdown (no links, emphasis, HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def words_markdown(words: Sequence[Word], titles: dict[str, str] | None = None) -> str:
    """The word list as Markdown: a section per article, a list item per word.

    Args:
        words: The entries, in the order to show them within each article.
        titles: Article key -> title to head each section with (else the key).
    """
    titles = titles or {}
    lines = ["# Words", ""]
    by_article: dict[str, list[Word]] = {}
    for word in words:
        by_article.setdefault(word.key, []).append(word)
    for key, entries in by_article.items():
        lines += [f"## {_md(titles.get(key) or key)}", ""]
        for word in entries:
            meaning = f": {_md(word.meaning)}" if word.meaning else ""
            where = f"¶ {word.paragraph + 1}, sentence {word.sentence + 1}"
            lines.append(f"- **{_md(word.word)}** ({word.language}){meaning}")
            lines.append(f"  - {_md(word.text)} ({where})")
            if word.translation:
                lines.append(f"  - *{_md(word.translation)}* ({word.translation_language})")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


@dataclass(frozen=True)
class ExportedNote:
    """A note with what the export shows beside it.

    Attributes:
        key: The article's key.
        title: The article's title in the note's language (``""`` if unknown).
        paragraph: The 0-based paragraph, or ``None`` for a note on the whole article.
        language: The note's language.
        quote: The paragraph's text in the note's language.
        text: What the user wrote.
        other_language: The language of ``other_text`` (``""`` if none).
        other_text: The aligned text in the reader's other language (``""`` if none).
        updated: When the note last changed.
    """

    key: str
    title: str
    paragraph: int | None
    language: str
    quote: str
    text: str
    other_language: str
    other_text: str
    updated: str


def notes_markdown(notes: Sequence[ExportedNote]) -> str:
    """Notes as Markdown, grouped by article: the quote, its translation, the note."""
    lines = ["# Notes", ""]
    by_article: dict[str, list[ExportedNote]] = {}
    for note in notes:
        by_article.setdefault(note.key, []).append(note)
    for key, entries in by_article.items():
        title = next((note.title for note in entries if note.title), "") or key
        lines += [f"## {_md(title)}", ""]
        for note in entries:
            where = "the article" if note.paragraph is None else f"¶ {note.paragraph + 1}"
            lines.append(f"### {where} ({note.language})")
            lines.append("")
            if note.quote:
                lines += [f"> {_md(note.quote)}", ">"]
                if note.other_text:
                    lines.append(f"> *{_md(note.other_text)}* ({note.other_language})")
                else:
                    lines.pop()
                lines.append("")
            lines += [line.rstrip() for line in note.text.splitlines()] or [""]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

"""The user's own data from the command line: bookmarks, notes and the word list."""

from __future__ import annotations

import os
import sys

from reader.cli.articles import (
    find_article,
    language_of,
    other_language_of,
    paragraph_index,
    paragraph_texts,
)
from reader.cli.output import CliError, clean_line, print_listing, warn_broken

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace


def list_bookmarks(userdata: Any, as_json: bool) -> int:
    bookmarks = userdata.bookmarks.all()
    warn_broken(userdata.bookmarks)
    return print_listing(
        bookmarks,
        as_json,
        lambda b: {
            "key": b.key,
            "language": b.language,
            "paragraph": b.paragraph,
            "title": b.title,
            "created": b.created,
        },
        lambda b: (clean_line(b.key), b.language, f"¶{b.paragraph + 1}", clean_line(b.title)),
    )


def list_notes(userdata: Any, as_json: bool) -> int:
    notes = userdata.notes.all()
    warn_broken(userdata.notes)
    return print_listing(
        notes,
        as_json,
        lambda n: {
            "key": n.key,
            "language": n.language,
            "paragraph": n.paragraph,
            "quote": n.quote,
            "text": n.text,
            "created": n.created,
            "updated": n.updated,
        },
        lambda n: (
            clean_line(n.key),
            n.language,
            "-" if n.paragraph is None else f"¶{n.paragraph + 1}",
            clean_line(n.text),
        ),
    )


def bookmark_action(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.userdata import UserDataError

    library.refresh()
    article = find_article(library, args.key)
    try:
        if args.action == "add":
            language = language_of(article, args.item_lang, languages)
            paragraph = paragraph_index(args.paragraph, article.variants[language].paragraphs)
            title = article.variants[language].title
            userdata.bookmarks.add(article.key, language, paragraph or 0, title)
            print(f"bookmarked {clean_line(article.key)} ({language}, ¶{(paragraph or 0) + 1})")
        else:
            paragraph = None if args.paragraph is None else args.paragraph - 1
            removed = userdata.bookmarks.remove(article.key, paragraph)
            if not removed:
                raise CliError(f"no bookmark on {article.key}")
            shown = clean_line(article.key)
            print(f"removed {removed} bookmark{'s' if removed != 1 else ''} from {shown}")
    except UserDataError as error:
        raise CliError(str(error)) from error
    except OSError as error:
        raise CliError(f"cannot write bookmarks: {error.strerror or error}") from error
    return 0


def note_action(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.userdata import UserDataError

    library.refresh()
    article = find_article(library, args.key)
    language = language_of(article, args.item_lang, languages)
    paragraph = paragraph_index(args.paragraph, article.variants[language].paragraphs)
    quote = ""
    if paragraph is not None:
        try:
            document = library.load(article.variants[language])
            quote = document.blocks[paragraph].plain_text  # the store makes it a quote
        except (OSError, ValueError, IndexError):
            quote = ""
    if not args.text.strip():
        raise CliError("the note is empty")
    try:
        note = userdata.notes.add(
            article.key, language, args.text, paragraph=paragraph, quote=quote
        )
    except UserDataError as error:
        raise CliError(str(error)) from error
    except OSError as error:
        raise CliError(f"cannot write notes: {error.strerror or error}") from error
    print(
        f"noted {clean_line(article.key)} ({language}"
        f"{'' if paragraph is None else f', ¶{paragraph + 1}'}) id {note.id}"
    )
    return 0


def words_command(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.userdata import UserDataError

    words = userdata.words
    try:
        if args.action == "add":
            return _add_word(args, library, userdata, languages)
        if args.action == "remove":
            removed = words.remove(args.word, key=args.word_key, language=args.item_lang)
            if not removed:
                raise CliError(f"{clean_line(args.word)!r} is not in your word list")
            print(f"removed {len(removed)} entr{'ies' if len(removed) != 1 else 'y'}")
            return 0
    except UserDataError as error:
        raise CliError(str(error)) from error
    except OSError as error:
        raise CliError(f"cannot write words: {error.strerror or error}") from error
    entries = words.all()
    warn_broken(words)
    if args.action == "export":
        from reader.userdata.word_export import anki_csv, words_markdown

        if args.markdown:
            titles = {}
            for entry in entries:
                article = library.article(entry.key)
                variant = article and article.variants.get(entry.language)
                if variant is not None:
                    titles[entry.key] = variant.title
            sys.stdout.write(words_markdown(entries, titles))
            return 0
        from pathlib import Path

        _write_export(Path(args.anki), anki_csv(entries))
        print(f"wrote {len(entries)} card{'s' if len(entries) != 1 else ''} to {args.anki}")
        return 0
    language = getattr(args, "words_lang", None)
    if language is not None:
        entries = [entry for entry in entries if entry.language == language]
    return print_listing(
        entries,
        args.json,
        lambda w: w.to_json(),
        lambda w: (
            clean_line(w.word),
            w.language,
            clean_line(w.key),
            f"¶{w.paragraph + 1}.{w.sentence + 1}",
            clean_line(w.meaning),
        ),
    )


def _write_export(path: Path, text: str) -> None:
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent or ".", delete=False, newline=""
        ) as stream:
            stream.write(text)
        os.replace(stream.name, path)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from error


def _add_word(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.text.parallel import ParallelText, SentenceRef
    from reader.text.sentences import split_sentences
    from reader.text.tokens import find_word

    library.refresh()
    article = find_article(library, args.key)
    language = language_of(article, args.item_lang, languages)
    if not args.word.strip():
        raise CliError("the word is empty")
    paragraphs = paragraph_texts(library, article, language)
    paragraph = paragraph_index(args.paragraph, len(paragraphs))
    sentence = None
    if args.sentence is not None:
        if paragraph is None:
            raise CliError("--sentence needs --paragraph")
        sentence = args.sentence - 1
    found = find_word(paragraphs, language, args.word, paragraph=paragraph, sentence=sentence)
    if found is None:
        where = "" if paragraph is None else f" in ¶{paragraph + 1}"
        if sentence is not None:
            count = len(split_sentences(paragraphs[paragraph or 0], language))
            raise CliError(f"sentence must be between 1 and {count}{where}")
        raise CliError(f"no sentence{where} of {article.key} ({language}) holds that word")
    paragraph, sentence = found
    text = split_sentences(paragraphs[paragraph], language)[sentence]
    other = other_language_of(article, language, args.with_lang, languages)
    translation = ""
    if other:
        parallel = ParallelText(
            paragraphs, paragraph_texts(library, article, other), language, other
        )
        refs = parallel.counterpart_sentences(SentenceRef(paragraph, sentence))
        translation = " ".join(parallel.sentence_text(ref, "right") for ref in refs)
    saved = userdata.words.add(
        args.word.strip(),
        language,
        article.key,
        paragraph,
        sentence,
        text,
        other if translation else "",
        translation,
        args.meaning,
    )
    print(
        f"saved {clean_line(saved.word)!r} ({language}, ¶{paragraph + 1}, "
        f"sentence {sentence + 1}) from {clean_line(article.key)}"
    )
    return 0


def export_notes(library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.text.parallel import ParallelText
    from reader.userdata.word_export import ExportedNote, notes_markdown

    library.refresh()
    notes = userdata.notes.all()
    warn_broken(userdata.notes)
    texts: dict[tuple[str, str], list[str]] = {}

    def paragraphs_of(article: Any, language: str) -> list[str]:
        if (article.key, language) not in texts:
            try:
                texts[article.key, language] = paragraph_texts(library, article, language)
            except CliError:
                texts[article.key, language] = []
        return texts[article.key, language]

    exported = []
    for note in notes:
        article = library.article(note.key)
        title = other = other_text = ""
        quote = note.quote
        if article is not None and note.language in article.variants:
            title = article.variants[note.language].title
            other = other_language_of(article, note.language, None, languages)
            left = paragraphs_of(article, note.language)
            if note.paragraph is not None and note.paragraph < len(left):
                quote = left[note.paragraph]
                if other:
                    right = paragraphs_of(article, other)
                    parallel = ParallelText(left, right, note.language, other)
                    group = parallel.paragraph_counterpart(note.paragraph)
                    other_text = " ".join(right[j] for j in group)
        exported.append(
            ExportedNote(
                note.key,
                title,
                note.paragraph,
                note.language,
                quote,
                note.text,
                other if other_text else "",
                other_text,
                note.updated,
            )
        )
    sys.stdout.write(notes_markdown(exported))
    return 0

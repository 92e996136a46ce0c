"""The argument parser (and ``--help``), and global options given after the command."""

from __future__ import annotations

from reader import __version__
from reader.cli.output import EXIT_USAGE, CliError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace


DESCRIPTION = """\
Read multilingual article libraries in the terminal: switch an article between its
language variants without losing your place, bookmark paragraphs and write notes that
follow a paragraph into every language.

With no command the reader opens its full-screen interface (press ? there for keys).
Without --library it reads the library set in config.toml, else the bundled one."""


EPILOG = """\
environment:
  READER_CONFIG_DIR   where config.toml, bookmarks.toml, notes.toml and state.toml live
  READER_CACHE_DIR    where the catalog cache lives
  READER_DATA_DIR     where 'reader add' puts articles (in its library/ directory)
                      and feeds-state.toml and new.toml live

examples:
  reader --lang de                       open the library, German first
  reader list --json                     every article with its languages and titles
  reader show gpu-training-dilemma --lang ru
  reader add https://example.org/de/article.html   the page and all its languages
  reader bookmarks add gpu-training-dilemma --lang de --paragraph 3
  reader notes add gpu-training-dilemma "check this figure" --paragraph 2
  reader feeds add https://example.org/news/ && reader feeds refresh
  reader words add gpu-training-dilemma Wettbewerbsdruck --lang de --with en
  reader words export --anki words.csv   then in Anki: File > Import"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to generate ``--help``)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:  # one line, not a usage dump
            raise CliError(f"{message} (see 'reader --help')", EXIT_USAGE)

    parser = _Parser(
        prog="reader",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--library",
        action="append",
        metavar="DIR",
        help="library directory (repeat for several); default: config.toml, else bundled",
    )
    parser.add_argument(
        "--lang", metavar="CODE", help="preferred language, before config.toml's list (de, pt-BR…)"
    )
    parser.add_argument(
        "--config-dir",
        metavar="DIR",
        help="user-data directory (default: READER_CONFIG_DIR, else the platform's config dir)",
    )
    parser.add_argument("--open", metavar="KEY", help="start the interface on this article")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def also_global(sub: argparse.ArgumentParser, level: str, *, lang: bool = True) -> None:
        # The global options may follow the command too (`reader search --library DIR Q`).
        # Own dests, merged by merge_global_options, and no defaults: a subparser fills
        # a namespace of its own and copies it over the global one, so an option with
        # the global dest would drop the values given before the command.
        group = sub.add_argument_group("global options (also accepted before the command)")
        group.add_argument(
            "--library",
            action="append",
            dest=f"{level}_library",
            default=argparse.SUPPRESS,
            metavar="DIR",
            help="library directory (repeat for several)",
        )
        if lang:  # where the command has a --lang of its own, that one wins
            group.add_argument(
                "--lang",
                dest=f"{level}_lang",
                default=argparse.SUPPRESS,
                metavar="CODE",
                help="preferred language",
            )
        group.add_argument(
            "--config-dir",
            dest=f"{level}_config_dir",
            default=argparse.SUPPRESS,
            metavar="DIR",
            help="user-data directory",
        )

    listing = commands.add_parser("list", help="list articles with their languages")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    also_global(listing, "sub")

    show = commands.add_parser("show", help="print an article (plain text when piped)")
    show.add_argument("key", metavar="KEY", help="article key, as 'reader list' shows it")
    show.add_argument("--lang", dest="show_lang", metavar="CODE", help="language variant")
    show.add_argument(
        "--with",
        dest="show_with",
        metavar="CODE",
        help="a second language: both variants, aligned paragraph by paragraph",
    )
    show.add_argument(
        "--sentences",
        action="store_true",
        help="with --with: aligned sentence by sentence (each followed by its translation)",
    )
    show.add_argument(
        "--json",
        action="store_true",
        help='with --with: [{"paragraph", "pairs": [{"left": [...], "right": [...]}]}]',
    )
    also_global(show, "sub", lang=False)

    bookmarks = commands.add_parser("bookmarks", help="list, add or remove bookmarks")
    bookmarks.add_argument("--json", action="store_true", help="machine-readable output")
    also_global(bookmarks, "sub")
    bookmark_actions = bookmarks.add_subparsers(
        dest="action", metavar="ACTION", parser_class=_Parser
    )
    add_bookmark = bookmark_actions.add_parser("add", help="bookmark an article")
    add_bookmark.add_argument("key", metavar="KEY")
    add_bookmark.add_argument("--lang", dest="item_lang", metavar="CODE")
    add_bookmark.add_argument("--paragraph", type=int, default=1, metavar="N", help="from 1")
    also_global(add_bookmark, "action", lang=False)
    remove_bookmark = bookmark_actions.add_parser("remove", help="remove an article's bookmarks")
    remove_bookmark.add_argument("key", metavar="KEY")
    remove_bookmark.add_argument("--paragraph", type=int, metavar="N", help="only this one")
    also_global(remove_bookmark, "action")

    notes = commands.add_parser("notes", help="list or add notes")
    notes.add_argument("--json", action="store_true", help="machine-readable output")
    also_global(notes, "sub")
    note_actions = notes.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    add_note = note_actions.add_parser("add", help="add a note to an article")
    add_note.add_argument("key", metavar="KEY")
    add_note.add_argument("text", metavar="TEXT")
    add_note.add_argument("--lang", dest="item_lang", metavar="CODE")
    add_note.add_argument("--paragraph", type=int, metavar="N", help="from 1; omit for the article")
    also_global(add_note, "action", lang=False)
    export_notes = note_actions.add_parser(
        "export", help="write every note as Markdown, with its quote and translation"
    )
    export_notes.add_argument(
        "--markdown", action="store_true", required=True, help="Markdown on standard output"
    )
    also_global(export_notes, "action")

    words = commands.add_parser(
        "words", help="your word list: list, add, remove, export (Anki, Markdown)"
    )
    words.add_argument("--json", action="store_true", help="machine-readable output")
    words.add_argument("--lang", dest="words_lang", metavar="CODE", help="only this language")
    also_global(words, "sub", lang=False)
    word_actions = words.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    add_word = word_actions.add_parser(
        "add", help="save a word with its sentence and the sentence's translation"
    )
    add_word.add_argument("key", metavar="KEY")
    add_word.add_argument("word", metavar="WORD", help="a word or phrase")
    add_word.add_argument("--lang", dest="item_lang", metavar="CODE", help="variant it is in")
    add_word.add_argument(
        "--with",
        dest="with_lang",
        metavar="CODE",
        help="language of the translation (default: your next language the article has)",
    )
    add_word.add_argument(
        "--paragraph", type=int, metavar="N", help="from 1 (default: the first with the word)"
    )
    add_word.add_argument("--sentence", type=int, metavar="N", help="from 1, in that paragraph")
    add_word.add_argument("--meaning", default="", metavar="TEXT", help="what it means")
    also_global(add_word, "action", lang=False)
    remove_word = word_actions.add_parser("remove", help="remove a word (every entry of it)")
    remove_word.add_argument("word", metavar="WORD")
    remove_word.add_argument("--key", dest="word_key", metavar="KEY", help="only from this article")
    remove_word.add_argument("--lang", dest="item_lang", metavar="CODE", help="only this language")
    also_global(remove_word, "action", lang=False)
    export_words = word_actions.add_parser("export", help="write the list for Anki or as Markdown")
    target = export_words.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--anki", metavar="FILE.csv", help="CSV of front, back, tags for Anki's File > Import"
    )
    target.add_argument("--markdown", action="store_true", help="Markdown on standard output")
    also_global(export_words, "action")

    index = commands.add_parser("index", help="build or refresh the catalog and search index")
    index.add_argument(
        "index_dirs", nargs="*", metavar="DIR", help="library directory (like --library)"
    )
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    also_global(index, "sub")

    search = commands.add_parser("search", help="search every variant in every language")
    search.add_argument("query", metavar="QUERY", help='words, or "a phrase"')
    search.add_argument("--lang", dest="search_lang", metavar="CODE", help="only this language")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (20)")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    also_global(search, "sub", lang=False)

    add = commands.add_parser(
        "add",
        help="import a web page with all its language variants",
        description="Fetch the page at URL, follow its links to its other languages on the"
        " same site (hreflang, the language bar), and write every variant as Markdown into"
        " the reader's own library (or DIR). Adding it again updates the files. The"
        " reader's library is $READER_DATA_DIR/library, by default in the platform's data"
        " directory (~/.local/share/polyglot-reader/library on Linux), and is always read"
        " with the configured libraries.",
    )
    add.add_argument("url", metavar="URL", help="an http(s) address of an article")
    add.add_argument("--library", dest="add_library", metavar="DIR", help="write into DIR instead")
    add.add_argument("--only", metavar="CODES", help="only these languages, e.g. de,en,ja")
    add.add_argument("--no-variants", action="store_true", help="only the page itself")
    add.add_argument(
        "--any-host", action="store_true", help="follow language links to other sites too"
    )
    add.add_argument("--json", action="store_true", help="machine-readable result")

    problems = commands.add_parser("problems", help="files skipped or degraded, and why")
    problems.add_argument("--json", action="store_true", help="machine-readable output")
    also_global(problems, "sub")

    from reader.cli.feeds import add_feeds_parser

    add_feeds_parser(commands, _Parser, also_global)
    return parser


def merge_global_options(args: Arguments) -> None:
    """Fold global options given after the command into the global ones.

    Libraries add up, in the order given (``reader index DIR`` counts as ``--library``);
    of ``--lang`` and ``--config-dir`` the last one given wins.
    """
    after = [
        *getattr(args, "sub_library", ()),
        *getattr(args, "action_library", ()),
        *getattr(args, "index_dirs", ()),
    ]
    if after:
        args.library = [*(args.library or []), *after]
    for name in ("lang", "config_dir"):
        for level in ("sub", "action"):
            value = getattr(args, f"{level}_{name}", None)
            if value is not None:
                setattr(args, name, value)

"""Command line: pick the library and user-data directory, then start the TUI or a command.

Plain commands (``list``, ``show``, ``bookmarks``, ``notes``, ``problems``) never import
Textual. Every failure the user can cause prints one line on stderr and exits non-zero.

``reader --version`` and ``reader search`` start fast: this module imports only ``os``
and ``sys`` up front, and a plain ``search`` command line skips argparse, the library's
data model and the catalog module (see :func:`_quick_search`).
"""

from __future__ import annotations

import os
import sys

from reader import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace

    from reader.library.search import SearchHit

EXIT_ERROR = 1
EXIT_USAGE = 2

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


def clean_line(text: str, *, visible: bool = False) -> str:
    """:func:`reader.sanitize.clean_line`, imported on first use (``--version`` skips it)."""
    from reader import sanitize

    return sanitize.clean_line(text, visible=visible)


def clean_path(text: str) -> str:
    """:func:`reader.sanitize.clean_path`, imported on first use."""
    from reader import sanitize

    return sanitize.clean_path(text)


class CliError(Exception):
    """A failure to report as one line on stderr."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


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
        # Own dests, merged by _merge_global_options, and no defaults: a subparser fills
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

    from reader.cli_feeds import add_feeds_parser

    add_feeds_parser(commands, _Parser, also_global)
    return parser


def _merge_global_options(args: Arguments) -> None:
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reader`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args == ["--version"]:
            print(f"reader {__version__}")
            return 0
        done = _quick_search(args)
        if done is not None:
            return done
        return run(_plain_interface(args) or build_parser().parse_args(args))
    except CliError as error:
        print(f"reader: {clean_line(str(error))}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `reader list | head`: the reader stops quietly, like cat.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# Options of a command line that `_quick_search` handles itself; anything else (help,
# abbreviations, `--`, a value that looks like an option…) goes through argparse.
_SEARCH_VALUES = frozenset({"--library", "--lang", "--config-dir", "--limit"})
# Options of a plain `reader [--library DIR] [--lang CODE] [--open KEY]`, read without
# argparse: building its parser of ten commands is ~5 ms of every start of the interface.
_INTERFACE_VALUES = frozenset({"--library", "--lang", "--config-dir", "--open"})


def _plain_search(args: list[str]) -> dict[str, Any] | None:
    """Read a plain ``search`` command line the way argparse would, or return ``None``.

    "Plain" means: global options, ``search``, one query not starting with ``-``, and
    search options, each given in full (``--limit 5`` or ``--limit=5``) with a value not
    starting with ``-``. Any other line, right or wrong, is left to argparse, so that
    help and error messages stay argparse's.
    """
    found = _plain_command_line(args)
    if found is None or found["command"] != "search" or found["query"] is None:
        return None
    return found


def _plain_interface(args: list[str]) -> SimpleNamespace | None:
    """Read a command line that only starts the interface (global options and
    ``--open``, as :func:`_plain_search` reads them), or return ``None``."""
    found = _plain_command_line(args)
    if found is None or found["command"] is not None:
        return None
    # Not argparse.Namespace: importing argparse (with gettext) is ~2 ms of the first paint.
    from types import SimpleNamespace

    return SimpleNamespace(
        command=None,
        library=found["library"] or None,
        lang=found["lang"],
        config_dir=found["config_dir"],
        open=found["open"],
    )


def _plain_command_line(args: list[str]) -> dict[str, Any] | None:
    found: dict[str, Any] = {
        "command": None,
        "library": [],
        "lang": None,
        "config_dir": None,
        "open": None,
        "query": None,
        "search_lang": None,
        "limit": "20",
        "json": False,
    }
    command = False
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if not command and arg == "search":
            command = True
            found["command"] = "search"
            continue
        if not arg.startswith("-"):
            if not command or found["query"] is not None:
                return None
            found["query"] = arg
            continue
        if command and arg == "--json":
            found["json"] = True
            continue
        name, equals, value = arg.partition("=")
        if name not in (_SEARCH_VALUES if command else _INTERFACE_VALUES):
            return None
        if not equals:
            if index == len(args):
                return None
            value = args[index]
            index += 1
        if value.startswith("-"):
            return None
        if name == "--library":
            found["library"].append(value)
        elif name == "--lang":
            found["search_lang" if command else "lang"] = value
        else:
            found[name[2:].replace("-", "_")] = value
    if command and found["open"] is not None:
        return None  # `--open` means nothing to a search: argparse says so
    return found


def _quick_search(args: list[str]) -> int | None:
    """Run a plain ``reader search`` straight from the catalog file, if it can be.

    Imports neither argparse nor the library's scanner, data model and catalog module:
    only what the search itself needs. Returns ``None`` (having printed nothing) for
    anything out of the ordinary: another command line, a setting or option in error,
    a catalog that is missing, stale, empty or damaged. :func:`run` then does the
    search (or reports the error) the ordinary way, with the very same output.
    """
    found = _plain_search(args)
    if found is None:
        return None
    try:
        limit = int(found["limit"])
    except ValueError:
        return None
    if limit < 1:
        return None
    from reader.paths import cache_dir_name, config_dir_name

    config_dir = config_dir_name(found["config_dir"])
    configured: Sequence[Path] = ()
    default_language = "auto"
    config_file = os.path.join(config_dir, "config.toml")
    if os.path.lexists(config_file) and not _only_comments(config_file):
        from pathlib import Path

        from reader.userdata.config import ConfigError, load_config

        try:
            config = load_config(Path(config_dir))
        except ConfigError:
            return None
        configured, default_language = config.libraries, config.default_language
    language = None
    try:
        if found["lang"] is not None:
            _preferred_languages(found["lang"], ())
        if found["search_lang"] is not None:
            language = _language_tag(found["search_lang"])
        _default_language(default_language)
    except CliError:
        return None
    roots = _root_names(found["library"], configured)
    if any(_root_problem(root) is not None for root in roots):
        return None  # the ordinary path says what is wrong

    from reader.library.catalog_file import catalog_file_name, open_reader
    from reader.library.search import search

    try:
        catalog = open_reader(catalog_file_name(roots, cache_dir_name()))
    except OSError:
        return None
    if catalog is None:
        return None
    import _sqlite3  # sqlite3 without its datetime adapters (see catalog_file)

    try:
        hits = search(catalog, found["query"], language, limit)
    except _sqlite3.Error:
        return None  # a damaged file: the catalog module repairs it
    finally:
        catalog.close()
    _print_hits(hits, found["json"])
    return 0


def _only_comments(config_file: str) -> bool:
    """``True`` if ``config_file`` holds no settings (see
    :func:`reader.userdata.config_text.holds_no_settings`); ``False`` if it cannot be read."""
    from reader.userdata.config_text import holds_no_settings

    try:
        with open(config_file, "rb") as file:
            return holds_no_settings(file.read())
    except OSError:
        return False


def run(args: Arguments) -> int:
    """Run the parsed command."""
    _merge_global_options(args)
    if args.command == "add":
        return _add(args)
    from reader.paths import resolve_config_dir
    from reader.userdata.config import ConfigError, load_config

    config_dir = resolve_config_dir(args.config_dir)
    try:
        config = load_config(config_dir)
    except ConfigError as error:
        raise CliError(str(error)) from error
    languages = _preferred_languages(args.lang, config.languages)
    if args.command == "feeds":
        return _feeds(args, config_dir)
    library = _library(args.library, config, interface=args.command is None)
    if args.command is None:
        return _run_command(args, config_dir, config, languages, library)
    try:
        return _run_command(args, config_dir, config, languages, library)
    finally:
        # A damaged or unusable catalog cache changes nothing the command prints (the
        # library is read all the same), so it is said once, here, on stderr. The
        # interface says it in a notification instead.
        problem = library.catalog_problem
        if problem is not None:
            print(f"reader: {clean_line(problem)}", file=sys.stderr)


def _run_command(
    args: Arguments, config_dir: Path, config: Any, languages: list[str], library: Any
) -> int:
    command = args.command
    if command in (None, "bookmarks", "notes", "words"):
        from reader.userdata import UserData

        userdata = UserData(config_dir)
    if command is None:
        # An explicit --lang opens --open's article in that language, not in the one
        # state.toml remembers for it (its paragraph is still where the reader left off).
        open_language = languages[0] if args.lang is not None and args.open else None
        return _tui(library, userdata, config, languages, args.open, open_language)
    if command == "bookmarks" and args.action:
        return _bookmark_action(args, library, userdata, languages)
    if command == "notes" and args.action == "export":
        return _export_notes(library, userdata, languages)
    if command == "notes" and args.action:
        return _note_action(args, library, userdata, languages)
    if command == "words":
        return _words(args, library, userdata, languages)
    if command == "index":
        return _index(library, quiet=args.quiet)
    if command == "search":
        return _search(library, args.query, args.search_lang, args.limit, args.json)
    if command in ("list", "show", "problems"):
        library.refresh()
    if command == "list":
        return _list(library, languages, args.json)
    if command == "show":
        if args.show_with is not None:
            return _show_with(library, args, languages, bidi=config.bidi)
        if args.sentences or args.json:
            raise CliError("--sentences and --json go with --with CODE", EXIT_USAGE)
        return _show(library, args.key, args.show_lang, languages, bidi=config.bidi)
    if command == "bookmarks":
        return _bookmarks(userdata, args.json)
    if command == "notes":
        return _notes(userdata, args.json)
    if command == "problems":
        return _problems(library, args.json)
    raise CliError(f"unknown command {command!r}", EXIT_USAGE)


def _feeds(args: Arguments, config_dir: Path) -> int:
    from reader.cli_feeds import FeedsCommandError, run_feeds

    try:
        return run_feeds(args, config_dir, _print_json)
    except FeedsCommandError as error:
        raise CliError(str(error)) from error


def _preferred_languages(cli_lang: str | None, configured: Sequence[str]) -> list[str]:
    from reader.languages import normalize_tag, resolve_language

    preferred: list[str] = []
    if cli_lang is not None:
        tag = normalize_tag(cli_lang) or resolve_language(cli_lang)
        if tag is None:
            raise CliError(f"unknown language {cli_lang!r} (use a code such as de, zh or pt-BR)")
        preferred.append(tag)
    for item in configured:
        tag = normalize_tag(item) or resolve_language(item)
        if tag is not None and tag not in preferred:
            preferred.append(tag)
    return preferred


def _library(cli_roots: list[str] | None, config: Any, *, interface: bool = False) -> Any:
    from reader.library import Library, bundled_library_path

    if interface and not cli_roots:
        # The interface's `+` adds articles here: a root from the start, so they show up.
        from reader.paths import imported_library_name

        with _suppress_os_error():
            os.makedirs(imported_library_name(), exist_ok=True)
    roots = _roots(cli_roots, config.libraries)
    named = [root for root in roots if _holds_articles(root)] or roots
    name = named[0].resolve().name if len(named) == 1 else f"{len(named)} libraries"
    if named[0].resolve() == bundled_library_path().resolve():
        name = "bundled library"
    return Library(
        roots,
        default_language=_default_language(config.default_language),
        max_bytes=config.max_file_kib * 1024,
        name=name,
        catalog_path=_catalog_path(roots),
    )


def _roots(cli_roots: list[str] | None, configured: Sequence[Path]) -> list[Path]:
    """The library directories: ``--library``, else config.toml's, else the bundled one."""
    from pathlib import Path

    roots = [Path(name) for name in _root_names(cli_roots, configured)]
    for root in roots:
        problem = _root_problem(root)
        if problem is not None:
            raise CliError(f"{problem}: {root}")
    return roots


def _root_names(cli_roots: list[str] | None, configured: Sequence[Path]) -> list[str]:
    """:func:`_roots`' choice of directories, as strings (no pathlib, for `reader search`).

    ``--library`` alone if given; else config.toml's libraries and the reader's own
    library of imported articles (if it exists); the bundled library while the user has
    neither a configured library nor an imported article.
    """
    if cli_roots:
        return [os.path.expanduser(root) for root in cli_roots]
    from reader.paths import imported_library_name

    roots = [os.fspath(root) for root in configured]
    imported = imported_library_name()
    exists = os.path.isdir(imported)
    if not roots and not (exists and _holds_articles(imported)):
        from reader.library import bundled_library_name

        roots.append(bundled_library_name())
    if exists and imported not in roots:
        roots.append(imported)
    return roots


def _holds_articles(directory: str | Path) -> bool:
    """``True`` if ``directory`` has a page file at its top (or is not ours to judge)."""
    try:
        with os.scandir(directory) as entries:
            return any(
                entry.name.endswith((".md", ".markdown", ".txt")) or entry.is_dir()
                for entry in entries
                if not entry.name.startswith(".")
            )
    except OSError:
        return True


def _suppress_os_error() -> Any:
    import contextlib

    return contextlib.suppress(OSError)


def _root_problem(root: str | Path) -> str | None:
    """Why ``root`` cannot be a library, or ``None`` if it can."""
    if not os.path.exists(root):
        return "library not found"
    if not os.path.isdir(root):
        return "library is not a directory"
    if not os.access(root, os.R_OK | os.X_OK):
        return "library is not readable"
    return None


def _default_language(configured: str) -> str:
    """config.toml's ``default_language`` as a language tag, or ``"auto"``."""
    if configured == "auto":
        return configured
    from reader.languages import normalize_tag

    tag = normalize_tag(configured)
    if tag is None:
        raise CliError(f"config.toml: default_language {configured!r} is no language tag")
    return tag


def _catalog_path(roots: list[Path]) -> Path | None:
    """The catalog cache's file for these roots, or ``None`` if the cache dir is unusable."""
    from reader.library.catalog_file import catalog_path
    from reader.paths import resolve_cache_dir

    try:
        return catalog_path(roots, resolve_cache_dir())
    except OSError as error:
        print(
            f"reader: no catalog cache ({error.strerror or error}); reading every file",
            file=sys.stderr,
        )
        return None


def _add(args: Arguments) -> int:
    """``reader add URL``: import a page and its language variants (see reader.sources)."""
    from pathlib import Path

    from reader.paths import resolve_imported_library

    chosen = args.add_library or (args.library[-1] if args.library else None)
    target = Path(os.path.expanduser(chosen)) if chosen else resolve_imported_library()
    if target.exists() and not target.is_dir():
        raise CliError(f"library is not a directory: {target}")
    only = None
    if args.only is not None:
        only = {code.strip() for code in args.only.split(",") if code.strip()}
        if not only:
            raise CliError("--only needs language codes, e.g. --only de,en")
    from reader.sources.fetch import FetchError
    from reader.sources.importer import import_article

    def progress(line: str) -> None:
        print(clean_line(line), flush=True)

    try:
        result = import_article(
            args.url,
            target,
            only=only,
            variants=not args.no_variants,
            any_host=args.any_host,
            progress=None if args.json else progress,
        )
    except FetchError as error:
        raise CliError(str(error)) from error
    if args.json:
        _print_json(
            {
                "key": result.key,
                "languages": result.languages,
                "files": [str(path) for path in result.files],
                "skipped": [{"url": url, "reason": reason} for url, reason in result.skipped],
                "warnings": result.warnings,
            }
        )
        return 0
    for warning in result.warnings:
        print(f"reader: warning: {clean_line(warning)}", file=sys.stderr)
    count = len(result.languages)
    skipped = len(result.skipped)
    print(
        f"added {clean_line(result.key, visible=True)}: {count} language"
        f"{'s' if count != 1 else ''} ({' '.join(result.languages)}) to {clean_path(str(target))}"
        + (f"; {skipped} link{'s' if skipped != 1 else ''} skipped" if skipped else "")
    )
    return 0


def _index(library: Any, *, quiet: bool) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    show = not quiet and console.is_terminal
    with Progress(
        TextColumn("Indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show,
    ) as progress:
        task = progress.add_task("index", total=None)

        def advance(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total or None)

        report = library.refresh(advance)
    articles = library.articles
    variants = sum(len(article.variants) for article in articles.values())
    languages = library.languages()
    print(
        f"{len(articles)} articles, {variants} variants in {len(languages)} languages"
        f" ({' '.join(languages)})"
    )
    print(
        f"{report.files} files: {report.added} new, {report.changed} changed, "
        f"{report.removed} removed, {report.unchanged} unchanged in {report.seconds:.1f} s"
    )
    problems = len(library.problems)
    print(
        f"{problems} problem{'s' if problems != 1 else ''}"
        + (" (reader problems)" if problems else "")
    )
    # The library was read, but the index that this command is for was not saved.
    catalog = library.catalog
    return 1 if catalog is None or catalog.path is None else 0


def _language_tag(language: str) -> str:
    """The tag of a language given as ``--lang`` of a command (a tag or a name)."""
    from reader.languages import normalize_tag, resolve_language

    tag = normalize_tag(language) or resolve_language(language)
    if tag is None:
        raise CliError(f"unknown language {language!r}")
    return tag


def _search(library: Any, query: str, language: str | None, limit: int, as_json: bool) -> int:
    if limit < 1:
        raise CliError("--limit must be at least 1")
    tag = None if language is None else _language_tag(language)
    if library.catalog is not None and library.catalog.is_empty():
        print("reader: indexing the library first (reader index)…", file=sys.stderr)
    _print_hits(library.search(query, tag, limit), as_json)
    return 0


def _print_hits(hits: list[SearchHit], as_json: bool) -> None:
    """Print search hits: JSON, styled lines in a terminal, else tab-separated lines."""
    if as_json:
        _print_json(
            [
                {
                    "key": hit.key,
                    "language": hit.language,
                    "title": clean_line(hit.title),
                    "paragraph": hit.paragraph,
                    "snippet": clean_line(hit.snippet),
                }
                for hit in hits
            ]
        )
        return
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text

        console = Console(markup=False, highlight=False, emoji=False)
        for hit in hits:
            console.print(
                Text(
                    f"{clean_line(hit.key, visible=True)}  {hit.language}  ¶{hit.paragraph + 1}  ",
                    style="dim",
                )
                + Text(clean_line(hit.title), style="bold")
            )
            snippet = Text("    " + clean_line(hit.snippet))
            for start, end in hit.highlights:
                snippet.stylize("bold reverse", start + 4, end + 4)
            console.print(snippet)
    else:
        for hit in hits:
            print(
                f"{clean_line(hit.key, visible=True)}\t{hit.language}\t¶{hit.paragraph + 1}\t"
                f"{clean_line(hit.title)}\t{clean_line(hit.snippet)}"
            )
    if not hits:
        print("no match", file=sys.stderr)


def _tui(
    library: Any,
    userdata: Any,
    config: Any,
    languages: list[str],
    open_key: str | None,
    open_language: str | None = None,
) -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CliError(
            "the interface needs a terminal; use 'reader list' or 'reader show KEY' in scripts"
        )
    import contextlib

    from reader.tui.app import ReaderApp
    from reader.userdata.config import write_config_template

    # A commented template, once, so the settings are discoverable; never rewritten.
    with contextlib.suppress(OSError):
        write_config_template(userdata.config_dir)
    app = ReaderApp(
        library,
        userdata,
        config=config,
        languages=languages,
        open_key=open_key,
        open_language=open_language,
    )
    app.run()
    return app.return_code or 0


# JSON escapes C0 controls itself; C1 controls, bidi controls and line separators are
# escaped too, so that `reader list --json` piped to a terminal shows nothing raw. The
# parsed data is unchanged.
_JSON_UNSAFE = "[\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]"


def _print_json(data: Any) -> None:
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2)
    escaped = re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(escaped + "\n")


def _print_listing(
    items: Iterable[Any],
    as_json: bool,
    record: Callable[[Any], dict[str, Any]],
    row: Callable[[Any], Sequence[str]],
) -> int:
    """Print what a listing command lists: a JSON array, else one tab-separated line each.

    Args:
        items: What to list.
        as_json: ``--json`` was given.
        record: An item as a JSON object.
        row: An item as the columns of its line (already cleaned for the terminal).
    """
    if as_json:
        _print_json([record(item) for item in items])
    else:
        for item in items:
            print("\t".join(row(item)))
    return 0


def _list(library: Any, languages: list[str], as_json: bool) -> int:
    from reader.languages import pick_language

    def row(article: Any) -> tuple[str, ...]:
        language = pick_language(article.variants, [*languages, "en"]) or ""
        title = clean_line(article.variants[language].title) if language else ""
        key = clean_line(article.key, visible=True)
        return key, f"{article.date or '-':<10}", " ".join(article.languages), title

    return _print_listing(
        library.articles.values(),
        as_json,
        lambda article: {
            "key": article.key,
            "date": article.date,
            "languages": article.languages,
            "advertised": article.advertised,
            "titles": {tag: clean_line(title) for tag, title in article.titles().items()},
        },
        row,
    )


def _article(library: Any, key: str) -> Any:
    article = library.article(key)
    if article is None:
        raise CliError(f"no article with key {clean_line(key)!r} (see 'reader list')")
    return article


def _language_of(article: Any, requested: str | None, languages: list[str]) -> str:
    from reader.languages import normalize_tag, pick_language, resolve_language

    if requested is not None:
        tag = normalize_tag(requested) or resolve_language(requested)
        if tag is None:
            raise CliError(f"unknown language {requested!r}")
        if tag not in article.variants:
            have = ", ".join(article.languages)
            raise CliError(f"'{article.key}' has no {tag} variant (it has: {have})")
        return tag
    return pick_language(article.variants, [*languages, "en"]) or article.languages[0]


def _show(
    library: Any, key: str, requested: str | None, languages: list[str], *, bidi: str = "auto"
) -> int:
    article = _article(library, key)
    language = _language_of(article, requested, languages)
    try:
        document = library.load(article.variants[language])
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read {article.variants[language].relpath}: {error}") from error
    if sys.stdout.isatty():
        from rich.console import Console

        from reader.render import print_document
        from reader.text.bidi import resolve_mode

        console = Console(markup=False, highlight=False, emoji=False)
        reorder = resolve_mode(bidi, os.environ) == "reader"
        print_document(console, document, language, min(console.width, 100), reorder=reorder)
    else:
        from reader.render import document_plain

        sys.stdout.write(document_plain(document, language))
    return 0


def _show_with(library: Any, args: Arguments, languages: list[str], *, bidi: str = "auto") -> int:
    """``reader show KEY --lang A --with B``: two variants aligned (see render_parallel)."""
    article = _article(library, args.key)
    left = _language_of(article, args.show_lang, languages)
    right = _language_of(article, args.show_with, languages)
    if right == left:
        raise CliError(f"--with names the same language as the article is shown in ({left})")
    documents: list[Any] = []
    for language in (left, right):
        try:
            documents.append(library.load(article.variants[language]))
        except (OSError, ValueError) as error:
            relpath = article.variants[language].relpath
            raise CliError(f"cannot read {relpath}: {error}") from error
    from reader.render_parallel import parallel_plain, parallel_records, parallel_rich

    first, second = documents

    if args.json:
        _print_json(parallel_records(first, second, left, right, sentences=args.sentences))
    elif sys.stdout.isatty():
        from rich.console import Console

        from reader.render import wrap_text
        from reader.text.bidi import resolve_mode

        console = Console(markup=False, highlight=False, emoji=False)
        width = min(console.width, 100)
        reorder = resolve_mode(bidi, os.environ) == "reader"
        for text in parallel_rich(first, second, left, right, sentences=args.sentences):
            # Both languages in turn: each line's script decides how it is cut.
            for line in wrap_text(text, width, "", reorder=reorder):
                console.print(line, width=width)
    else:
        sys.stdout.write(parallel_plain(first, second, left, right, sentences=args.sentences))
    return 0


def _bookmarks(userdata: Any, as_json: bool) -> int:
    bookmarks = userdata.bookmarks.all()
    _warn_broken(userdata.bookmarks)
    return _print_listing(
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


def _notes(userdata: Any, as_json: bool) -> int:
    notes = userdata.notes.all()
    _warn_broken(userdata.notes)
    return _print_listing(
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


def _warn_broken(store: Any) -> None:
    error = store.error
    if error is not None:
        print(f"reader: {clean_line(str(error))}", file=sys.stderr)


def _bookmark_action(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.userdata import UserDataError

    library.refresh()
    article = _article(library, args.key)
    try:
        if args.action == "add":
            language = _language_of(article, args.item_lang, languages)
            paragraph = _paragraph(args.paragraph, article.variants[language].paragraphs)
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


def _note_action(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.userdata import UserDataError

    library.refresh()
    article = _article(library, args.key)
    language = _language_of(article, args.item_lang, languages)
    paragraph = _paragraph(args.paragraph, article.variants[language].paragraphs)
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


def _paragraph(value: int | None, count: int) -> int | None:
    if value is None:
        return None
    if value < 1 or (count and value > count):
        raise CliError(f"paragraph must be between 1 and {count}")
    return value - 1


def _problems(library: Any, as_json: bool) -> int:
    problems = library.problems
    if as_json:
        _print_json(
            [{"path": clean_path(p.path), "reason": clean_line(p.reason)} for p in problems]
        )
        return 0
    for problem in problems:
        print(f"{clean_path(problem.path)}: {clean_line(problem.reason)}")
    if not problems:
        print("no problems")
    return 0


def _other_language(article: Any, language: str, wanted: str | None, languages: list[str]) -> str:
    """The language to translate into: ``wanted``, else the first preferred one there is."""
    from reader.languages import normalize_tag, resolve_language

    if wanted is not None:
        tag = normalize_tag(wanted) or resolve_language(wanted)
        if tag is None:
            raise CliError(f"unknown language {wanted!r}")
        if tag not in article.variants:
            have = ", ".join(article.languages)
            raise CliError(f"'{article.key}' has no {tag} variant (it has: {have})")
        return str(tag)
    for tag in [*languages, "en", *article.languages]:
        if tag != language and tag in article.variants:
            return str(tag)
    return ""


def _paragraph_texts(library: Any, article: Any, language: str) -> list[str]:
    """The plain text of each paragraph (block) of one variant."""
    try:
        document = library.load(article.variants[language])
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read {article.variants[language].relpath}: {error}") from error
    return [block.plain_text for block in document.blocks]


def _words(args: Arguments, library: Any, userdata: Any, languages: list[str]) -> int:
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
    _warn_broken(words)
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
    return _print_listing(
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
    article = _article(library, args.key)
    language = _language_of(article, args.item_lang, languages)
    if not args.word.strip():
        raise CliError("the word is empty")
    paragraphs = _paragraph_texts(library, article, language)
    paragraph = _paragraph(args.paragraph, len(paragraphs))
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
    other = _other_language(article, language, args.with_lang, languages)
    translation = ""
    if other:
        parallel = ParallelText(
            paragraphs, _paragraph_texts(library, article, other), language, other
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


def _export_notes(library: Any, userdata: Any, languages: list[str]) -> int:
    from reader.text.parallel import ParallelText
    from reader.userdata.word_export import ExportedNote, notes_markdown

    library.refresh()
    notes = userdata.notes.all()
    _warn_broken(userdata.notes)
    texts: dict[tuple[str, str], list[str]] = {}

    def paragraphs_of(article: Any, language: str) -> list[str]:
        if (article.key, language) not in texts:
            try:
                texts[article.key, language] = _paragraph_texts(library, article, language)
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
            other = _other_language(article, note.language, None, languages)
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

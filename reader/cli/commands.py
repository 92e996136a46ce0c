"""Running a parsed command: the library commands, the interface, and what they print."""

from __future__ import annotations

import os
import sys

from reader.cli.articles import find_article, language_of
from reader.cli.choices import language_tag, open_library, preferred_languages
from reader.cli.output import (
    EXIT_USAGE,
    CliError,
    clean_line,
    clean_path,
    print_hits,
    print_json,
    print_listing,
)
from reader.cli.parser import merge_global_options
from reader.cli.personal import (
    bookmark_action,
    export_notes,
    list_bookmarks,
    list_notes,
    note_action,
    words_command,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace


def run(args: Arguments) -> int:
    """Run the parsed command."""
    merge_global_options(args)
    if args.command == "add":
        return _add(args)
    from reader.paths import resolve_config_dir
    from reader.userdata.config import ConfigError, load_config

    config_dir = resolve_config_dir(args.config_dir)
    try:
        config = load_config(config_dir)
    except ConfigError as error:
        raise CliError(str(error)) from error
    languages = preferred_languages(args.lang, config.languages)
    if args.command == "feeds":
        return _feeds(args, config_dir)
    library = open_library(args.library, config, interface=args.command is None)
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
        return bookmark_action(args, library, userdata, languages)
    if command == "notes" and args.action == "export":
        return export_notes(library, userdata, languages)
    if command == "notes" and args.action:
        return note_action(args, library, userdata, languages)
    if command == "words":
        return words_command(args, library, userdata, languages)
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
        return list_bookmarks(userdata, args.json)
    if command == "notes":
        return list_notes(userdata, args.json)
    if command == "problems":
        return _problems(library, args.json)
    raise CliError(f"unknown command {command!r}", EXIT_USAGE)


def _feeds(args: Arguments, config_dir: Path) -> int:
    from reader.cli.feeds import FeedsCommandError, run_feeds

    try:
        return run_feeds(args, config_dir, print_json)
    except FeedsCommandError as error:
        raise CliError(str(error)) from error


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
        print_json(
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


def _search(library: Any, query: str, language: str | None, limit: int, as_json: bool) -> int:
    if limit < 1:
        raise CliError("--limit must be at least 1")
    tag = None if language is None else language_tag(language)
    if library.catalog is not None and library.catalog.is_empty():
        print("reader: indexing the library first (reader index)…", file=sys.stderr)
    print_hits(library.search(query, tag, limit), as_json)
    return 0


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


def _list(library: Any, languages: list[str], as_json: bool) -> int:
    from reader.languages import pick_language

    def row(article: Any) -> tuple[str, ...]:
        language = pick_language(article.variants, [*languages, "en"]) or ""
        title = clean_line(article.variants[language].title) if language else ""
        key = clean_line(article.key, visible=True)
        return key, f"{article.date or '-':<10}", " ".join(article.languages), title

    return print_listing(
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


def _show(
    library: Any, key: str, requested: str | None, languages: list[str], *, bidi: str = "auto"
) -> int:
    article = find_article(library, key)
    language = language_of(article, requested, languages)
    try:
        document = library.load(article.variants[language])
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read {article.variants[language].relpath}: {error}") from error
    if sys.stdout.isatty():
        from rich.console import Console

        from reader.cli.render import print_document
        from reader.text.bidi import resolve_mode

        console = Console(markup=False, highlight=False, emoji=False)
        reorder = resolve_mode(bidi, os.environ) == "reader"
        print_document(console, document, language, min(console.width, 100), reorder=reorder)
    else:
        from reader.cli.render import document_plain

        sys.stdout.write(document_plain(document, language))
    return 0


def _show_with(library: Any, args: Arguments, languages: list[str], *, bidi: str = "auto") -> int:
    """``reader show KEY --lang A --with B``: two variants aligned (see render_parallel)."""
    article = find_article(library, args.key)
    left = language_of(article, args.show_lang, languages)
    right = language_of(article, args.show_with, languages)
    if right == left:
        raise CliError(f"--with names the same language as the article is shown in ({left})")
    documents: list[Any] = []
    for language in (left, right):
        try:
            documents.append(library.load(article.variants[language]))
        except (OSError, ValueError) as error:
            relpath = article.variants[language].relpath
            raise CliError(f"cannot read {relpath}: {error}") from error
    from reader.cli.render_parallel import parallel_plain, parallel_records, parallel_rich

    first, second = documents

    if args.json:
        print_json(parallel_records(first, second, left, right, sentences=args.sentences))
    elif sys.stdout.isatty():
        from rich.console import Console

        from reader.cli.render import wrap_text
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


def _problems(library: Any, as_json: bool) -> int:
    problems = library.problems
    if as_json:
        print_json(
            [
                {
                    "path": clean_path(p.path),
                    "reason": clean_line(p.reason),
                    "kind": p.kind,
                    "skipped": p.skipped,
                }
                for p in problems
            ]
        )
        return 0
    for problem in problems:
        print(f"{clean_path(problem.path)}: {clean_line(problem.reason)}")
    if not problems:
        print("no problems")
    return 0

"""The quick paths: a plain ``reader search`` or ``reader`` read without argparse.

A plain search command line skips argparse, the library's data model and the catalog
module: only what the search needs is imported (see :func:`quick_search`)."""

from __future__ import annotations

import os

from reader.cli.choices import (
    check_default_language,
    language_tag,
    preferred_languages,
    root_names,
    root_problem,
)
from reader.cli.output import CliError, print_hits

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from pathlib import Path
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace


# Options of a command line that `quick_search` handles itself; anything else (help,
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


def plain_interface(args: list[str]) -> SimpleNamespace | None:
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


def quick_search(args: list[str]) -> int | None:
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
            preferred_languages(found["lang"], ())
        if found["search_lang"] is not None:
            language = language_tag(found["search_lang"])
        check_default_language(default_language)
    except CliError:
        return None
    roots = root_names(found["library"], configured)
    if any(root_problem(root) is not None for root in roots):
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
    print_hits(hits, found["json"])
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

"""Command line: pick the library and user-data directory, then start the TUI or a command.

Plain commands (``list``, ``show``, ``bookmarks``, ``notes``, ``words``, ``problems``) never
import Textual. Every failure the user can cause prints one line on stderr and exits
non-zero.

``reader --version`` and ``reader search`` start fast: this module imports only ``os``
and ``sys`` up front, and a plain ``search`` command line skips argparse, the library's
data model and the catalog module (see :mod:`reader.cli.quick`). The package:

- ``quick``: the quick paths (a plain search, a plain start of the interface);
- ``parser``: the argument parser and ``--help``;
- ``commands``: running a command (library commands, ``add``, the interface);
- ``personal``: bookmarks, notes and the word list; ``feeds``: the feed commands;
- ``articles``, ``choices``, ``output``: finding articles, choosing languages and
  libraries, printing; ``render``, ``render_parallel``: ``reader show``'s text.
"""

from __future__ import annotations

import os
import sys

from reader import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reader`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # before anything else of the package is imported
        print(f"reader {__version__}")
        return 0
    from reader.cli.output import CliError, clean_line

    try:
        from reader.cli.quick import plain_interface, quick_search

        done = quick_search(args)
        if done is not None:
            return done
        from reader.cli.commands import run

        if (plain := plain_interface(args)) is not None:
            return run(plain)
        from reader.cli.parser import build_parser

        return run(build_parser().parse_args(args))
    except CliError as error:
        print(f"reader: {clean_line(str(error))}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `reader list | head`: the reader stops quietly, like cat.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

"""What the command line prints: one-line errors, JSON, tab-separated listings."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Sequence
    from types import SimpleNamespace
    from typing import Any

    from reader.library.search import SearchHit

    Arguments = argparse.Namespace | SimpleNamespace


EXIT_ERROR = 1


EXIT_USAGE = 2


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


def print_hits(hits: list[SearchHit], as_json: bool) -> None:
    """Print search hits: JSON, styled lines in a terminal, else tab-separated lines."""
    if as_json:
        print_json(
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


# JSON escapes C0 controls itself; C1 controls, bidi controls and line separators are
# escaped too, so that `reader list --json` piped to a terminal shows nothing raw. The
# parsed data is unchanged.
_JSON_UNSAFE = "[\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]"


def print_json(data: Any) -> None:
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2)
    escaped = re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(escaped + "\n")


def print_listing(
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
        print_json([record(item) for item in items])
    else:
        for item in items:
            print("\t".join(row(item)))
    return 0


def warn_broken(store: Any) -> None:
    error = store.error
    if error is not None:
        print(f"reader: {clean_line(str(error))}", file=sys.stderr)

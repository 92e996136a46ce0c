"""The command line's choices of languages and library directories.

Light on purpose: the quick path of ``reader search`` uses them.
"""

from __future__ import annotations

import os
import sys

from reader.cli.output import CliError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from pathlib import Path
    from types import SimpleNamespace
    from typing import Any

    Arguments = argparse.Namespace | SimpleNamespace


def preferred_languages(cli_lang: str | None, configured: Sequence[str]) -> list[str]:
    from reader.languages import normalize_tag, resolve_language

    preferred: list[str] = []
    if cli_lang is not None:
        preferred.append(language_tag(cli_lang))
    for item in configured:
        tag = normalize_tag(item) or resolve_language(item)
        if tag is not None and tag not in preferred:
            preferred.append(tag)
    return preferred


def open_library(cli_roots: list[str] | None, config: Any, *, interface: bool = False) -> Any:
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
        default_language=check_default_language(config.default_language),
        max_bytes=config.max_file_kib * 1024,
        name=name,
        catalog_path=_catalog_path(roots),
    )


def _roots(cli_roots: list[str] | None, configured: Sequence[Path]) -> list[Path]:
    """The library directories: ``--library``, else config.toml's, else the bundled one."""
    from pathlib import Path

    roots = [Path(name) for name in root_names(cli_roots, configured)]
    for root in roots:
        problem = root_problem(root)
        if problem is not None:
            raise CliError(f"{problem}: {root}")
    return roots


def root_names(cli_roots: list[str] | None, configured: Sequence[Path]) -> list[str]:
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
    from reader.library.formats import PAGE_EXTENSIONS

    extensions = tuple(PAGE_EXTENSIONS)
    try:
        with os.scandir(directory) as entries:
            return any(
                entry.name.endswith(extensions) or entry.is_dir()
                for entry in entries
                if not entry.name.startswith(".")
            )
    except OSError:
        return True


def _suppress_os_error() -> Any:
    import contextlib

    return contextlib.suppress(OSError)


def root_problem(root: str | Path) -> str | None:
    """Why ``root`` cannot be a library, or ``None`` if it can."""
    if not os.path.exists(root):
        return "library not found"
    if not os.path.isdir(root):
        return "library is not a directory"
    if not os.access(root, os.R_OK | os.X_OK):
        return "library is not readable"
    return None


def check_default_language(configured: str) -> str:
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


def language_tag(language: str) -> str:
    """The tag of a language as typed on the command line (``de``, ``pt_BR``, ``German``).

    The one reading of every ``--lang`` and ``--with``.

    Raises:
        CliError: It is no language the reader knows.
    """
    from reader.languages import normalize_tag, resolve_language

    tag = normalize_tag(language) or resolve_language(language)
    if tag is None:
        raise CliError(f"unknown language {language!r} (use a code such as de, zh or pt-BR)")
    return tag

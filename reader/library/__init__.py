"""The library: pages on disk, grouped into articles of language variants.

Never imports Textual. The TUI gets a :class:`Library` injected.

The names below are imported on first use: ``reader search`` needs only the catalog and
the search module, and the model's dataclasses alone cost ~8 ms to create.
"""

from __future__ import annotations

import importlib
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from reader.library.library import Library
    from reader.library.model import Article, Block, Document, ListItem, Problem, Span, Variant
    from reader.library.scan import ScanResult

_LAZY = {
    "Article": "model",
    "Block": "model",
    "Document": "model",
    "Library": "library",
    "ListItem": "model",
    "Problem": "model",
    "ScanResult": "scan",
    "Span": "model",
    "Variant": "model",
}

__all__ = [
    "Article",
    "Block",
    "Document",
    "Library",
    "ListItem",
    "Problem",
    "ScanResult",
    "Span",
    "Variant",
    "bundled_library_name",
    "bundled_library_path",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reader.library' has no attribute {name!r}")
    return getattr(importlib.import_module(f"reader.library.{module}"), name)


def bundled_library_path() -> Path:
    """Return the directory of the library that ships with the reader.

    In an installed wheel it is ``reader/_bundled/library``; in a source checkout it is
    the repository's ``assets/library``.
    """
    from pathlib import Path

    return Path(bundled_library_name())


def bundled_library_name() -> str:
    """:func:`bundled_library_path` as a string, without importing pathlib."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    installed = os.path.join(package, "_bundled", "library")
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(package), "assets", "library")

"""Small shared pieces of the TUI."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def reader_app(node: DOMNode) -> ReaderApp:
    """The running :class:`ReaderApp`, typed, from any widget or screen."""
    return cast("ReaderApp", node.app)

"""Small checks shared by the models: what may be stored and what was read back."""

from __future__ import annotations

from typing import Any, TypeGuard

from reader.userdata.store import Validator

MAX_INDEX = 2**63 - 1
"""The biggest integer TOML can hold."""


def is_index(value: object) -> TypeGuard[int]:
    """Tell whether a value read from a file is a usable paragraph index (an int >= 0)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def require_text(name: str, value: object) -> str:
    """Check that a value can be stored as a TOML string.

    Args:
        name: The argument's name, for the message.
        value: The value given by the caller.

    Returns:
        The value.

    Raises:
        TypeError: It is not a ``str``.
        ValueError: It holds lone surrogates, which UTF-8 cannot encode.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{name} holds lone surrogates and cannot be stored") from None
    return value


def require_index(name: str, value: object) -> int:
    """Check that a value is a paragraph index.

    Args:
        name: The argument's name, for the message.
        value: The value given by the caller.

    Returns:
        The value.

    Raises:
        TypeError: It is not an ``int`` (``bool`` is refused too).
        ValueError: It is negative or too big for TOML (a signed 64-bit integer).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not 0 <= value <= MAX_INDEX:
        raise ValueError(f"{name} must be from 0 to {MAX_INDEX}, not {value}")
    return value


def optional_text(entry: dict[str, Any], name: str) -> str | None:
    """Read an optional string field: ``""`` if absent, ``None`` if of the wrong type."""
    value = entry.get(name, "")
    return value if isinstance(value, str) else None


def table_array(name: str) -> Validator:
    """Make a structure check requiring ``name``, if present, to be an array.

    Args:
        name: The top-level key, e.g. ``bookmark`` for ``[[bookmark]]`` blocks.

    Returns:
        A validator for :class:`~reader.userdata.store.TomlStore`.
    """

    def validate(data: dict[str, Any]) -> str | None:
        if name in data and not isinstance(data[name], list):
            return f"unexpected structure: '{name}' should be [[{name}]] tables"
        return None

    return validate

"""The user's ``config.toml``: read and checked, never rewritten (only a template is offered)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from reader.userdata.config_text import holds_no_settings
from reader.userdata.store import UserDataError, parse_toml

CONFIG_FILE = "config.toml"
MIN_WIDTH, MAX_WIDTH = 40, 200

TEMPLATE = """\
# Polyglot Reader settings.
#
# The reader only reads this file; it never changes it. Every setting below is
# commented out and shows an example: delete the "# " in front of a line to use it.
# Bookmarks, notes and reading positions live in other files in this folder.

# Folders of articles to show in the library. "~" means your home folder; a
# relative path is taken relative to the folder this file is in.
# libraries = ["~/Articles", "~/Documents/translations"]

# The languages you read, most preferred first, as language tags ("pt-BR", "zh-Hant").
# Articles open in the first of these that they are available in.
# languages = ["fi", "de", "en"]

# The language to open when an article has none of your languages.
# default_language = "en"    # language of untagged files; "auto" (the default) detects it

# A Textual theme to start with, e.g. "textual-dark", "nord", "gruvbox".
# theme = "nord"

# The widest the text of an article gets, in columns (40 to 200).
# reading_width = 80

# Right-to-left text (Persian, Arabic, Hebrew): "terminal" if your terminal puts it in
# display order itself (GNOME Terminal and other VTE terminals, Konsole, mlterm,
# mintty, macOS Terminal), "reader" to have the reader do it (xterm, kitty, Alacritty,
# WezTerm, iTerm2, Windows Terminal). "auto" (the default) picks "terminal" only for
# the terminals named first, told by VTE_VERSION, KONSOLE_VERSION, MLTERM, TERM_PROGRAM.
# bidi = "reader"

# Files bigger than this (in KiB) are shown cut short, with a notice.
# max_file_kib = 4096

# Your own keys: binding id = key(s). The help screen (?) lists every binding's keys;
# the ids are the names in the README's Keys section (article.bookmark, list.down, ...).
# [keys]
# "article.bookmark" = "m"
# "article.language" = "ctrl+l"
# "list.down" = "j,down,ctrl+n"
"""
"""The commented-out ``config.toml`` written by :func:`write_config_template`."""


class ConfigError(Exception):
    """``config.toml`` cannot be used: it does not parse or a setting has the wrong type.

    Attributes:
        path: The config file.
        line: The 1-based line of the problem, if known.
        column: The 1-based column of the problem, if known.
        reason: What is wrong, e.g. ``reading_width must be a whole number from 40 to 200``.
    """

    def __init__(
        self, path: Path, reason: str, line: int | None = None, column: int | None = None
    ) -> None:
        """Create the error.

        Args:
            path: The config file.
            reason: What is wrong.
            line: The 1-based line of the problem, if known.
            column: The 1-based column of the problem, if known.
        """
        super().__init__(path, reason, line, column)
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column

    def __str__(self) -> str:
        """One line: the file, where and what is wrong."""
        where = str(self.path)
        if self.line is not None:
            where += f" line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.reason}"


# A NamedTuple, not a dataclass: `reader search` reads config.toml, and importing
# dataclasses (with inspect) costs ~7 ms of its start-up.
class Config(NamedTuple):
    """The user's settings; every field has a default, so a missing file is fine.

    Attributes:
        libraries: Folders of articles, absolute, in the order given.
        languages: Preferred language tags, most preferred first.
        theme: A Textual theme name to start with, or ``None`` for the app's choice.
        reading_width: The widest the article text gets, in columns.
        default_language: The language of files whose path and front matter name none;
            ``"auto"`` detects it from the text.
        max_file_kib: Files bigger than this are shown truncated.
        bidi: Who puts right-to-left text in display order: ``"terminal"``,
            ``"reader"``, or ``"auto"`` to tell by the terminal.
        keys: The user's key map: binding id to key(s) (read-only). Whether an id
            and a key exist is checked by the interface, which knows the bindings.
        key_problems: One line for each ``[keys]`` entry left out because its value
            is not a string; the other settings apply all the same.
    """

    libraries: tuple[Path, ...] = ()
    languages: tuple[str, ...] = ()
    theme: str | None = None
    reading_width: int = 80
    default_language: str = "auto"
    max_file_kib: int = 4096
    bidi: str = "auto"
    keys: Mapping[str, str] = MappingProxyType({})
    key_problems: tuple[str, ...] = ()


_HEADER = re.compile(r"^\s*\[\s*(?P<name>[^\]]*?)\s*\]")


def _line_of(text: str, name: str, table: str | None = None) -> int | None:
    """Find the line where a setting is given, so that messages can point at it.

    Args:
        text: The config file's text.
        name: The key, or ``""`` for the header of ``table``.
        table: The table the key is in, or ``None`` for the top level.

    Returns:
        The 1-based line, or ``None`` if it cannot be found.
    """
    quoted = re.escape(name)
    key = re.compile(rf"""^\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*[=.]""")
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(line):
            current = header["name"].strip("\"'")
            if table is not None and current == table and not name:
                return number
        elif current == table and name and key.match(line):
            return number
    return None


def _string_list(value: object) -> bool:
    """Tell whether a value is a list of non-empty strings."""
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


def _whole_number(value: object) -> bool:
    """Tell whether a value is an int (and not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _check(data: dict[str, Any], config_dir: Path) -> tuple[dict[str, Any], str, str]:
    """Turn parsed settings into :class:`Config` arguments.

    Returns:
        ``(arguments, "", "")`` when all is well, else ``({}, key, reason)`` for the
        first wrong setting (unknown settings are ignored, for newer versions' sake).
    """
    given: dict[str, Any] = {}
    if "libraries" in data:
        value = data["libraries"]
        if not _string_list(value):
            return {}, "libraries", 'libraries must be a list of folders, e.g. ["~/Articles"]'
        base = config_dir.expanduser()
        given["libraries"] = tuple(base / Path(item).expanduser() for item in value)
    if "languages" in data:
        value = data["languages"]
        if not _string_list(value):
            return {}, "languages", 'languages must be a list of language tags, e.g. ["fi", "en"]'
        given["languages"] = tuple(value)
    if "theme" in data:
        if not isinstance(data["theme"], str) or not data["theme"]:
            return {}, "theme", 'theme must be the name of a theme, e.g. "nord"'
        given["theme"] = data["theme"]
    if "default_language" in data:
        value = data["default_language"]
        if not isinstance(value, str) or not value:
            return {}, "default_language", 'default_language must be a language tag, e.g. "en"'
        given["default_language"] = value
    if "reading_width" in data:
        value = data["reading_width"]
        if not _whole_number(value) or not MIN_WIDTH <= value <= MAX_WIDTH:
            reason = f"reading_width must be a whole number from {MIN_WIDTH} to {MAX_WIDTH}"
            return {}, "reading_width", reason
        given["reading_width"] = value
    if "max_file_kib" in data:
        value = data["max_file_kib"]
        if not _whole_number(value) or value <= 0:
            return {}, "max_file_kib", "max_file_kib must be a whole number above 0"
        given["max_file_kib"] = value
    if "bidi" in data:
        if data["bidi"] not in ("auto", "terminal", "reader"):
            return {}, "bidi", 'bidi must be "terminal", "reader" or "auto"'
        given["bidi"] = data["bidi"]
    if "keys" in data:
        # A bad key binding costs the user that one key, not every other setting.
        value = data["keys"]
        keys: dict[str, str] = {}
        problems: list[str] = []
        if not isinstance(value, dict):
            problems.append(
                '[keys] must be a table: [keys] then lines like "article.bookmark" = "m"'
            )
            value = {}
        for binding_id, key in value.items():
            if isinstance(key, str) and key.strip():
                keys[binding_id] = key
            else:
                problems.append(f'[keys] {binding_id} must be a key name, e.g. "m"')
        given["keys"] = MappingProxyType(keys)
        given["key_problems"] = tuple(problems)
    return given, "", ""


def load_config(config_dir: Path) -> Config:
    """Read and check ``config.toml`` in the config directory.

    Args:
        config_dir: The config directory.

    Returns:
        The settings; the defaults if there is no ``config.toml``.

    Raises:
        ConfigError: The file cannot be read, does not parse, or a setting has the
            wrong type or is out of range. The message names the file, line and reason.
    """
    path = config_dir.expanduser() / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(path, f"cannot be read ({error.strerror or error})") from None
    if holds_no_settings(raw):  # the template, as written: comments only
        return Config()
    try:
        data = parse_toml(path, raw)
    except UserDataError as error:
        raise ConfigError(path, error.reason, error.line, error.column) from None
    given, where, reason = _check(data, config_dir)
    if reason:
        table, _, name = where.rpartition(".")
        text = raw.decode("utf-8-sig")
        line = _line_of(text, name, table or None)
        if line is None and table:  # an inline table, a dotted key, or the header
            line = _line_of(text, table) or _line_of(text, "", table)
        raise ConfigError(path, reason, line)
    return Config(**given)


def write_config_template(config_dir: Path) -> Path | None:
    """Create a commented-out ``config.toml`` that documents every setting, once.

    An existing file is never touched (not even an empty one).

    Args:
        config_dir: The config directory; created if need be.

    Returns:
        The new file's path, or ``None`` if there already was a ``config.toml``.

    Raises:
        OSError: The directory or file could not be created.
    """
    directory = config_dir.expanduser()
    path = directory / CONFIG_FILE
    if path.exists() or path.is_symlink():
        return None
    directory.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(TEMPLATE)
    return path

"""One app-written TOML file, read safely and changed atomically under a lock.

Every write takes an exclusive ``flock`` on a sibling ``<file>.lock``, re-reads the file,
applies one change, writes a temporary file in the same directory, ``fsync``s it,
``os.replace``s it over the original and ``fsync``s the directory. So two instances of the
app never lose each other's changes, and a crash at any moment leaves either the old or
the new file, never a torn one. A file that does not parse is never written.
"""

from __future__ import annotations

import copy
import fcntl
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.userdata.clock import utc_now

NOT_CHANGED = "not changed; fix it or move it aside"
"""What a user is told to do about a file that does not parse."""

CURRENT_VERSION = 1
"""The ``version`` that this code writes into new files."""

_POSITION = re.compile(r"^(?P<reason>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$", re.S)
_AT_END = re.compile(r"^(?P<reason>.*) \(at end of document\)$", re.S)
_BOM = b"\xef\xbb\xbf"

Validator = Callable[[dict[str, Any]], str | None]
"""Checks the shape of parsed data; returns why it is wrong, or ``None`` if it is fine."""


class UserDataError(Exception):
    """An app-written data file cannot be used: it does not parse, or cannot be read or saved.

    Attributes:
        path: The file concerned.
        line: The 1-based line of the problem, if known.
        column: The 1-based column of the problem, if known.
        reason: Why, in a few words (e.g. ``Expected '=' after a key``).
        advice: What happens now and what the user can do about it.
    """

    def __init__(
        self,
        path: Path,
        reason: str,
        line: int | None = None,
        column: int | None = None,
        advice: str = NOT_CHANGED,
    ) -> None:
        """Create the error.

        Args:
            path: The file concerned.
            reason: Why the file cannot be used.
            line: The 1-based line of the problem, if known.
            column: The 1-based column of the problem, if known.
            advice: What happens now and what the user can do about it.
        """
        super().__init__(path, reason, line, column, advice)
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        self.advice = advice

    def __str__(self) -> str:
        """One line: the file, where, why and what now."""
        where = self.path.name
        if self.line is not None:
            where += f" line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.reason} — {self.advice}"


def _position_at_end(text: str) -> tuple[int, int]:
    """Return the line and column of the last character of ``text``, both 1-based."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return len(lines), len(lines[-1]) + 1


def _decode_error(path: Path, raw: bytes, error: UnicodeDecodeError) -> UserDataError:
    """Describe a UTF-8 decoding failure with its line and column."""
    before = raw[: error.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    bad = raw[error.start : error.start + 1].hex()
    return UserDataError(path, f"not valid UTF-8 (byte 0x{bad})", line, column)


def _syntax_error(path: Path, text: str, error: ValueError) -> UserDataError:
    """Turn a ``tomllib`` error message into a :class:`UserDataError` with a position."""
    message = str(error)
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    if isinstance(line, int) and isinstance(column, int):  # Python 3.14+ has the fields
        return UserDataError(path, str(getattr(error, "msg", message)), line, column)
    if found := _POSITION.match(message):
        line, column = int(found["line"]), int(found["column"])
        return UserDataError(path, found["reason"], line, column)
    if found := _AT_END.match(message):
        line, column = _position_at_end(text)
        return UserDataError(path, found["reason"], line, column)
    return UserDataError(path, message or type(error).__name__)


def parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    """Decode and parse the bytes of a TOML file, describing any failure precisely.

    Args:
        path: The file the bytes came from, for messages.
        raw: The file's content. A UTF-8 byte order mark is allowed.

    Returns:
        The parsed document.

    Raises:
        UserDataError: The bytes are not UTF-8 or not TOML.
    """
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _decode_error(path, raw, error) from None
    if _only_comments(text):
        return {}  # the commented-out config.toml template: no need to load tomllib
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise UserDataError(path, "values are nested too deeply") from None
    except ValueError as error:  # tomllib.TOMLDecodeError is a ValueError
        raise _syntax_error(path, text, error) from None


# What TOML forbids in a comment: control characters other than tab.
_COMMENT_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _only_comments(text: str) -> bool:
    """Tell whether a document has nothing but blank lines and valid comments."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number < len(lines) - 1:
            line = line.removesuffix("\r")  # CRLF; a lone CR is a forbidden character
        content = line.lstrip(" \t")
        if content and (content[0] != "#" or _COMMENT_FORBIDDEN.search(content)):
            return False
    return True


def _is_table_array(value: object) -> bool:
    """Tell whether a value would be written as an array of tables."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def dumps(data: dict[str, Any]) -> str:
    """Serialise data as TOML, writing every top-level array of tables as ``[[name]]`` blocks.

    ``tomli_w`` writes short tables of an array inline (``note = [{ ... }]``); for files
    that people read and fix by hand, one ``[[note]]`` block per entry is clearer.

    Args:
        data: The document. Only TOML types (dict, list, str, int, float, bool, dates).

    Returns:
        The TOML text.
    """
    import tomli_w  # only writes need it

    plain = {k: v for k, v in data.items() if not _is_table_array(v)}
    chunks = [tomli_w.dumps(plain)] if plain else []
    for name, entries in data.items():
        if not _is_table_array(entries):
            continue
        header = tomli_w.dumps({name: {}}).strip()  # "[name]" with the key quoted if need be
        for entry in entries:
            body = tomli_w.dumps({name: entry})
            if body.startswith(header + "\n"):
                body = body[len(header) + 1 :]
            chunks.append(f"[{header}]\n{body}")
    return "\n".join(chunks)


def _check_version(data: dict[str, Any]) -> str | None:
    """Reject a ``version`` that is not a whole number."""
    version = data.get("version", CURRENT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        return "unexpected structure: 'version' should be a whole number"
    return None


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable, where the platform allows it."""
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class TomlStore:
    """One app-written TOML file: read it, change it atomically, or move it aside.

    Reads are cached by content, so reading an unchanged file again costs one small
    ``read`` and no parsing. Nothing is read or created until it is needed.

    Args:
        path: The file, e.g. ``<config dir>/bookmarks.toml``.
        validate: Checks the structure of parsed data (e.g. that ``bookmark`` is an
            array); returns a reason if it is wrong. ``version`` is always checked.
        clock: Gives the time used in the names of moved-aside files.
    """

    def __init__(
        self,
        path: Path,
        validate: Validator | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.path = path
        self._validate = validate
        self._clock = clock
        self._cache: tuple[bytes, dict[str, Any] | UserDataError] | None = None

    @property
    def lock_path(self) -> Path:
        """The sibling file that writers lock, e.g. ``bookmarks.toml.lock``."""
        return self.path.with_name(self.path.name + ".lock")

    def _read_raw(self, path: Path) -> bytes | None:
        """Return the file's bytes, or ``None`` if it does not exist."""
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise UserDataError(self.path, f"cannot be read ({error.strerror or error})") from None

    def _parse_cached(self, raw: bytes) -> dict[str, Any]:
        """Parse and check ``raw``, reusing the last result if the bytes are the same.

        The returned dict is shared with the cache: callers must not change it.
        """
        cached = self._cache
        if cached is None or cached[0] != raw:
            try:
                data = parse_toml(self.path, raw)
                problem = _check_version(data)
                if problem is None and self._validate is not None:
                    problem = self._validate(data)
                result: dict[str, Any] | UserDataError = (
                    UserDataError(self.path, problem) if problem else data
                )
            except UserDataError as error:
                result = error
            cached = (raw, result)
            self._cache = cached
        if isinstance(cached[1], UserDataError):
            raise UserDataError(*cached[1].args)  # a fresh instance: tracebacks would pile up
        return cached[1]

    def load_shared(self) -> dict[str, Any]:
        """Read the file without copying the cached result (for this package's models).

        Returns:
            The parsed data, which the caller must treat as read-only.

        Raises:
            UserDataError: The file cannot be read, does not parse, or has an unexpected
                structure.
        """
        raw = self._read_raw(self.path)
        if raw is None:
            return {"version": CURRENT_VERSION}
        return self._parse_cached(raw)

    def load(self) -> dict[str, Any]:
        """Read the file.

        Returns:
            The parsed data (a fresh copy the caller may change); ``{"version": 1}``
            if the file does not exist.

        Raises:
            UserDataError: The file cannot be read, does not parse, or has an unexpected
                structure.
        """
        return copy.deepcopy(self.load_shared())

    def check(self) -> UserDataError | None:
        """Tell whether the file can be used.

        Returns:
            Why the file cannot be read or written, or ``None`` if it is fine or missing.
        """
        try:
            self.load_shared()
        except UserDataError as error:
            return error
        return None

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply one change to the file atomically, under an exclusive lock.

        The file is re-read under the lock so that changes made by another instance are
        kept. If ``change`` leaves the data as it was, nothing is written.

        Args:
            change: Mutates the parsed data in place. It must only store TOML types.

        Returns:
            The data as written.

        Raises:
            UserDataError: The file does not parse or has an unexpected structure (it is
                left untouched), or it could not be saved (the old file stays).
            ValueError: The data cannot be stored as UTF-8 (e.g. lone surrogates).
        """
        target = Path(os.path.realpath(self.path))
        with self._locked(target):
            raw = self._read_raw(target)
            original = None if raw is None else self._parse_cached(raw)
            data = {"version": CURRENT_VERSION} if original is None else copy.deepcopy(original)
            change(data)
            if data == (original if original is not None else {"version": CURRENT_VERSION}):
                return data
            if "version" not in data:
                data = {"version": CURRENT_VERSION, **data}
            try:
                payload = dumps(data).encode("utf-8")
            except UnicodeEncodeError as error:
                raise ValueError(f"cannot store text with lone surrogates: {error}") from None
            mode = None
            if raw is not None:
                with suppress(OSError):
                    mode = stat.S_IMODE(os.stat(target).st_mode)
            try:
                self._write_atomically(target, payload, mode)
            except OSError as error:
                raise self._save_error(error) from None
            self._cache = (payload, copy.deepcopy(data))
            self._remove_stale_temporaries(target)
            return data

    @contextmanager
    def _locked(self, target: Path) -> Iterator[None]:
        """Hold the exclusive lock on ``<target>.lock``, creating the directory if need be."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            lock_fd = os.open(
                target.with_name(target.name + ".lock"),
                os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                0o600,
            )
        except OSError as error:
            raise self._save_error(error) from None
        try:
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX)
            except OSError as error:  # e.g. a network file system without locks
                raise self._save_error(error) from None
            yield
        finally:
            os.close(lock_fd)  # closing the descriptor releases the lock

    def _save_error(self, error: OSError) -> UserDataError:
        """Describe a failure to save."""
        reason = f"could not be saved ({error.strerror or error})"
        return UserDataError(self.path, reason, advice="the change was not saved")

    @staticmethod
    def _write_atomically(target: Path, payload: bytes, mode: int | None) -> None:
        """Write ``payload`` to a temporary sibling, make it durable and move it into place."""
        import tempfile  # only writes need it

        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(payload)
                stream.flush()
                if mode is not None:
                    os.fchmod(stream.fileno(), mode)
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_directory(target.parent)

    @staticmethod
    def _remove_stale_temporaries(target: Path) -> None:
        """Delete temporary files left by writers that were killed mid-write.

        Only called while holding the lock: every writer makes its temporary file under
        the lock, so any such file seen now belongs to a writer that died.
        """
        prefix = f".{target.name}."
        with suppress(OSError), os.scandir(target.parent) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with suppress(OSError):
                        os.unlink(entry.path)

    def move_aside(self) -> Path:
        """Rename the file to ``<name>.corrupt-<YYYYmmdd-HHMMSS>`` so a fresh one can start.

        A counter (``-2``, ``-3``, …) is added if that name is taken. The content is kept.

        Returns:
            The new path of the old file.

        Raises:
            FileNotFoundError: There is no file to move.
            UserDataError: The file could not be renamed.
        """
        target = Path(os.path.realpath(self.path))
        with self._locked(target):
            if not target.exists():
                raise FileNotFoundError(str(self.path))
            moment = self._clock()
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC)
            stamp = moment.strftime("%Y%m%d-%H%M%S")
            base = f"{target.name}.corrupt-{stamp}"
            aside = target.with_name(base)
            counter = 2
            while aside.exists():
                aside = target.with_name(f"{base}-{counter}")
                counter += 1
            try:
                os.rename(target, aside)
            except OSError as error:
                reason = f"could not be moved aside ({error.strerror or error})"
                raise UserDataError(self.path, reason, advice="nothing was changed") from None
            _fsync_directory(target.parent)
            self._cache = None
            return aside


class StoredFile:
    """What bookmarks, notes and the reading state share: one TOML file and its health.

    Args:
        path: The file.
        validate: Checks the structure of the parsed file (see :class:`TomlStore`).
        clock: Gives the times stamped on entries and on moved-aside files.
    """

    def __init__(
        self,
        path: Path,
        validate: Validator | None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = TomlStore(path, validate, clock)
        self._clock = clock

    @property
    def path(self) -> Path:
        """The file."""
        return self.store.path

    @property
    def error(self) -> UserDataError | None:
        """Why the file cannot be used (it is read-only until fixed), or ``None``."""
        return self.store.check()

    def check(self) -> UserDataError | None:
        """Re-read the file and tell whether it can be used.

        Returns:
            Why the file cannot be used, or ``None`` if it is fine or does not exist yet.
        """
        return self.store.check()

    def move_aside(self) -> Path:
        """Rename a broken file out of the way so that changes can be saved again.

        Returns:
            Where the old file now is.
        """
        return self.store.move_aside()

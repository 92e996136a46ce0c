"""Turn the bytes of a page into text: BOMs, legacy encodings, binary refusal, line ends."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Default largest number of bytes read from one file; the rest is cut with a notice.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UndecodableError(ValueError):
    """The bytes are not text this reader can show (binary, NUL bytes, unknown encoding)."""


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from a file.

    Attributes:
        text: The text with line ends normalised to ``\\n``.
        encoding: The encoding used.
        truncated: ``True`` if the file was longer than the limit and was cut.
    """

    text: str
    encoding: str
    truncated: bool = False


def normalize_newlines(text: str) -> str:
    """Turn CRLF, CR, NEL, U+2028 and U+2029 line ends into ``\\n``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in ("\u2028", "\u2029", "\x85"):
        if separator in text:
            text = text.replace(separator, "\n")
    return text


def decode_bytes(data: bytes, *, truncated: bool = False) -> DecodedText:
    """Decode a page's bytes.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded directly; anything
    else that is not valid UTF-8 is handed to charset-normalizer (cp1251, GBK,
    Shift_JIS, ISO-8859-7…). A NUL byte outside UTF-16/32 means a binary file.

    Args:
        data: The raw bytes (possibly already cut at the size limit).
        truncated: Whether ``data`` was cut; a multi-byte character cut in half at the
            end is then dropped instead of making the file undecodable.

    Raises:
        UndecodableError: With a human reason, for binary or undecodable data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            errors = "ignore" if truncated else "strict"
            try:
                return DecodedText(
                    normalize_newlines(body.decode(encoding, errors)), encoding, truncated
                )
            except UnicodeDecodeError as error:
                raise UndecodableError(f"not valid {encoding} after its byte-order mark") from error
    if b"\x00" in data:
        raise UndecodableError("binary file (contains NUL bytes)")
    try:
        return DecodedText(normalize_newlines(data.decode("utf-8")), "utf-8", truncated)
    except UnicodeDecodeError as error:
        if truncated and error.start >= len(data) - 3:
            text = data[: error.start].decode("utf-8")
            return DecodedText(normalize_newlines(text), "utf-8", truncated)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableError("unknown text encoding (not UTF-8 and no legacy encoding fits)")
    return DecodedText(normalize_newlines(str(best)), str(best.encoding), truncated)


def read_text_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """Read and decode at most ``max_bytes`` of a file.

    Raises:
        OSError: If the file cannot be opened or read.
        UndecodableError: If it is not text.
    """
    # O_NONBLOCK so that a FIFO that slipped past the scanner cannot hang the reader.
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UndecodableError("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    finally:
        os.close(fd)
    truncated = len(data) > max_bytes
    return decode_bytes(data[:max_bytes] if truncated else data, truncated=truncated)

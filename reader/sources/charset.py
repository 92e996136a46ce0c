"""Decode a fetched page the way a browser does.

The order (WHATWG "encoding sniffing", simplified): a byte-order mark; the charset of
the ``Content-Type`` header; a ``<meta charset>`` or ``<meta http-equiv>`` in the first
bytes; else charset-normalizer's guess. Bytes that are valid UTF-8 (and not ASCII) are
read as UTF-8 whatever is declared. A declared
charset that the bytes do not fit (a "UTF-8" page that is really cp1251) is passed over
for the next source, where a browser would show mojibake.
"""

from __future__ import annotations

import codecs
import re

from reader.library.decode import UndecodableError, decode_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PRESCAN = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# As browsers do: these labels mean the Windows code page that is their superset.
_WHATWG = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}


def _codec(label: str) -> str | None:
    name = _WHATWG.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str) -> list[str]:
    """The encodings the page names: the header's, then the ``<meta>``'s (known codecs only)."""
    found: list[str] = []
    header = _HEADER_CHARSET.search(content_type or "")
    if header:
        found.append(header.group(1))
    meta = _META_CHARSET.search(body[:_PRESCAN])
    if meta:
        found.append(meta.group(1).decode("ascii", "replace"))
    codecs_found: list[str] = []
    for label in found:
        codec = _codec(label)
        # A UTF-16 label in a <meta> of an ASCII-compatible page is a lie browsers ignore.
        if codec and codec not in codecs_found and not codec.startswith("utf-16"):
            codecs_found.append(codec)
    return codecs_found


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a page's bytes to text.

    Args:
        body: The bytes as fetched (content-decoded).
        content_type: The ``Content-Type`` header, for its ``charset``.

    Returns:
        ``(text, encoding)``.

    Raises:
        UndecodableError: If no encoding fits (binary data).
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, "replace"), encoding
    if not body.isascii():
        # Legacy text is almost never valid UTF-8 by chance, so valid UTF-8 wins over a
        # declaration of a single-byte charset (a page saved as UTF-8 under an old header).
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    for encoding in declared_charsets(body, content_type):
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError:
            continue  # wrong declaration: try the next source
    decoded = decode_bytes(body)  # UTF-8, else charset-normalizer; refuses NUL bytes
    return decoded.text, decoded.encoding


__all__ = ["UndecodableError", "declared_charsets", "decode_html"]

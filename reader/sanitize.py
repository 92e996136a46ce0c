"""Make untrusted text safe to show in a terminal.

Applied *after* parsing and before display, to every string that came from a library:
bodies, titles, front matter values, file names, snippets, notes and error messages.

* Whole escape sequences are removed (CSI, OSC, DCS, SOS, PM, APC, in their 7-bit
  ``ESC x`` and 8-bit C1 forms), then any remaining C0 control except tab and newline,
  DEL and C1 control.
* Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069), the
  "Trojan Source" characters, are removed; Unicode tag characters likewise.
* In names and links (``visible=True``) nothing is removed: every control character
  (tab and newline included: a name is one line), bidi control and tag character, and
  the invisible format characters that could make two different strings look the same,
  is shown as a ``<U+200B>``-style placeholder. An escape sequence there loses its ESC
  (or 8-bit introducer) to a placeholder and the rest stays as inert text, so two file
  names never look alike when they differ.

This module never imports Textual and never interprets markup.
"""

from __future__ import annotations

import unicodedata

from reader.patterns import compiled

# The patterns are compiled on first use, and only text that holds a character that is
# not printable needs them: `reader search` prints its hits without importing re (~4 ms).
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import re

# Escape sequences, 7-bit and 8-bit. String sequences (OSC, DCS, SOS, PM, APC) end at
# BEL or ST (ESC \ or U+009C); an unterminated one runs to the end of the text.
_ESCAPE_SEQUENCES = r"""(?x)
      (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?              # CSI ... final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])        # OSC DCS SOS PM APC
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?                                # other ESC sequences
"""
# ESC and the 8-bit introducers: only text holding one can hold an escape sequence.
_INTRODUCERS = "[\x1b\x90-\x9f]"
_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
_CONTROLS_ONE_LINE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
# Shown as placeholders in names and links: every control of _CONTROLS_ONE_LINE, and
# the zero-width and other invisible characters that deceive there. ZWJ and ZWNJ are
# left alone: Devanagari, Persian and emoji need them.
_VISIBLE = (
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f"
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u2060-\u2064\ufeff]"
)
# The characters of _VISIBLE that str.isprintable() counts as printable.
_VISIBLE_PRINTABLE = ("\u034f", "\u115f", "\u1160")

SAFE_LINK_SCHEMES = frozenset({"http", "https"})


def _placeholder(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def clean(text: str, *, visible: bool = False) -> str:
    """Remove everything from ``text`` that a terminal would obey instead of display.

    Args:
        text: Untrusted text (already parsed).
        visible: Show, rather than remove: every control character (tab and newline
            too), bidi control, tag character and invisible format character becomes
            a ``<U+XXXX>`` placeholder. For file names, keys and link targets, where a
            character that vanished could make two different names look the same.

    Returns:
        Text that holds no escape sequence, control character (except tab and newline,
        and those not either with ``visible``) or bidi control.
    """
    # Every character removed or replaced below is one isprintable() refuses, but three.
    if text.isprintable() and (
        not visible or text.isascii() or not any(c in text for c in _VISIBLE_PRINTABLE)
    ):
        return text
    if visible:
        # Every introducer (ESC, CSI, OSC...) becomes a placeholder, so what follows it
        # is plain text that no terminal obeys; nothing is removed from a name.
        return compiled(_VISIBLE).sub(_placeholder, text)
    if compiled(_INTRODUCERS).search(text) is not None:
        text = compiled(_ESCAPE_SEQUENCES).sub("", text)
    return compiled(_CONTROLS).sub("", text)


def clean_line(text: str, *, visible: bool = False) -> str:
    """Like :func:`clean`, but for one-line fields (titles, names): newlines and tabs
    become spaces (placeholders with ``visible``)."""
    if visible:
        return clean(text, visible=True)
    if text.isprintable():
        return text
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    text = clean(text, visible=visible)
    return compiled(_CONTROLS_ONE_LINE).sub("", text)


def clean_path(text: str) -> str:
    """Show a file name safely: undecodable bytes as U+FFFD, invisible characters visible."""
    if any("\udc80" <= c <= "\udcff" for c in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return clean_line(text, visible=True)


def safe_link(url: str) -> str | None:
    """Return ``url`` if it may be opened (``http``/``https`` only), else ``None``."""
    target = url.strip()
    if not target or clean_line(target, visible=True) != target:
        return None
    from urllib.parse import urlsplit

    try:
        scheme = urlsplit(target).scheme.lower()
    except ValueError:
        return None
    return target if scheme in SAFE_LINK_SCHEMES else None


def is_clean(text: str) -> bool:
    """``True`` if ``text`` has nothing :func:`clean` would remove."""
    return clean(text) == text


def nfc(text: str) -> str:
    """NFC-normalise (so that search and filters match composed and decomposed forms)."""
    return unicodedata.normalize("NFC", text)

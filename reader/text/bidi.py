"""Right-to-left text: which paragraphs run right to left, and their display order.

A terminal shows cells left to right. Some terminals (VTE-based ones such as GNOME
Terminal and Tilix, Konsole, mlterm, mintty, macOS Terminal) reorder right-to-left runs
themselves; there the reader writes text in logical order (``bidi = "terminal"``). In
the others it reorders each wrapped line itself (``bidi = "reader"``): the Unicode
Bidirectional Algorithm (python-bidi) resolves the paragraph's embedding levels, each
line is reordered by them (rule L2), mirrored brackets are swapped (L4), and Arabic
letters are given their joining forms first (arabic-reshaper), which terminals do not.

Only display is reordered: the text that search, find, copy and piped output use stays
in logical order. Pure: no Textual; python-bidi and arabic-reshaper are imported only
when a right-to-left paragraph is shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal

BidiMode = Literal["terminal", "reader"]
#: The values ``bidi`` may take in ``config.toml``.
BIDI_SETTINGS = ("auto", "terminal", "reader")

#: Languages written right to left (primary subtags).
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "pa-arab", "ps", "sd"}
    | {"syr", "ug", "ur", "yi", "prs", "azb", "bal", "glk", "lrc", "mzn", "nqo"}
)

_RTL_CLASSES = frozenset({"R", "AL"})
#: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan..., their presentation forms, and the
#: right-to-left blocks of the supplementary planes.
_RTL_SCRIPT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def has_rtl(text: str) -> bool:
    """Whether ``text`` has any right-to-left letter (a quick test)."""
    return _RTL_SCRIPT.search(text) is not None


def is_rtl(text: str, language: str = "") -> bool:
    """Whether a paragraph runs right to left.

    A paragraph of a right-to-left language does, unless it has no right-to-left letter
    at all (a code sample, an English quote); a paragraph of another language does if
    most of its letters are right to left.
    """
    if not has_rtl(text):
        return False
    rtl = ltr = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            rtl += 1
        elif kind == "L":
            ltr += 1
    if language.split("-")[0].lower() in RTL_LANGUAGES:
        return rtl > 0
    return rtl > ltr


def terminal_reorders(environ: Mapping[str, str]) -> bool:
    """Whether the terminal is known to reorder right-to-left text itself.

    VTE (``VTE_VERSION``, GNOME Terminal, Tilix, Terminator...) does since 0.58;
    Konsole (``KONSOLE_VERSION``), mlterm (``MLTERM``), mintty and macOS Terminal
    (``TERM_PROGRAM``) do. Others (xterm, kitty, Alacritty, WezTerm, iTerm2 by default,
    Windows Terminal, tmux on its own) do not.
    """
    vte = environ.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= 5800:
        return True
    if environ.get("KONSOLE_VERSION") or environ.get("MLTERM"):
        return True
    if environ.get("TERM", "").startswith("mlterm"):
        return True
    return environ.get("TERM_PROGRAM", "") in ("mintty", "Apple_Terminal")


def resolve_mode(setting: str, environ: Mapping[str, str]) -> BidiMode:
    """The ``bidi`` setting made definite: ``"auto"`` asks :func:`terminal_reorders`."""
    if setting == "terminal":
        return "terminal"
    if setting == "reader":
        return "reader"
    return "terminal" if terminal_reorders(environ) else "reader"


class Display:
    """One right-to-left paragraph prepared for display in a terminal that does not
    reorder: its characters shaped and mirrored, and its embedding levels.

    Attributes:
        text: The logical text.
        glyphs: What to draw for each character of ``text`` (same length): Arabic
            letters in their joining forms, brackets in a right-to-left run mirrored.
        levels: The embedding level of each character (odd: right to left).
        base: The paragraph's level (1 for right to left).
    """

    def __init__(self, text: str, rtl: bool) -> None:
        self.text = text
        self.base = 1 if rtl else 0
        self.levels = _levels(text, rtl)
        shaped = _shape(text)
        self.glyphs = "".join(
            _mirror(char) if level % 2 else char
            for char, level in zip(shaped, self.levels, strict=True)
        )

    def order(self, start: int, end: int) -> list[int]:
        """The characters of ``text[start:end]`` (one wrapped line) in display order,
        left to right, as indices into ``text``.

        Rule L1 puts trailing spaces at the paragraph's level; rule L2 reverses every
        run at each level from the highest down to the lowest odd one. A combining mark
        stays after its base character, where a terminal expects it.
        """
        levels = self.levels[start:end]
        trailing = len(levels)
        while trailing and self.text[start + trailing - 1].isspace():
            trailing -= 1
        levels[trailing:] = [self.base] * (len(levels) - trailing)
        # Grapheme-ish units: a base character with the marks that follow it.
        units: list[list[int]] = []
        unit_levels: list[int] = []
        for offset, level in enumerate(levels):
            index = start + offset
            if units and _is_mark(self.text[index]):
                units[-1].append(index)
            else:
                units.append([index])
                unit_levels.append(level)
        if not units:
            return []
        highest = max(unit_levels)
        lowest_odd = min((level for level in unit_levels if level % 2), default=highest + 1)
        order = list(range(len(units)))
        for level in range(highest, lowest_odd - 1, -1):
            position = 0
            while position < len(order):
                if unit_levels[order[position]] >= level:
                    run_end = position
                    while run_end < len(order) and unit_levels[order[run_end]] >= level:
                        run_end += 1
                    order[position:run_end] = order[position:run_end][::-1]
                    position = run_end
                else:
                    position += 1
        return [index for unit in order for index in units[unit]]

    def line(self, start: int, end: int) -> str:
        """One wrapped line as the terminal should receive it (trailing spaces dropped)."""
        return "".join(self.glyphs[index] for index in self.order(start, end)).rstrip()


@lru_cache(maxsize=512)
def display(text: str, rtl: bool) -> Display:
    """A paragraph's :class:`Display`, cached: it is the same at every width."""
    return Display(text, rtl)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of each character (rules P2 to I2, with bracket
    pairs), from python-bidi's Rust implementation.

    python-bidi reports levels only in its debug output (one per UTF-8 byte); if that
    ever changes shape, each character falls back to its own direction, which still
    reads right for plain right-to-left prose.
    """
    from bidi import get_display

    report = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    start, end = report.find("levels:"), report.find("paragraphs:")
    per_byte = [int(level) for level in _LEVEL.findall(report, start, end)]
    if start >= 0 and end > start and len(per_byte) == len(text.encode("utf-8")):
        levels: list[int] = []
        offset = 0
        for char in text:
            levels.append(per_byte[offset])
            offset += len(char.encode("utf-8"))
        return levels
    levels = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            levels.append(1)
        elif kind in ("L", "EN", "AN"):
            levels.append(2 if rtl else 0)
        else:
            levels.append(1 if rtl else 0)
    return levels


def _shape(text: str) -> str:
    """Arabic letters in their contextual (joining) forms, one for one, so that every
    character keeps its place; unchanged if the text has none."""
    if not any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in text):
        return text
    shaped = _reshaper().reshape(text)
    return shaped if len(shaped) == len(text) else text


@lru_cache(maxsize=1)
def _reshaper():  # type: ignore[no-untyped-def]
    from arabic_reshaper import ArabicReshaper

    # No ligatures and no dropped marks: one shaped character for each character.
    return ArabicReshaper(
        configuration={
            "delete_harakat": False,
            "support_ligatures": False,
            "shift_harakat_position": False,
            "delete_tatweel": False,
            "support_zwj": True,
        }
    )


def _mirror(char: str) -> str:
    """The mirrored glyph of a bracket-like character (rule L4), else the character."""
    if not unicodedata.mirrored(char):
        return char
    from bidi.mirror import MIRRORED

    return str(MIRRORED.get(char, char))

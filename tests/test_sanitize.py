"""reader/sanitize.py, case by case: what is removed, what is shown as a placeholder, what
is kept, and which links may be opened. (The hostile corpus and the property tests in
tests/test_hostile_corpus.py cover it at large; these are quick and name each rule.)"""

from __future__ import annotations

import pytest

from reader.sanitize import clean, clean_line, clean_path, is_clean, nfc, safe_link


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("Grüße, 你好", "Grüße, 你好"),
        ("\x1b[31mred\x1b[0m", "red"),  # CSI, 7-bit
        ("\x9b31mred", "red"),  # CSI, 8-bit introducer
        ("\x1b]0;PWNED\x07after", "after"),  # OSC ended by BEL
        ("\x1b]52;c;cGF5\x1b\\after", "after"),  # OSC ended by ST
        ("\x90qDCS\x9cafter", "after"),  # DCS, 8-bit, ended by 8-bit ST
        ("\x1b(Bx", "x"),  # other ESC sequence
        ("a\x00b\x7fc\x85d", "abcd"),  # C0, DEL, C1
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # kept in bodies
        ("\u202eevil\u202c \u2066x\u2069", "evil x"),  # bidi overrides and isolates
        ("tag\U000e0041\U000e007f", "tag"),  # Unicode tag characters
        ("soft\u00adhyphen", "soft\u00adhyphen"),  # printable enough in a body
    ],
)
def test_clean_removes_what_a_terminal_would_obey(text: str, shown: str) -> None:
    assert clean(text) == shown
    assert is_clean(shown)
    assert is_clean(text) == (text == shown)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("name.md", "name.md"),
        ("a\x1bb", "a<U+001B>b"),
        ("\x1b[31mred", "<U+001B>[31mred"),  # the introducer shown, the rest inert text
        ("zero\u200bwidth", "zero<U+200B>width"),
        ("cgj\u034fx", "cgj<U+034F>x"),  # printable, yet invisible: shown
        ("line\nbreak\ttab", "line<U+000A>break<U+0009>tab"),
        ("\u202egnp.exe", "<U+202E>gnp.exe"),
        ("\ufeffbom", "<U+FEFF>bom"),
        ("Ελληνικά", "Ελληνικά"),
    ],
)
def test_visible_shows_every_hidden_character_as_a_placeholder(text: str, shown: str) -> None:
    assert clean(text, visible=True) == shown
    assert clean_line(text, visible=True) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("one line", "one line"),
        ("two\nlines", "two lines"),
        ("win\r\nline", "win line"),
        ("a\tb", "a b"),
        ("cr\ronly", "cronly"),
        ("\x1b[1mbold\x1b[0m\ntitle", "bold title"),
        ("\x85next", "next"),
    ],
)
def test_clean_line_makes_one_line(text: str, shown: str) -> None:
    assert clean_line(text) == shown


def test_clean_path_shows_undecodable_bytes_and_invisible_characters() -> None:
    name = b"caf\xe9-\xe2\x80\x8b.md".decode("utf-8", "surrogateescape")
    assert clean_path(name) == "caf\ufffd-<U+200B>.md"
    assert clean_path("plain/path.md") == "plain/path.md"
    assert clean_path("new\nline") == "new<U+000A>line"
    # The first and the last byte that UTF-8 cannot start with: both shown as U+FFFD.
    for byte in (b"\x80", b"\xff"):
        assert clean_path((b"x" + byte).decode("utf-8", "surrogateescape")) == "x\ufffd"


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("  http://example.org  ", "http://example.org"),
        ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org", None),
        ("mailto:a@example.org", None),
        ("", None),
        ("   ", None),
        ("https://example.org/\x1b]0;x\x07", None),
        ("https://exa\u200bmple.org", None),
        ("http://[::1", None),  # urlsplit raises
        ("../../etc/passwd", None),
    ],
)
def test_only_clean_http_links_may_be_opened(url: str, opened: str | None) -> None:
    assert safe_link(url) == opened


def test_nfc_composes() -> None:
    assert nfc("e\u0301") == "é"
    assert nfc("Å") == "Å"

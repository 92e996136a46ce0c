"""Hostile library files: no crash, no hang, and nothing but text reaches the terminal.

The corpus and what each file must do are in ``tests/hostile.py``. The library is
scanned once per module, in a thread with a time limit; every case is then checked
in-process (listing, problems, every rendering) and through the real ``reader`` command.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content
from textual.style import Style

from reader.cli.render import document_plain, document_rich
from reader.library import Article, Block, Document, Library, Problem, Span, Variant
from reader.sanitize import clean, clean_line, clean_path, safe_link
from reader.tui.widgets.blocks import block_content, span_content
from tests.hostile import Case, forbidden, hostile_cases, write_hostile_corpus

#: A scan of the whole corpus (several MiB of bombs) must finish well within this.
SCAN_LIMIT = 20.0
#: Any single CLI run.
CLI_LIMIT = 60.0
#: Reading and parsing any one file (the worst bomb takes about half a second).
READER = Path(sys.executable).parent / "reader"

CASES = hostile_cases()


def _params(cases: Iterable[Case], *, scan: bool = False) -> list[object]:
    params: list[object] = []
    for case in cases:
        marks: list[pytest.MarkDecorator] = []
        if case.permissions:
            marks.append(pytest.mark.permissions)
        if case.skip:
            marks.append(pytest.mark.skip(reason=case.skip))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


# -- the scanned corpus -----------------------------------------------------------------


@dataclass
class Scanned:
    """The hostile library, scanned."""

    root: Path
    cases: list[Case]
    library: Library
    seconds: float

    def variant(self, case: Case) -> tuple[Article, Variant] | None:
        """The article and variant read from ``case``'s file, if it is listed."""
        for article in self.library.articles.values():
            for variant in article.variants.values():
                if variant.relpath == case.relpath:
                    return article, variant
        return None

    def problems(self, case: Case) -> list[Problem]:
        """The problems reported for ``case``'s path (or under it, for prefix cases)."""
        found = []
        for problem in self.library.problems:
            path = problem.path
            hit = path.startswith(f"{case.relpath}/") if case.prefix else path == case.relpath
            if hit:
                found.append(problem)
        return found


def scan_with_limit(library: Library, limit: float = SCAN_LIMIT) -> float:
    """Scan in a thread; fail the test if it takes longer than ``limit`` seconds."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            library.scan()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run, name="hostile-scan", daemon=True)
    start = time.monotonic()
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"scanning the hostile library took more than {limit:.0f} s (hang?)")
    if errors:
        raise errors[0]
    return time.monotonic() - start


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    root = tmp_path_factory.mktemp("hostile") / "library"
    cases = write_hostile_corpus(root)
    assert [case.name for case in cases] == [case.name for case in CASES]
    library = Library([root])
    seconds = scan_with_limit(library)
    return Scanned(root, cases, library, seconds)


@pytest.fixture(scope="module")
def light_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus without its large files: cheap enough to rescan once per CLI run."""
    root = tmp_path_factory.mktemp("hostile-light") / "library"
    write_hostile_corpus(root, heavy=False)
    return root


@pytest.fixture(scope="module")
def tame_names_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The light corpus without hostile file names (whose keys the CLI prints raw)."""
    root = tmp_path_factory.mktemp("hostile-tame-names") / "library"
    write_hostile_corpus(root, heavy=False, exclude={"file-name"})
    return root


def test_scan_finishes_in_time_and_reads_every_file(scanned: Scanned) -> None:
    assert scanned.seconds < SCAN_LIMIT
    assert scanned.library.files >= len([c for c in scanned.cases if c.family != "file-system"])
    assert scanned.library.articles


@pytest.mark.parametrize("case", _params(CASES, scan=True))
def test_case_is_listed_or_reported_with_a_reason(scanned: Scanned, case: Case) -> None:
    found = scanned.variant(case)
    problems = scanned.problems(case)
    if case.expect == "article":
        assert found is not None, f"{case.relpath!r} is not in the library"
        assert not problems, f"unexpected problems: {problems}"
    elif case.expect == "degraded":
        assert found is not None, f"{case.relpath!r} is not in the library"
        assert problems, f"{case.relpath!r} is not among the problems"
        assert all(not problem.skipped for problem in problems)
    elif case.expect == "skipped":
        assert found is None, f"{case.relpath!r} should not be in the library"
        assert problems, f"{case.relpath!r} is not among the problems"
        assert all(problem.skipped for problem in problems)
    else:
        assert (found is None) == bool(problems)
    for problem in problems:
        assert problem.reason.strip()
        if case.reason is not None:
            assert case.reason in problem.reason
    if case.title is not None:
        assert found is not None
        assert clean_line(found[1].title) == case.title


def test_problems_name_files_relative_to_the_root(scanned: Scanned) -> None:
    for problem in scanned.library.problems:
        assert not os.path.isabs(problem.path), problem
        assert str(scanned.root) not in problem.path, problem


def test_nothing_outside_the_cases_is_a_problem(scanned: Scanned) -> None:
    explained = {id(p) for case in scanned.cases for p in scanned.problems(case)}
    assert [p for p in scanned.library.problems if id(p) not in explained] == []


# -- rendering --------------------------------------------------------------------------


def content_links(content: Content) -> list[str]:
    """Every link or action a Textual ``Content`` carries in its styles."""
    links: list[str] = []
    for span in content.spans:
        style = span.style
        if isinstance(style, Style):
            if style.link:
                links.append(style.link)
            links.extend(f"{key}={value}" for key, value in style.meta.items())
        elif "link" in str(style) or "@" in str(style):
            links.append(str(style))
    return links


def text_links(text: Text) -> list[str]:
    """Every link a Rich ``Text`` carries in its styles."""
    links: list[str] = []
    for span in text.spans:
        style = span.style
        if isinstance(style, RichStyle):
            if style.link:
                links.append(style.link)
            if style.meta:
                links.append(repr(style.meta))
        elif "link" in str(style) or "@" in str(style):
            links.append(str(style))
    return links


def assert_opens_only_http(links: Sequence[str]) -> None:
    for link in links:
        assert safe_link(link) == link, f"unsafe link {link!r}"
        assert urlsplit(link).scheme in ("http", "https")


#: What a real terminal may receive from ``reader show`` besides text: SGR colours and
#: OSC 8 hyperlinks, whose targets are checked separately.
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_OSC8 = re.compile(r"\x1b\]8;[^\x07\x1b]*;([^\x07\x1b]*)\x1b\\")


def terminal_output(texts: Sequence[Text]) -> str:
    """What ``reader show`` writes to a colour terminal for these Rich texts."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="truecolor",
        width=100,
        markup=False,
        highlight=False,
        emoji=False,
    )
    for text in texts:
        console.print(text)
    return buffer.getvalue()


def assert_terminal_output_safe(output: str) -> None:
    targets = [target for target in _OSC8.findall(output) if target]
    assert_opens_only_http(targets)
    rest = _OSC8.sub("", _SGR.sub("", output))
    assert not forbidden(rest), f"raw control characters: {forbidden(rest)[:10]}"


LISTABLE = [case for case in CASES if case.expect in ("article", "degraded", "either")]


@pytest.mark.parametrize("case", _params(LISTABLE))
def test_case_renders_without_control_characters(scanned: Scanned, case: Case) -> None:
    found = scanned.variant(case)
    if found is None:
        assert case.expect == "either", f"{case.relpath!r} is not in the library"
        return
    _, variant = found
    # Never raises for a listed file. How long it takes is measured by benchmarks/, not
    # asserted here: on a busy machine a megabyte of list items took 8 s (4.6 s alone).
    document = scanned.library.load(variant)
    language = variant.language

    title = clean_line(document.title)
    list_title = clean_line(variant.title)
    plain = document_plain(document, language)
    texts = document_rich(document, language)
    rich_plain = "\n".join(text.plain for text in texts)
    contents = [block_content(block, 80) for block in document.blocks]
    tui = "\n".join([title, *(clean(n) for n in document.notices), *(c.plain for c in contents)])

    for name, shown in (
        ("title", title),
        ("list title", list_title),
        ("plain", plain),
        ("rich", rich_plain),
        ("tui", tui),
    ):
        assert not forbidden(shown), f"{name} rendering holds {forbidden(shown)[:10]}"
        for hidden in case.hides:
            assert hidden not in shown, f"{hidden!r} shown in the {name} rendering"
    for expected in case.shows:
        assert expected in plain
    for markup in case.literal:
        assert markup in plain, f"{markup!r} not shown literally by `reader show`"
        assert markup in tui, f"{markup!r} not shown literally by the Article view"

    for content in contents:
        assert_opens_only_http(content_links(content))
    for text in texts:
        assert_opens_only_http(text_links(text))
    assert_terminal_output_safe(terminal_output(texts))
    for span in _spans(document):
        if span.href is not None and safe_link(span.href) is None:
            assert content_links(span_content(span)) == []


def _spans(document: Document) -> Iterable[Span]:
    for block in document.blocks:
        yield from block.spans
        for item in block.items:
            yield from item.spans
        for row in block.rows:
            for cell in row:
                yield from cell


def test_safe_links_in_the_corpus_are_links(scanned: Scanned) -> None:
    (case,) = [c for c in scanned.cases if c.name == "link-schemes"]
    found = scanned.variant(case)
    assert found is not None
    document = scanned.library.load(found[1])
    hrefs = [span.href for span in _spans(document) if span.href]
    assert "https://example.org/ok" in hrefs
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript", "vbscript"))]
    links = [link for block in document.blocks for link in content_links(block_content(block))]
    assert links == ["https://example.org/ok"]


def test_hostile_translation_key_is_one_clean_line(scanned: Scanned) -> None:
    (case,) = [c for c in scanned.cases if c.name == "fm-hostile-key"]
    found = scanned.variant(case)
    assert found is not None
    key = found[0].key
    assert key.startswith("fmkey-") and key.endswith("-end")
    assert not forbidden(key) and "\n" not in key


def test_yaml_python_tag_runs_nothing(scanned: Scanned) -> None:
    assert not (scanned.root / "front-matter" / "pwned-marker").exists()
    assert not Path("pwned-marker").exists()


UNSAFE_LINKS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "mailto:a@example.org",
    "ftp://example.org/",
    "ssh://evil.example",
    "//evil.example/x",
    "../../etc/passwd",
    "about:blank",
    "https://example.org/\x1b]0;PWNED\x07",
    "https://example.org/\x9b31m",
    "https://evil\u202e.example",
    "https://ex\u200bample.org",
    "\x1b[31mhttps://example.org",
    "",
]


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_unsafe_link_is_shown_but_never_a_link(url: str) -> None:
    assert safe_link(url) is None
    span = Span("click", href=url)
    content = span_content(span)
    assert content_links(content) == []
    assert not forbidden(content.plain)
    assert content.plain.startswith("click")
    document = Document(title="t", blocks=(Block("paragraph", (span,)),))
    texts = document_rich(document, "en")
    assert [link for text in texts for link in text_links(text)] == []
    assert_terminal_output_safe(terminal_output(texts))
    assert not forbidden(document_plain(document, "en"))


def test_safe_link_is_a_link() -> None:
    url = "https://example.org/ok?q=1#top"
    span = Span("ok", href=url)
    assert safe_link(url) == url
    assert content_links(span_content(span)) == [url]
    texts = document_rich(Document(title="t", blocks=(Block("paragraph", (span,)),)), "en")
    assert [link for text in texts for link in text_links(text)] == [url]


# -- sanitize, property-based -----------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "\x1b\\", "\x07",
        "\x9b", "\x9c", "\x9d", "\x90", "\x85", "[", "]", ";", "0", "2J", "31m", "8;;",
        "\u202e", "\u2066", "\u2069", "\u200b", "\ufeff", "\r", "\n", "\t", "\x7f",
        "\U000e0041", "PWNED",
    ]
)  # fmt: skip
HOSTILE_TEXT = st.lists(st.one_of(st.characters(), _PIECES), max_size=60).map("".join)
PRINTABLE_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Cn")) | st.sampled_from("\t\n")
)


@given(HOSTILE_TEXT)
def test_clean_never_outputs_control_characters_and_is_idempotent(text: str) -> None:
    for visible in (False, True):
        out = clean(text, visible=visible)
        assert not forbidden(out)
        assert clean(out, visible=visible) == out
    line = clean_line(text)
    assert not forbidden(line) and "\n" not in line and "\t" not in line
    assert clean_line(line) == line


@given(PRINTABLE_TEXT)
def test_clean_keeps_printable_text(text: str) -> None:
    assert clean(text) == text


#: What ``os.fsdecode`` can give: any character but surrogates, and for each byte that
#: is not UTF-8 a surrogate escape (U+DC80-U+DCFF).
FILE_NAMES = st.lists(
    st.one_of(
        st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
        st.characters(codec="utf-8"),  # no surrogates
        _PIECES,
    ),
    max_size=40,
).map("".join)


@given(FILE_NAMES)
def test_clean_path_shows_any_file_name_safely(name: str) -> None:
    shown = clean_path(name)
    assert not forbidden(shown)
    shown.encode("utf-8")  # no lone surrogates left
    assert "\n" not in shown


#: Every character a file name must show as a ``<U+XXXX>`` marker: C0 controls (tab and
#: newline too: a name is one line), DEL, C1 controls, bidi controls, tag characters.
NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")


@pytest.mark.parametrize(
    "name",
    ["dup-\x9b.md", "a\x9bb.md", "c1-\x9b31m-\u202egnp.md", "esc-\x1b[31mred.md", "new\nline.md"],
)
def test_clean_path_shows_control_characters_as_markers(name: str) -> None:
    expected = NAME_CONTROLS.sub(lambda match: f"<U+{ord(match.group()):04X}>", name)
    assert clean_path(name) == expected
    assert clean(name, visible=True) == expected


@given(FILE_NAMES)
def test_every_control_in_a_file_name_becomes_a_visible_marker(name: str) -> None:
    assume("<U+" not in name)  # a name that spells a marker could not be told apart
    shown = clean_path(name)
    assert not NAME_CONTROLS.search(shown)
    markers = re.findall(r"<U\+([0-9A-F]{4,6})>", shown)
    for char in NAME_CONTROLS.findall(name):
        assert f"{ord(char):04X}" in markers, f"U+{ord(char):04X} vanished from {shown!r}"
    # Nothing else is lost: the name is the same with its markers turned back.
    restored = re.sub(r"<U\+([0-9A-F]{4,6})>", lambda m: chr(int(m.group(1), 16)), shown)
    expected = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    assert restored == expected


@given(st.one_of(HOSTILE_TEXT, st.text().map(lambda rest: "https://" + rest)))
def test_safe_link_only_ever_returns_clean_http_urls(url: str) -> None:
    target = safe_link(url)
    if target is not None:
        assert urlsplit(target).scheme.lower() in ("http", "https")
        assert clean_line(target, visible=True) == target
        assert not forbidden(target)


# -- the real command -------------------------------------------------------------------


def run_reader(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``reader`` command with its output piped."""
    command = [str(READER)] if READER.exists() else [sys.executable, "-m", "reader"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=CLI_LIMIT,
        env=os.environ.copy(),
        check=False,
    )


def checked_output(result: subprocess.CompletedProcess[bytes]) -> str:
    """Assert a run succeeded and wrote nothing a terminal would obey; return stdout."""
    where = " ".join(str(arg) for arg in result.args[1:])
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"{where}: exit {result.returncode}: {stderr[-2000:]}"
    assert "Traceback" not in stderr, f"{where}: {stderr[-2000:]}"
    assert not forbidden(stderr), f"{where}: stderr holds {forbidden(stderr)[:10]}"
    for byte in (0x1B, 0x07, 0x00, 0x08, 0x7F):
        assert byte not in result.stdout, f"{where}: stdout holds byte {byte:#04x}"
    stdout = result.stdout.decode("utf-8")  # strict: the output is UTF-8
    assert not forbidden(stdout), f"{where}: stdout holds {forbidden(stdout)[:10]}"
    return stdout


def keys_of(root: Path) -> list[str]:
    library = Library([root])
    scan_with_limit(library)
    return list(library.articles)


def test_cli_show_every_key(light_root: Path) -> None:
    keys = keys_of(light_root)
    assert len(keys) > 50

    def show(key: str) -> tuple[str, subprocess.CompletedProcess[bytes]]:
        return key, run_reader("--library", str(light_root), "show", key)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for key, result in pool.map(show, keys):
            stdout = checked_output(result)
            assert stdout.strip(), f"`reader show {key!r}` printed nothing"


def test_cli_show_heavy_keys(scanned: Scanned) -> None:
    keys = []
    for case in scanned.cases:
        found = scanned.variant(case)
        if case.heavy and found is not None:
            keys.append(found[0].key)
    assert keys

    def show(key: str) -> subprocess.CompletedProcess[bytes]:
        return run_reader("--library", str(scanned.root), "show", key)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for result in pool.map(show, keys):
            checked_output(result)


LISTINGS = [
    ("list",),
    ("list", "--json"),
    ("problems",),
    ("problems", "--json"),
    ("search", "--limit", "200", "Body"),
    ("search", "--limit", "200", "--json", "Body"),
]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_cli_listings_are_clean(tame_names_root: Path, command: tuple[str, ...]) -> None:
    stdout = checked_output(run_reader("--library", str(tame_names_root), *command))
    cases = hostile_cases(heavy=False, exclude={"file-name"})
    if command == ("list", "--json"):
        titles = {title for article in json.loads(stdout) for title in article["titles"].values()}
        for case in cases:
            if case.title is not None and not case.skip:
                assert case.title in titles
    elif command == ("problems", "--json"):
        paths = [entry["path"] for entry in json.loads(stdout)]
        for case in cases:
            if case.expect in ("degraded", "skipped") and not case.skip:
                assert any(case.relpath in path for path in paths), case.relpath
    elif command == ("list",):
        assert "Markup [@click=app.quit]quit[/] title" in stdout
    elif command[-2:] == ("--json", "Body"):
        assert json.loads(stdout), "the search found nothing"


def test_cli_search_finds_only_what_the_reader_shows(tame_names_root: Path) -> None:
    stdout = checked_output(
        run_reader("--library", str(tame_names_root), "search", "--json", "PWNED")
    )
    # A payload inside an escape sequence is removed before display and so cannot be
    # found; where a legacy decoding turned the bytes into letters, the reader shows
    # the word as text, and then finding it is right.
    for hit in json.loads(stdout):
        shown = checked_output(
            run_reader(
                "--library", str(tame_names_root), "show", hit["key"], "--lang", hit["language"]
            )
        )
        assert "PWNED" in shown, hit["key"]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_cli_listings_with_hostile_file_names_are_clean(
    light_root: Path, command: tuple[str, ...]
) -> None:
    stdout = checked_output(run_reader("--library", str(light_root), *command))
    if command[-1] == "--json":
        json.loads(stdout)


@pytest.mark.parametrize("invisible", ["\u034f", "\u115f", "\u1160", "\u200b", "\u00ad"])
def test_names_show_invisible_characters_even_printable_ones(invisible: str) -> None:
    """U+034F and the Hangul fillers count as printable, yet show nothing: a name shows them."""
    shown = f"<U+{ord(invisible):04X}>"
    assert clean(f"gpu{invisible}-training", visible=True) == f"gpu{shown}-training"
    assert clean_path(f"Ärger{invisible}.md") == f"Ärger{shown}.md"

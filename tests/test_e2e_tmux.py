"""End to end in a real terminal: the reader runs inside tmux, driven by keys.

These tests see what a user sees (``capture-pane``) and what the terminal itself would
do with anything that leaked past the reader (the pane title OSC 0/2 sets, the window
name ``ESC k`` sets, the paste buffers OSC 52 writes). Skipped without tmux.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library, bundled_library_path
from reader.sanitize import clean_line
from tests.hostile import Case, forbidden, hostile_cases, write_hostile_corpus
from tests.tmux_driver import TMUX, Tmux

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

REPO = Path(__file__).resolve().parent.parent
READER = [sys.executable, "-m", "reader"]


@pytest.fixture
def terminal_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh user: own config and cache, a colour terminal."""
    env = dict(os.environ)
    env.update(
        READER_CONFIG_DIR=str(tmp_path / "config"),
        READER_CACHE_DIR=str(tmp_path / "cache"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture
def tmux(tmp_path: Path, terminal_env: dict[str, str]) -> Iterator[Tmux]:
    with Tmux(tmp_path, width=120, height=40, env=terminal_env) as session:
        yield session


def reader_json(env: dict[str, str], *args: str) -> object:
    result = subprocess.run(
        [*READER, *args, "--json"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return json.loads(result.stdout)


def filter_to_one(tmux: Tmux, words: str, *, previous: str = "") -> str:
    """Type ``words`` into the Library filter (which holds ``previous``) and wait until
    exactly one article matches.

    Keys typed before the filter has focus would reach the list (whose single-letter
    bindings open screens or quit), so the footer is watched: with the filter focused
    it no longer offers "q Quit". Keys bound to actions (backspace, ctrl+u) may take
    effect after printable keys sent later, so the old filter is erased with exactly
    one backspace per character and the empty filter awaited before typing. No key that
    sends an escape sequence is used: an ESC read apart from the rest is Escape.
    """
    tmux.send_keys("/")
    tmux.wait_for("Filter", gone=["q Quit"])
    if previous:
        tmux.run("send-keys", "-t", tmux.target, "-N", str(len(previous)), "BSpace")
        tmux.wait_for("filter by title")  # the placeholder: the filter is empty
    tmux.send_text(words)
    return tmux.wait_for(words, "1 match")


def test_driver_sees_what_a_leak_would_do(tmux: Tmux) -> None:
    """The harness itself: raw sequences do set the title, window name and clipboard."""
    leak = r"printf '\033]2;PWNED\007\033]52;c;UFdORUQ=\007\033kRENAMED\033\\ready\n'"
    tmux.start(["sh", "-c", f"{leak}; sleep 30"])
    tmux.wait_for("ready")
    assert tmux.pane_title() == "PWNED"
    assert tmux.window_name() == "RENAMED"
    assert tmux.show_buffer() == "PWNED"


def test_new_user_reads_bookmarks_and_notes_across_languages(
    tmux: Tmux, terminal_env: dict[str, str]
) -> None:
    library = Library([bundled_library_path()])
    library.scan()
    article = library.article("gpu-training-dilemma")
    assert article is not None
    titles = {tag: clean_line(v.title) for tag, v in article.variants.items()}
    note = "Prüfen: die 3,1-Zahl ✓ later"

    tmux.start([*READER, "--lang", "de"], cwd=REPO)
    tmux.wait_for("GPU-Trainingsdilemma", "q Quit")
    filter_to_one(tmux, "GPU-Training")
    tmux.send_keys("Enter")
    tmux.wait_for("Mit der fortschreitenden", "¶ 1/6")

    tmux.send_keys("]")
    others = [title[:40] for tag, title in titles.items() if tag != "de"]
    screen = tmux.wait_for(
        gone=["Mit der fortschreitenden"], until=lambda s: any(t in s for t in others)
    )
    assert titles["de"] not in screen

    tmux.send_keys("b")
    tmux.wait_for("Bookmarked")
    tmux.send_keys("a")
    tmux.wait_for("Note on")
    tmux.send_text(note)
    tmux.wait_for(note)
    tmux.send_keys("C-s")
    tmux.wait_for("Note saved")
    tmux.send_keys("Escape")
    tmux.wait_for("Filter", gone=["Note saved", "¶ 1/6"])
    tmux.send_keys("q")
    assert tmux.wait_for_exit() == 0

    listed = reader_json(terminal_env, "list")
    assert isinstance(listed, list)
    keys = {entry["key"] for entry in listed if "GPU" in entry["titles"].get("de", "")}
    assert keys == {"gpu-training-dilemma"}
    bookmarks = reader_json(terminal_env, "bookmarks")
    assert isinstance(bookmarks, list)
    assert [(b["key"], b["paragraph"]) for b in bookmarks] == [("gpu-training-dilemma", 0)]
    assert bookmarks[0]["language"] != "de"
    notes = reader_json(terminal_env, "notes")
    assert isinstance(notes, list)
    assert [(n["key"], n["text"]) for n in notes] == [("gpu-training-dilemma", note)]


#: Articles opened in the terminal: escapes of every kind in titles and bodies.
OPENED = (
    "esc-csi-md",
    "osc-title",
    "osc52-clipboard",
    "osc8-hyperlink",
    "dcs-apc-pm-sos",
    "c1-controls",
    "bidi-trojan-source",
    "rich-textual-markup",
    "fm-title-escapes",
    "name-esc",
)


def _filter_words(case: Case) -> str:
    assert case.title is not None
    words = case.title.split()
    return f"{words[0]} {words[-1]}"


def test_keys_sent_with_the_slash_go_to_the_filter(tmux: Tmux) -> None:
    """A script (or a fast typist) sends `/GPU` and Enter at once: the keys after `/`
    reach the reader before the filter has the focus, and still go to it (`P` used to
    open the Problems screen, `G` to jump to the last article)."""
    tmux.start([*READER, "--lang", "de"], cwd=REPO)
    tmux.wait_for("GPU-Trainingsdilemma", "q Quit")
    tmux.send_keys("/", "G", "P", "U")
    screen = tmux.wait_for("1 match")
    assert "Problems" not in screen
    assert "Jen-Hsun Huang" not in screen  # filtered out
    tmux.send_keys("Escape")
    tmux.wait_for("Jen-Hsun Huang", gone=["1 match"])
    tmux.send_keys("/", "G", "P", "U", "Enter")
    tmux.wait_for("Mit der fortschreitenden", "¶ 1/6")
    tmux.send_keys("Escape")  # alone: ESC and q read together would be alt+q
    tmux.wait_for("1 match", gone=["¶ 1/6"])
    tmux.send_keys("Escape")
    tmux.wait_for("Jen-Hsun Huang", "q Quit", gone=["1 match"])
    tmux.send_keys("q")
    assert tmux.wait_for_exit() == 0


def test_hostile_articles_leave_the_terminal_alone(tmux: Tmux, tmp_path: Path) -> None:
    root = tmp_path / "library"
    cases = {case.name: case for case in write_hostile_corpus(root, heavy=False)}
    tmux.start([*READER, "--library", str(root)], cwd=REPO)
    tmux.wait_for("q Quit", "Clearscreen Red title")

    words = ""
    for name in OPENED:
        case = cases[name]
        assert case.title is not None
        previous, words = words, _filter_words(case)
        filter_to_one(tmux, words, previous=previous)
        tmux.send_keys("Enter")
        body = case.literal[0] if case.literal else case.shows[0] if case.shows else "Body"
        screen = tmux.wait_for(case.title, body, "Back")
        assert "PWNED" not in screen
        assert not forbidden(screen)
        if case.literal:  # the first one is short enough not to be wrapped
            assert case.literal[0] in screen
        tmux.send_keys("q")  # back (ESC would need a pause before the next key)
        tmux.wait_for("Filter", words, "q Quit", gone=["Back"])  # the list has focus

    assert not forbidden(tmux.capture())
    assert tmux.exit_status() is None, "the reader quit (a click action ran?)"
    assert "PWNED" not in tmux.pane_title()
    assert tmux.window_name() != "RENAMED"
    assert all("PWNED" not in buffer for buffer in tmux.buffers())
    tmux.send_keys("q")
    assert tmux.wait_for_exit() == 0


def test_every_listed_title_is_drawn_cleanly(tmux: Tmux, tmp_path: Path) -> None:
    """The Library screen lists every hostile title at once without a raw control."""
    root = tmp_path / "library"
    cases = write_hostile_corpus(root, heavy=False, exclude={"file-system"})
    tmux.start([*READER, "--library", str(root)], cwd=REPO)
    tmux.wait_for("q Quit", "Clearscreen Red title")
    seen = ""
    for _ in range(4):  # a few pages of the list
        seen += tmux.capture()
        tmux.send_keys("PageDown")
    assert not forbidden(seen)
    assert "PWNED" not in seen
    assert "PWNED" not in tmux.pane_title()
    assert tmux.show_buffer() is None
    assert any(case.title and case.title[:30] in seen for case in cases)
    tmux.send_keys("q")
    assert tmux.wait_for_exit() == 0


def test_problems_screen_shows_hostile_file_names_literally(tmux: Tmux, tmp_path: Path) -> None:
    root = tmp_path / "library"
    cases = [
        c
        for c in write_hostile_corpus(root, heavy=False)
        if c.family == "markup" and c.expect == "skipped"
    ]
    assert len(cases) == 2  # a closing tag and a click action in a file name
    tmux.start([*READER, "--library", str(root)], cwd=REPO)
    tmux.wait_for("q Quit", "Clearscreen Red title")
    tmux.send_keys("P")
    # Long paths widen the first column, so the reasons may be off to the right.
    screen = tmux.wait_for("skipped or degraded", *(case.relpath for case in cases))
    assert not forbidden(screen)
    assert tmux.exit_status() is None, "the reader quit (a click action ran?)"
    tmux.send_keys("q")
    tmux.wait_for("q Quit", gone=["skipped or degraded"])
    tmux.send_keys("q")
    assert tmux.wait_for_exit() == 0


def test_hostile_case_names_exist() -> None:
    names = {case.name for case in hostile_cases(heavy=False)}
    assert set(OPENED) <= names

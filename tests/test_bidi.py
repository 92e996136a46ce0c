"""Right-to-left text: direction, display order, the bidi setting, and logical order
wherever text is searched, found, copied or piped."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Static

from reader.cli.render import print_document
from reader.library import Library
from reader.text.bidi import display, is_rtl, resolve_mode, terminal_reorders
from reader.tui.app import ReaderApp
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.widgets.body_layout import Paragraph
from reader.tui.widgets.script_text import ScriptText
from reader.userdata import UserData
from reader.userdata.config import Config, ConfigError, load_config
from tests.conftest import REPO
from tests.tui_helpers import make_app, screen_text, settle, visible_lines

PERSIAN = REPO / "tests" / "fixtures" / "persian"
KEY = "reading-in-many-languages"


def test_direction_of_paragraphs() -> None:
    assert is_rtl("سلام دنیا", "fa")
    assert is_rtl("GPU ها در مراکز داده", "fa")  # starts with Latin, still Persian
    assert not is_rtl("print('hello')", "fa")  # a code line in a Persian article
    assert is_rtl("שלום עולם, hi", "en")  # mostly Hebrew
    assert not is_rtl("The word שלום means peace.", "en")


@pytest.mark.parametrize(
    ("environ", "mode"),
    [
        ({"VTE_VERSION": "7600"}, "terminal"),  # GNOME Terminal
        ({"VTE_VERSION": "5202"}, "reader"),  # VTE before 0.58 had no bidi
        ({"KONSOLE_VERSION": "230800"}, "terminal"),
        ({"MLTERM": "3.9.3"}, "terminal"),
        ({"TERM_PROGRAM": "Apple_Terminal"}, "terminal"),
        ({"TERM_PROGRAM": "iTerm.app"}, "reader"),
        ({"TERM": "xterm-kitty"}, "reader"),
        ({}, "reader"),
    ],
)
def test_auto_tells_by_the_terminal(environ: dict[str, str], mode: str) -> None:
    assert resolve_mode("auto", environ) == mode
    assert terminal_reorders(environ) == (mode == "terminal")
    assert resolve_mode("reader", {"VTE_VERSION": "7600"}) == "reader"
    assert resolve_mode("terminal", {}) == "terminal"


def test_display_order_of_a_line() -> None:
    text = "این «نسخهٔ ۲» از (GPU) است"
    shown = display(text, True).line(0, len(text))
    # Read from the right: این first; numbers and Latin keep their own order;
    # brackets mirrored so that they still open towards what they enclose.
    assert shown.endswith("ﻦﯾﺍ")
    assert "(GPU)" in shown and "۲" in shown
    assert shown.index("(GPU)") < shown.index("۲")
    # Arabic letters in their joining forms (initial, medial, final).
    assert display("سلام", True).glyphs == "\ufeb3\ufee0\ufe8e\ufee1"


@given(
    st.lists(
        st.sampled_from(["שלום", "עולם", "GPU", "3.1", "(", ")", " ", ",", "ספר", "abc", "42"]),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_display_order_agrees_with_python_bidi(pieces: list[str], rtl: bool) -> None:
    """Our line order is python-bidi's, except that we also mirror brackets (rule L4,
    which python-bidi leaves out)."""
    import bidi

    text = "".join(pieces).strip() or "א"
    ours = display(text, rtl).line(0, len(text))
    theirs = str(bidi.get_display(text, base_dir="R" if rtl else "L")).rstrip()
    mirror = str.maketrans("()", ")(")
    levels = display(text, rtl).levels
    unmirrored = "".join(
        char.translate(mirror) if levels[index] % 2 else char
        for index, char in zip(display(text, rtl).order(0, len(text)), ours, strict=False)
    )
    assert unmirrored == theirs


def test_config_bidi(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text('bidi = "reader"\n', encoding="utf-8")
    assert load_config(config_dir).bidi == "reader"
    (config_dir / "config.toml").write_text('theme = "nord"\nbidi = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config_dir)
    assert str(error.value).endswith('line 2: bidi must be "terminal", "reader" or "auto"')
    assert Config().bidi == "auto"


def _app(config_dir: Path, bidi: str) -> ReaderApp:
    library = Library([PERSIAN], name="Persian")
    return ReaderApp(
        library,
        UserData(config_dir),
        config=Config(bidi=bidi),
        languages=("fa",),
        open_key=KEY,
    )


@pytest.mark.parametrize("bidi", ["terminal", "reader"])
async def test_persian_article_keeps_logical_order_for_find_and_copy(
    config_dir: Path, bidi: str
) -> None:
    app = _app(config_dir, bidi)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        text = screen_text(pilot)
        assert "<!--" not in text and "more" not in text and "ویراستار" not in text
        paragraphs = list(screen.query(Paragraph))
        first = paragraphs[0]
        assert isinstance(first.visual, ScriptText)
        assert str(first.render()).startswith("این مقاله")  # logical, whatever is shown
        # What the terminal gets: right-aligned; reordered only with bidi = "reader".
        strip = first.visual.render_strips(60, None, first.visual_style, _options(first))[0]
        assert strip.text.startswith(" ")
        assert ("ﻦﯾﺍ" in strip.text) == (bidi == "reader")
        assert ("این مقاله" in strip.text) == (bidi == "terminal")
        # Find works on the logical text.
        await pilot.press("slash", *"مقاله")
        await settle(pilot)
        assert screen.find.matches and screen.find.matches[0][0] == 0
        # Copying a selection gives logical text.
        from textual.geometry import Offset
        from textual.selection import Selection

        copied = first.get_selection(Selection.from_offsets(Offset(0, 0), Offset(9, 0)))
        assert copied is not None and copied[0] == "این مقاله"


def _options(widget: Static):  # type: ignore[no-untyped-def]
    from textual.visual import RenderOptions

    return RenderOptions(widget._get_style, widget.styles)


def test_reader_show_orders_for_the_terminal_and_keeps_pipes_logical(config_dir: Path) -> None:
    library = Library([PERSIAN])
    library.refresh()
    article = library.article(KEY)
    assert article is not None
    document = library.load(article.variants["fa"])
    for reorder in (False, True):
        console = Console(file=io.StringIO(), width=60, color_system=None, force_terminal=True)
        print_document(console, document, "fa", 60, reorder=reorder)
        lines = console.file.getvalue().split("\n")  # type: ignore[attr-defined]
        first = next(line for line in lines if "ﻦﯾﺍ" in line or "این" in line)
        assert first.startswith(" ") and cell_len(first) == 60  # aligned right
        assert ("ﻦﯾﺍ" in first) == reorder
    piped = subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(PERSIAN), "show", KEY, "--lang", "fa"],
        capture_output=True,
        text=True,
        env={"READER_CONFIG_DIR": str(config_dir), "PATH": "/usr/bin:/bin"},
        cwd=REPO,
        check=True,
    )
    assert "این مقاله نمونه‌ای کوتاه" in piped.stdout  # logical order, unshaped
    assert "<!--" not in piped.stdout and "ﻦﯾﺍ" not in piped.stdout


async def test_a_chinese_note_wraps_like_the_body(config_dir: Path) -> None:
    from reader.library import bundled_library_path
    from reader.tui.widgets.body_layout import NoteMark

    note = "这是一条很长的笔记，" * 12
    UserData(config_dir).notes.add("gpu-training-dilemma", "zh", note, paragraph=0, quote="")
    app = ReaderApp(
        Library([bundled_library_path()]),
        UserData(config_dir),
        languages=("zh",),
        open_key="gpu-training-dilemma",
    )
    async with app.run_test(size=(60, 40)) as pilot:
        await settle(pilot)
        mark = app.screen.query_one(NoteMark)
        assert isinstance(mark.visual, ScriptText)
        width = mark.content_region.width
        lines = [
            note_line
            for _, start, end in mark.visual.layout(width)
            for note_line in [mark.visual.plain[start:end].rstrip()]
        ]
        assert len(lines) > 2
        assert not any(line.startswith("，") for line in lines)


@pytest.mark.parametrize("bidi", ["terminal", "reader"])
async def test_a_right_to_left_title_in_the_library_is_drawn_like_the_body(
    config_dir: Path, bidi: str
) -> None:
    """The Library row of a Persian article: in display order, Arabic letters joined,
    where the reader reorders; in logical order where the terminal does."""
    title = "خواندن به چند زبان"
    app = make_app(PERSIAN, config_dir, languages=("fa",), config=Config(bidi=bidi))
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        rows = visible_lines(pilot, "#articles")
        shown = display(title, True).line(0, len(title))
        assert shown != title
        expected, other = (shown, title) if bidi == "reader" else (title, shown)
        assert any(expected in row for row in rows), rows
        assert not any(other in row for row in rows), rows

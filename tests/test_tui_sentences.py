"""The current sentence ( ) and ( ), its translation highlighted, the sentence pairs view
(v), and the place kept across a language switch, asserted on what the screen shows."""

from __future__ import annotations

from pathlib import Path

from textual.containers import Horizontal, Vertical
from textual.pilot import Pilot
from textual.widgets import Static

from reader.library import bundled_library_path
from reader.library.text_page import parse_text_page
from reader.text.sentences import split_sentences
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.widgets.body_layout import Paragraph
from tests.tui_helpers import make_app, screen_text, settle

GPU = "gpu-training-dilemma"


def sentences(root: Path, language: str, paragraph: int) -> list[str]:
    text = (root / f"{GPU}.{language}.txt").read_text(encoding="utf-8")
    return split_sentences(parse_text_page(text).blocks[paragraph].plain_text, language)


def squash(text: str) -> str:
    """Text without whitespace: wrapping turns spaces into line ends."""
    return "".join(text.split())


def highlighted(screen: ArticleScreen) -> list[tuple[Paragraph, str, list[int]]]:
    """Each paragraph with tinted text as drawn: the widget, the tinted text (without
    whitespace) and the screen rows it is drawn on."""
    found = []
    for widget in screen.query(Paragraph):
        if not widget.size.height:
            continue
        normal = widget.background_colors[1].rich_color
        text, rows = [], []
        for y in range(widget.size.height):
            line = [
                segment.text
                for segment in widget.render_line(y)
                if segment.style is not None
                and segment.style.bgcolor is not None
                and segment.style.bgcolor != normal
            ]
            if "".join(line).strip():
                text.append("".join(line))
                rows.append(widget.region.y + y)
        if text:
            found.append((widget, squash("".join(text)), rows))
    return found


def on_screen(screen: ArticleScreen, rows: list[int]) -> bool:
    body = screen.body.content_region
    return all(body.y <= row < body.bottom for row in rows)


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one("#article-status", Static).render())


async def press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await settle(pilot)


async def opened(pilot: Pilot[None]) -> ArticleScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def test_parentheses_move_the_sentence_across_paragraphs(config_dir: Path) -> None:
    root = bundled_library_path()
    app = make_app(root, config_dir, languages=("en",), open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert not highlighted(screen)  # nothing tinted until the first press
        await press(pilot, "right_parenthesis")
        [(widget, text, rows)] = highlighted(screen)
        assert (widget.index, text) == (0, squash(sentences(root, "en", 0)[0]))
        assert on_screen(screen, rows)
        assert "sentence 1/5" in status(screen)
        await press(pilot, *["right_parenthesis"] * 5)
        [(widget, text, rows)] = highlighted(screen)
        assert (widget.index, text) == (1, squash(sentences(root, "en", 1)[0]))
        assert "¶ 2/6" in status(screen) and "sentence 1/5" in status(screen)
        await press(pilot, "left_parenthesis")
        [(widget, text, rows)] = highlighted(screen)
        assert (widget.index, text) == (0, squash(sentences(root, "en", 0)[4]))
        assert "¶ 1/6" in status(screen) and "sentence 5/5" in status(screen)
        # Far down: the view follows, the last sentence stays the last.
        await press(pilot, *["right_parenthesis"] * 40)
        [(widget, text, rows)] = highlighted(screen)
        assert (widget.index, text) == (5, squash(sentences(root, "en", 5)[2]))
        assert on_screen(screen, rows)
        assert "¶ 6/6" in status(screen) and "sentence 3/3" in status(screen)


async def test_side_by_side_highlights_the_translation_too(config_dir: Path) -> None:
    root = bundled_library_path()
    app = make_app(root, config_dir, languages=("en", "zh"), open_key=GPU)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await opened(pilot)
        await press(pilot, "p", *["right_parenthesis"] * 7)
        tinted = {
            widget.has_class("right"): (widget.index, text, rows)
            for widget, text, rows in highlighted(screen)
        }
        assert tinted[False][:2] == (1, squash(sentences(root, "en", 1)[1]))
        assert tinted[True][:2] == (1, squash(sentences(root, "zh", 1)[1]))
        assert "Llama3.1" in tinted[True][1]
        assert on_screen(screen, tinted[False][2]) and on_screen(screen, tinted[True][2])


async def test_interleaved_view_scrolls_to_show_the_translation(config_dir: Path) -> None:
    """At 90 columns the translation comes after the paragraph: moving to the last
    sentence of a long paragraph scrolls so that its translation shows too."""
    root = bundled_library_path()
    app = make_app(root, config_dir, languages=("en", "zh"), open_key=GPU)
    async with app.run_test(size=(90, 24)) as pilot:
        screen = await opened(pilot)
        await press(pilot, "p", *["right_parenthesis"] * 20)
        assert (screen.current_paragraph, screen.current_sentence) == (3, 5)
        tinted = {
            widget.has_class("right"): (widget.index, text, rows)
            for widget, text, rows in highlighted(screen)
        }
        assert tinted[False][:2] == (3, squash(sentences(root, "en", 3)[5]))
        assert tinted[True][:2] == (3, squash(sentences(root, "zh", 3)[5]))
        assert on_screen(screen, tinted[False][2]) and on_screen(screen, tinted[True][2])


async def test_v_cycles_side_by_side_sentence_pairs_and_off(config_dir: Path) -> None:
    root = bundled_library_path()
    app = make_app(root, config_dir, languages=("en", "zh"), open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await press(pilot, "v")
        assert screen.parallel and not screen.sentence_mode
        assert "side by side: en | zh" in status(screen)
        await press(pilot, "v")
        assert "sentence pairs: en | zh" in status(screen)
        first = next(w for w in screen.query(Paragraph) if w.index == 0)
        lines = [first.render_line(y).text.strip() for y in range(first.size.height)]
        english, chinese = sentences(root, "en", 0), sentences(root, "zh", 0)
        # Each English sentence, then on the next line its Chinese translation.
        joined = "\n".join(lines)
        for number in range(5):
            end = joined.index(english[number].split()[-1])
            after = joined[end:].split("\n", 1)[1]
            assert after.startswith(chinese[number][:10])
        # The translation is dimmed: drawn in another colour than the sentence.
        colours = {
            segment.style.color
            for y in range(first.size.height)
            for segment in first.render_line(y)
            if segment.text.strip() and segment.style is not None
        }
        assert len(colours) >= 2
        await press(pilot, "right_parenthesis", "right_parenthesis")
        [(_widget, text, _rows)] = highlighted(screen)
        assert text == squash(english[1] + chinese[1])
        await press(pilot, "v")
        assert not screen.parallel and not screen.sentence_mode
        assert "sentence pairs" not in status(screen)
        assert not screen.query(".sentence-pairs")


async def test_sentence_survives_a_language_switch(config_dir: Path) -> None:
    root = bundled_library_path()
    app = make_app(root, config_dir, languages=("en",), open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await press(pilot, *["right_parenthesis"] * 7, "right_square_bracket")
        assert screen.language == "fr"
        [(widget, text, rows)] = highlighted(screen)
        assert (widget.index, text) == (1, squash(sentences(root, "fr", 1)[1]))
        assert "Llama3.1" in text and on_screen(screen, rows)
        assert "¶ 2/6" in status(screen) and "sentence 2/5" in status(screen)


def merge_japanese_paragraphs(root: Path) -> None:
    """The Japanese GPU article with its paragraphs 2 and 3 made one."""
    path = root / f"{GPU}.ja.txt"
    text = path.read_text(encoding="utf-8")
    blocks = parse_text_page(text).blocks
    second, third = blocks[1].plain_text, blocks[2].plain_text
    assert f"{second}\n\n{third}" in text
    path.write_text(text.replace(f"{second}\n\n{third}", second + third), encoding="utf-8")


async def test_switch_to_a_variant_with_merged_paragraphs(
    config_dir: Path, bundled_library: Path
) -> None:
    """German ¶3 sentence 2 -> Japanese ¶2 (German ¶2 and ¶3 merged) sentence 7."""
    merge_japanese_paragraphs(bundled_library)
    app = make_app(bundled_library, config_dir, languages=("de",), open_key=GPU)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await press(pilot, *["right_parenthesis"] * 12)
        assert (screen.current_paragraph, screen.current_sentence) == (2, 1)
        await press(pilot, "left_square_bracket")
        assert screen.language == "ja"
        [(widget, text, rows)] = highlighted(screen)
        expected = sentences(bundled_library_path(), "ja", 2)[1]
        assert (widget.index, text) == (1, squash(expected))
        assert on_screen(screen, rows)
        assert "¶ 2/5" in status(screen) and "sentence 7/9" in status(screen)
        # And back: the German sentence again.
        await press(pilot, "right_square_bracket")
        [(widget, text, rows)] = highlighted(screen)
        assert (widget.index, text) == (2, squash(sentences(bundled_library, "de", 2)[1]))


async def test_side_by_side_rows_follow_the_paragraph_alignment(
    config_dir: Path, bundled_library: Path
) -> None:
    merge_japanese_paragraphs(bundled_library)
    app = make_app(bundled_library, config_dir, languages=("de", "ja"), open_key=GPU)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await opened(pilot)
        await press(pilot, "p")
        assert screen.right_language == "ja"
        assert "rows follow the paragraph alignment" in screen_text(pilot)
        rows = list(screen.query(".pair").results(Horizontal))
        assert len(rows) == 5
        left_column, right_paragraph = rows[1].children
        assert isinstance(left_column, Vertical) and isinstance(right_paragraph, Paragraph)
        german = list(left_column.query(Paragraph))
        assert [widget.index for widget in german] == [1, 2]
        assert right_paragraph.index == 1
        assert german[0].region.y == right_paragraph.region.y
        assert german[1].region.y > german[0].region.y
        assert german[0].region.x < right_paragraph.region.x
        # Beside the merged paragraph, each German sentence finds its Japanese one.
        await press(pilot, *["right_parenthesis"] * 12)
        tinted = {w.has_class("right"): (w.index, text) for w, text, _rows in highlighted(screen)}
        assert tinted[True] == (1, squash(sentences(bundled_library_path(), "ja", 2)[1]))
        # J / K still step through every German paragraph.
        await press(pilot, "K")
        assert screen.current_paragraph == 1


def long_page(word: str, count: int, split: int | None = None) -> str:
    """A page of ``count`` paragraphs of three sentences (each ~180 characters); with
    ``split``, that paragraph is two (its first sentence alone)."""
    paragraphs = []
    for index in range(count):
        sentences = [
            f"{word} {index} part {part} " + " ".join(f"{word}{index}w{n}" for n in range(14)) + "."
            for part in range(3)
        ]
        if index == split:
            paragraphs += [sentences[0], " ".join(sentences[1:])]
        else:
            paragraphs.append(" ".join(sentences))
    return f"{word}\n\n" + "\n\n".join(paragraphs)


async def test_long_pages_are_aligned_in_the_worker_and_keep_the_sentence(
    config_dir: Path, tmp_path: Path
) -> None:
    """Two pages over 64 KiB (read, aligned and mapped in a worker): German ¶ 31
    sentence 3 -> English ¶ 32 (English split its ¶ 11 in two) sentence 3."""
    (tmp_path / "long.de.txt").write_text(long_page("Absatz", 200), encoding="utf-8")
    (tmp_path / "long.en.txt").write_text(long_page("Clause", 200, split=10), encoding="utf-8")
    assert (tmp_path / "long.de.txt").stat().st_size > 64 * 1024
    app = make_app(tmp_path, config_dir, languages=("de", "en"), open_key="long")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await opened(pilot)
        await press(
            pilot, *["J"] * 30, "right_parenthesis", "right_parenthesis", "right_parenthesis"
        )
        assert (screen.current_paragraph, screen.current_sentence) == (30, 2)
        await press(pilot, "p")
        tinted = {w.has_class("right"): (w.index, text) for w, text, _rows in highlighted(screen)}
        assert tinted[False][1].startswith("Absatz30part2")
        assert tinted[True] == (31, tinted[True][1])
        assert tinted[True][1].startswith("Clause30part2")
        await press(pilot, "p", "right_square_bracket")
        assert screen.language == "en"
        [(widget, text, rows)] = highlighted(screen)
        assert widget.index == 31 and text.startswith("Clause30part2")
        assert on_screen(screen, rows)
        assert "¶ 32/201" in status(screen) and "sentence 3/3" in status(screen)

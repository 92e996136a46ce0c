"""What line breaking by script costs: per screen of CJK text, and a resize in tmux.

    .venv/bin/python benchmarks/linebreak.py [--runs 9] [--before DIR] [--lang zh]

First the cost of wrapping: every paragraph of the bundled Chinese and Japanese
articles wrapped for a 120x40 terminal (a 116-column body), split into screens of 38
lines. "cold" finds the break opportunities (ICU) and fills lines; "new width" is a
resize: opportunities cached, lines filled again. uniseg is timed too if installed.

Then a resize in a real terminal: the reader opens the article in a private tmux at
120x40, the window is resized to 100 and back, and the time from the resize to the
changed screen is taken (capture-pane polling: a few ms of resolution). With
``--before DIR`` (a checkout without this change, e.g. ``git archive main``) both are
measured alternately, so that the machine's noise falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rich.cells import cell_len  # noqa: E402

from reader.library.text_page import parse_text_page  # noqa: E402
from reader.text import linebreak  # noqa: E402
from tests.tmux_driver import Tmux  # noqa: E402

LIBRARY = REPO / "assets" / "library"
ARTICLES = ("gpu-training-dilemma", "huang-zuckerberg-open-source")
BODY_WIDTH, ROWS = 116, 38


def paragraphs(language: str) -> list[str]:
    texts: list[str] = []
    for key in ARTICLES:
        document = parse_text_page((LIBRARY / f"{key}.{language}.txt").read_text("utf-8"))
        texts += [block.plain_text for block in document.blocks]
    return texts


def wrapping_cost(language: str, runs: int) -> None:
    texts = paragraphs(language)
    lines = sum(len(linebreak.wrap(text, BODY_WIDTH, language)) for text in texts)
    screens = lines / ROWS
    cold, warm = [], []
    for _ in range(runs):
        linebreak._units.cache_clear()
        start = time.perf_counter()
        for text in texts:
            linebreak.line_offsets(text, BODY_WIDTH, language)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:
            linebreak.line_offsets(text, BODY_WIDTH - 16, language)
        warm.append(time.perf_counter() - start)
    chars = sum(len(text) for text in texts)
    print(
        f"{language}: {chars} characters, {lines} lines = {screens:.1f} screens of {ROWS}; "
        f"per screen: cold {1000 * statistics.median(cold) / screens:.3f} ms, "
        f"new width {1000 * statistics.median(warm) / screens:.3f} ms"
    )
    try:
        import uniseg.linebreak  # type: ignore[import-not-found]
    except ImportError:
        return
    spent = 0.0
    for _ in range(2):  # the second pass: tables loaded
        start = time.perf_counter()
        for text in texts:
            list(uniseg.linebreak.line_break_units(text))
        spent = time.perf_counter() - start
    print(f"{language}: uniseg break opportunities alone: {1000 * spent / screens:.1f} ms/screen")


def resize_latency(checkouts: dict[str, Path], language: str, runs: int) -> None:
    samples: dict[str, list[float]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(runs + 1):
            for name, root in checkouts.items():
                config = Path(scratch) / f"config-{name}-{round_number}"
                command = [
                    sys.executable,
                    "-m",
                    "reader",
                    "--config-dir",
                    str(config),
                    "--library",
                    str(LIBRARY),
                    "--lang",
                    language,
                    "--open",
                    ARTICLES[0],
                ]
                env = {
                    **os.environ,
                    "READER_CACHE_DIR": str(config / "cache"),
                    "READER_DATA_DIR": str(config / "data"),
                }
                with Tmux(Path(scratch), width=120, height=40, env=env) as tmux:
                    tmux.start(command, cwd=root)
                    tmux.wait_for("¶ 1/", timeout=30)
                    time.sleep(0.5)
                    for width in (100, 120):
                        before = tmux.capture()
                        start = time.perf_counter()
                        tmux.run("resize-window", "-t", tmux.target, "-x", str(width))
                        while tmux.capture() == before:
                            if time.perf_counter() - start > 10:
                                raise TimeoutError("no repaint after a resize")
                        if round_number:  # the first round warms up
                            samples[name].append(1000 * (time.perf_counter() - start))
                        time.sleep(0.3)
    for name, values in samples.items():
        print(
            f"resize {language} ({name}): median {statistics.median(values):.1f} ms, "
            f"min {min(values):.1f}, max {max(values):.1f} (n={len(values)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", type=Path, help="a checkout without the change")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--no-resize", action="store_true")
    args = parser.parse_args()
    for language in ("zh", "ja"):
        wrapping_cost(language, args.runs)
    assert cell_len("中") == 2
    if not args.no_resize:
        checkouts = {"after": REPO}
        if args.before is not None:
            checkouts = {"before": args.before.resolve(), **checkouts}
        resize_latency(checkouts, args.lang, args.runs)


if __name__ == "__main__":
    main()

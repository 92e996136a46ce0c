"""CPU time of `)` (next sentence) against `j` (scroll), in process, per view.

    .venv/bin/python benchmarks/sentence_keys.py [--presses 40]

Opens the bundled GPU article (English, Chinese on the right) at 140x40 in Textual's
headless driver, then per view (one language, side by side, sentence pairs) presses the
key many times and prints the median and 90th percentile of the process's CPU time from
the key to the end of the frame it causes (pilot press + pause: handler, layout,
compositor). CPU time, unlike wall time on a shared machine, hardly depends on what
else runs; `j` is the yardstick (about 7 ms key->paint in tmux on an idle machine).
The key->paint wall time in a real terminal is measured with
``../shared/tools/tui_latency.py`` (see docs/DESIGN.md, "Sentences and alignment").
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.library import bundled_library_path  # noqa: E402
from tests.tui_helpers import make_app, settle  # noqa: E402

VIEWS = {"one language": (), "side by side": ("p",), "sentence pairs": ("v", "v")}


async def measure(view_keys: tuple[str, ...], key: str, presses: int) -> list[float]:
    with tempfile.TemporaryDirectory() as config:
        app = make_app(
            bundled_library_path(),
            Path(config),
            languages=("en", "zh"),
            open_key="gpu-training-dilemma",
        )
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            for view_key in view_keys:
                await pilot.press(view_key)
            await settle(pilot)
            await pilot.press("right_parenthesis")  # the sentence shows; segmenter loaded
            await settle(pilot)
            samples = []
            for number in range(presses):
                # j and k alternate so that the view never reaches the end.
                pressed = key if key != "j" else ("j" if number % 2 == 0 else "k")
                start = time.process_time()
                await pilot.press(pressed)
                await pilot.pause()
                samples.append((time.process_time() - start) * 1000)
            return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=40)
    presses = parser.parse_args().presses
    print(f"{'view':16} {'key':4} {'median ms':>10} {'p90 ms':>8}")
    for view, keys in VIEWS.items():
        for key in ("right_parenthesis", "j"):
            samples = sorted(asyncio.run(measure(keys, key, presses)))
            shown = ")" if key == "right_parenthesis" else key
            p90 = samples[int(len(samples) * 0.9)]
            print(f"{view:16} {shown:4} {statistics.median(samples):10.1f} {p90:8.1f}")


if __name__ == "__main__":
    main()

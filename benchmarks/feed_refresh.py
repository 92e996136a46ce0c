"""Time `reader feeds refresh` on a loopback feed of 20 entries, each in 5 languages.

    .venv/bin/python benchmarks/feed_refresh.py [--entries 20] [--runs 3]

Serves the tests' multilingual site (tests/web_site.py, tests/feed_site.py) on
127.0.0.1, follows its RSS feed in a fresh config and data directory, then runs
``reader feeds refresh`` twice as a command: the first imports every entry with its
variants (entries x 5 pages fetched, extracted and written), the second must fetch
nothing but the feed (a 304). Prints the wall time of each (median of ``--runs``), the
files written and the pages fetched by the second refresh. Issue 10's target: the first
refresh of 20 entries in at most 10 s, the second importing nothing. CPU seconds are
printed too: on a machine busy with other work they say more than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.feed_site import Entry, article_title, publish_article, rss, serve_feed  # noqa: E402
from tests.web_site import WebSite  # noqa: E402

CPU: list[float] = []
"""CPU seconds (user + system) of each refresh, which other load on the machine does not
stretch the way it stretches wall time."""


def _reader(env: dict[str, str], *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader", *args], env=env, capture_output=True, text=True, cwd=REPO
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if args[:2] == ("feeds", "refresh"):
        CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, done


def one_run(site: WebSite, url: str) -> tuple[float, float, int, int]:
    """First and second refresh times, files written, article pages fetched the second time."""
    with tempfile.TemporaryDirectory(prefix="feed-bench-") as scratch:
        env = dict(os.environ)
        for name in ("CONFIG", "DATA", "CACHE"):
            env[f"READER_{name}_DIR"] = str(Path(scratch) / name.lower())
        _, added = _reader(env, "feeds", "add", url)
        assert added.returncode == 0, added.stderr
        first, done = _reader(env, "feeds", "refresh", "--json")
        assert done.returncode == 0, done.stderr
        files = len(list((Path(scratch) / "data" / "library").rglob("*.md")))
        site.requests.clear()
        second, done = _reader(env, "feeds", "refresh", "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)[0]["status"] == "not_modified", done.stdout
        pages = sum(1 for path in site.requests if path.startswith("/news/"))
        return first, second, files, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with WebSite() as site:
        entries = [
            Entry(article_title(n), publish_article(site, n), guid=f"urn:bench:{n}")
            for n in range(args.entries, 0, -1)
        ]
        url = serve_feed(site, "/feed.xml", rss("Bench News", entries), etag='"bench"')
        results = [one_run(site, url) for _ in range(args.runs)]
    firsts = [r[0] for r in results]
    cpu_first, cpu_second = CPU[0::2], CPU[1::2]
    seconds = [r[1] for r in results]
    print(f"feed of {args.entries} entries x 5 languages, {args.runs} runs")
    print(
        f"first refresh:  median {statistics.median(firsts):.2f} s "
        f"(min {min(firsts):.2f}, max {max(firsts):.2f}); {results[0][2]} files written; "
        f"CPU {statistics.median(cpu_first):.2f} s"
    )
    print(
        f"second refresh: median {statistics.median(seconds):.2f} s "
        f"(CPU {statistics.median(cpu_second):.2f} s); "
        f"article pages fetched: {max(r[3] for r in results)} (304 on the feed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile timing for the worker pool of a cold refresh: it always finishes, the same.

Each run is a real ``reader`` process on a library of 3,000 pages whose chunks cost
very different amounts (two directories of large pages at the ends of the walk, and
pages that a worker sleeps on through ``READER_TEST_PARSE_DELAY``), indexed cold.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.library.index_text import read_texts
from reader.library.pool import AHEAD, CRASHED, WorkerPool

#: Pages in the uneven library.
FILES = 3000

#: Words the pages are made of (each page's words follow from its number).
WORDS = [
    "river",
    "stone",
    "light",
    "paper",
    "north",
    "quiet",
    "window",
    "garden",
    "lantern",
    "harbour",
    "meadow",
    "copper",
    "thunder",
    "violet",
    "orchard",
    "marble",
    "canyon",
    "feather",
    "silver",
    "bridge",
]


def _text(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * i) % len(WORDS)] for i in range(count))


def make_uneven_library(root: Path, heavy_kib: int = 12) -> None:
    """3,000 pages; 100 are large and full of markup, in two runs of 50 (a chunk each).

    ``a-heavy/`` opens the walk and ``m-14/heavy…`` sits in its middle, each with more
    than a window of small chunks after it; 2,900 small plain pages fill the rest.
    Every 97th small page is named ``slow…`` (tests make a worker sleep on it).
    """
    paragraph = " ".join(
        f"*{word}*" if i % 5 == 0 else f"[{word}](https://example.org/{i})" if i % 7 == 0 else word
        for i, word in enumerate(_text(1, 60).split())
    )
    heavy = (paragraph + ".\n\n") * (heavy_kib * 1024 // (len(paragraph) + 3))
    heavy_paths = [f"a-heavy/page{n:03d}.md" for n in range(50)]
    heavy_paths += [f"m-14/heavy{n:03d}.md" for n in range(50)]
    for number, relative in enumerate(heavy_paths):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Heavy {number}\n\n{heavy}", encoding="utf-8")
    for number in range(2900):
        name = f"slow{number:04d}" if number % 97 == 0 else f"page{number:04d}"
        path = root / f"m-{number // 100:02d}" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = f"{_text(number, 12)}.\n\n{_text(number + 1, 20)}.\n"
        path.write_text(f"# Page {number}\n\n{body}", encoding="utf-8")


# --- running the reader -------------------------------------------------------------------

#: Cold runs per case: a few in ``make test``, 20 in ``make stress``.
ROUNDS = int(os.environ.get("READER_STRESS_ROUNDS", "1"))
#: Seconds one cold index may take before the test calls it hung (a run takes a few).
RUN_TIMEOUT = 60
#: Large pages are parsed for real, and a worker sleeps a little on every ``slow`` page.
UNEVEN = {"READER_TEST_PARSE_DELAY": "0.02:/slow"}


@dataclass
class Started:
    """A reader process that is running, where its output goes, and when it must end."""

    process: subprocess.Popen[bytes]
    out: Path
    err: Path
    deadline: float


@dataclass
class Run:
    """A finished reader process."""

    code: int
    out: str
    err: str


class Reader:
    """Runs ``reader`` on the uneven library in a subprocess, each run with its own cache."""

    def __init__(self, library: Path, home: Path) -> None:
        self.library = library
        self.home = home
        self.runs = 0
        self.started = 0
        home.mkdir(parents=True, exist_ok=True)

    def env(self, cache: Path, extra: dict[str, str]) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("READER_", "XDG_"))
        }
        env.update(
            HOME=str(self.home),
            READER_CONFIG_DIR=str(self.home / "config"),
            READER_CACHE_DIR=str(cache),
            PYTHONFAULTHANDLER="1",  # a hung run shows every thread's stack
        )
        env.update(extra)
        return env

    def fresh_cache(self) -> Path:
        self.runs += 1
        return self.home / f"cache-{self.runs}"

    def start(self, args: list[str], cache: Path, **extra: str) -> Started:
        """Start a run; its output goes to files, so it never waits for this process."""
        self.started += 1
        output = self.home / f"output-{self.started}"
        output.mkdir(parents=True, exist_ok=True)
        out, err = output / "stdout", output / "stderr"
        with out.open("wb") as out_file, err.open("wb") as err_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "reader", "--library", str(self.library), *args],
                stdout=out_file,
                stderr=err_file,
                env=self.env(cache, extra),
                cwd=self.home,  # not the checkout, whose reader/ would come before PYTHONPATH
                start_new_session=True,  # its own process group: workers are ended with it
            )
        return Started(process, out, err, time.monotonic() + RUN_TIMEOUT)

    def finish(self, started: Started, what: str) -> Run:
        """Wait for a run; one that does not end in time fails the test with its stacks."""
        process = started.process
        hung = False
        try:
            process.wait(timeout=max(0.0, started.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            hung = True
            os.kill(process.pid, signal.SIGABRT)  # faulthandler prints the stacks
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # a worker it left behind
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        out = started.out.read_text(encoding="utf-8", errors="replace")
        err = started.err.read_text(encoding="utf-8", errors="replace")
        if hung:
            pytest.fail(f"{what} did not finish in {RUN_TIMEOUT} s:\n{err[-6000:]}")
        return Run(process.returncode, out, err)

    def run(self, args: list[str], cache: Path, **extra: str) -> Run:
        return self.finish(self.start(args, cache, **extra), f"reader {' '.join(args)}")


def catalog_contents(cache: Path) -> tuple[object, ...]:
    """What a cold index stored: every variant, every paragraph, every problem."""
    (path,) = cache.glob("catalog-*.sqlite")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        variants = conn.execute(
            "SELECT relpath, path_key, article_key, language, title, paragraphs, size"
            " FROM variants ORDER BY relpath"
        ).fetchall()
        paragraphs = [
            (relpath, len(texts), sum(map(len, texts)))
            for relpath, vid in conn.execute("SELECT relpath, id FROM variants ORDER BY relpath")
            for texts in [read_texts(conn, vid) or []]
        ]
        problems = conn.execute("SELECT path, reason FROM problems ORDER BY seq").fetchall()
    return variants, paragraphs, problems


@dataclass
class Expected:
    """The library as read without workers: the listing and the catalog."""

    listing: str
    contents: tuple[object, ...]


@pytest.fixture(scope="module")
def uneven(tmp_path_factory: pytest.TempPathFactory) -> tuple[Reader, Expected]:
    """The uneven library, a reader for it, and what reading it in one process gives."""
    base = tmp_path_factory.mktemp("uneven")
    make_uneven_library(base / "library")
    reader = Reader(base / "library", base / "home")
    cache = reader.fresh_cache()
    run = reader.run(["list", "--json"], cache, READER_WORKERS="0")
    assert run.code == 0, run.err
    assert len(json.loads(run.out)) == FILES
    expected = Expected(run.out, catalog_contents(cache))
    assert expected.contents[2] == []  # no problems
    return reader, expected


@pytest.fixture
def busy_cpu() -> Iterator[None]:
    """Another process burning a CPU for the length of the test."""
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        burner.kill()
        burner.wait()


def _cold_runs(reader: Reader, expected: Expected, workers: int) -> None:
    for round_ in range(ROUNDS):
        cache = reader.fresh_cache()
        run = reader.run(["list", "--json"], cache, READER_WORKERS=str(workers), **UNEVEN)
        assert run.code == 0, f"round {round_}: {run.err}"
        assert run.out == expected.listing, f"round {round_}: another listing"
        assert catalog_contents(cache) == expected.contents, f"round {round_}: another catalog"


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_cold_index_of_uneven_chunks_finishes_the_same(
    uneven: tuple[Reader, Expected], workers: int
) -> None:
    reader, expected = uneven
    _cold_runs(reader, expected, workers)


#: Worker counts run against a busy CPU: the most oversubscribed in ``make test`` (the
#: burner takes one of two cores for the whole run), every count in ``make stress``.
BUSY_WORKERS = [1, 2, 4] if ROUNDS > 1 else [4]


@pytest.mark.parametrize("workers", BUSY_WORKERS)
def test_cold_index_finishes_the_same_while_a_cpu_is_busy(
    uneven: tuple[Reader, Expected], workers: int, busy_cpu: None
) -> None:
    reader, expected = uneven
    _cold_runs(reader, expected, workers)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_a_worker_killed_mid_chunk_loses_no_file(uneven: tuple[Reader, Expected]) -> None:
    reader, expected = uneven
    for round_ in range(ROUNDS):
        cache = reader.fresh_cache()
        started = reader.start(["list", "--json"], cache, READER_WORKERS="2", **UNEVEN)
        killed: list[int] = []
        seen: set[int] = set()
        # A worker that has parsed for a while is in the middle of a chunk: kill it, then
        # the next one that gets as far (up to two kills a run); watch to the end.
        while started.process.poll() is None and time.monotonic() < started.deadline:
            for child in _children(started.process.pid):
                seen.add(child)
                if len(killed) < 2 and child not in killed and _cpu_seconds(child) >= 0.25:
                    with suppress(ProcessLookupError):
                        os.kill(child, signal.SIGKILL)
                        killed.append(child)
                    break
            time.sleep(0.01)
        run = reader.finish(started, "reader list --json (workers killed)")
        assert killed, "no worker got far enough to be killed"
        assert run.code == 0, f"round {round_}: {run.err}"
        assert run.out == expected.listing, f"round {round_}: another listing"
        assert catalog_contents(cache) == expected.contents, f"round {round_}: another catalog"
        assert len(seen) > 2  # the killed workers were replaced


def test_a_parse_that_never_returns_is_reported_and_skipped(
    uneven: tuple[Reader, Expected],
) -> None:
    reader, expected = uneven
    stalled = "m-07/page0712.md"
    for round_ in range(max(1, ROUNDS // 4)):
        cache = reader.fresh_cache()
        run = reader.run(
            ["list", "--json"],
            cache,
            READER_WORKERS="2",
            READER_PARSE_DEADLINE="3",
            READER_TEST_PARSE_DELAY=f"100000:{stalled};0.02:/slow",
        )
        assert run.code == 0, f"round {round_}: {run.err}"
        listing = json.loads(run.out)
        assert [
            article for article in json.loads(expected.listing) if article["key"] != stalled[:-3]
        ] == listing
        problems = reader.run(["problems", "--json"], cache)
        assert problems.code == 0, problems.err
        assert json.loads(problems.out) == [
            {"path": stalled, "reason": "parse timed out", "kind": "parse_failed", "skipped": True}
        ]


# --- the pool on its own ------------------------------------------------------------------


def echo_job(items: list[int], crash_on: int) -> list[int]:
    """A worker's job for the tests below: a little sleep on every 7th item, ``-item``."""
    results = []
    for item in items:
        if item == crash_on:
            os._exit(3)  # a parse that takes its process down
        if item % 7 == 0:
            time.sleep(0.01)
        results.append(-item)
    return results


def _pool(crash_on: int = -1) -> WorkerPool[int, object]:
    return WorkerPool(2, f"{__name__}:echo_job", (crash_on,), lambda item, why: (item, why))


def test_pool_keeps_order_and_at_most_a_window_of_results() -> None:
    chunks = [list(range(start, start + 5)) for start in range(0, 400, 5)]
    pool = _pool()
    held: list[int] = []
    try:
        results = []
        for chunk in pool.map(chunks, [[1] * 5] * len(chunks)):
            held.append(len(pool._results))
            results.extend(chunk)
            if len(results) % 35 == 0:
                time.sleep(0.05)  # a slow caller: the workers must not run away
    finally:
        pool.close()
    assert results == [-item for item in range(400)]
    assert max(held) <= AHEAD


def test_pool_gives_up_on_an_item_that_crashes_its_worker_twice() -> None:
    chunks = [list(range(start, start + 5)) for start in range(0, 60, 5)]
    pool = _pool(crash_on=23)
    try:
        results = [result for chunk in pool.map(chunks, [[1] * 5] * 12) for result in chunk]
    finally:
        pool.close()
    assert results == [(23, CRASHED) if item == 23 else -item for item in range(60)]

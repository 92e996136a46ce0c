"""Benchmark the reader on a big synthetic library and compare every figure with its target.

    python benchmarks/run.py [--articles 20000] [--languages en,de,ru,zh,el] [--runs 7]
                             [--vocabulary zipf|random|both] [--cold-runs N]
                             [--keep DIR] [--skip-tui] [--json FILE]

Steps (README.md explains each figure):

1. generate the library (``generate.py``) into a temporary directory, or reuse ``--keep DIR``
   (``--vocabulary both``: a second library of random words too, ``DIR-random``);
2. cold ``reader index`` with an empty cache (time, MB/s, peak memory, catalog size),
   then warm refreshes of the unchanged library; with two libraries their cold indexes
   alternate (``--cold-runs`` rounds) and the random one is compared with the other;
3. in-process ``Library.search`` latency per script (``search_latency.py``);
4. the whole ``reader search QUERY`` command against ``reader --version``;
5. the TUI in tmux through ``tui_latency.py`` (first paint against a bare Textual app,
   key-to-paint of ``enter``, ``]`` and ``j``, peak memory; the bundled library too);
6. a Markdown table of every figure with its target, PASS or MISS.

Any Python 3.11+ runs this script; the reader itself runs with the project's venv
(``--python``, default ``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generate import (
    DEFAULT_LANGUAGES,
    DEFAULT_SEED,
    MANIFEST,
    Manifest,
    describe,
    generate_library,
    parse_languages,
    read_manifest,
)
from measure import Measured, run_measured
from queries import SCRIPTS, queries_for

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
DEFAULT_TOOL = REPO.parent / "shared" / "tools" / "tui_latency.py"

# Targets from the issue "Search every language, and a 100,000-variant library that
# opens instantly" (upper bounds).
COLD_INDEX_S = 30.0
FIRST_PAINT_RATIO = 1.3
SEARCH_P50_MS = 15.0
SEARCH_P95_MS = 50.0
SEARCH_COMMAND_RATIO = 2.0
ENTER_MS = 50.0
LANGUAGE_KEY_MS = 50.0
SCROLL_KEY_MS = 17.0
TUI_MEMORY_MIB = 150.0
BUNDLED_PAINT_RATIO = 1.15
# Issue 11: a library of random words (nearly every word and bigram distinct) indexes in
# at most 1.3x the time of the Zipf-like one, into a catalog under 2x its size.
RANDOM_INDEX_RATIO = 1.3
CATALOG_RATIO = 2.0

#: Files modified less than this before the catalog reads them are read again by the
#: next refresh (``reader.library.catalog_refresh.RACY_NS``); the cold index waits this long
#: after generating, so that the warm refresh measures a refresh with nothing to read.
RACY_SECONDS = 2.1
#: Warm refreshes timed (median reported).
WARM_REFRESHES = 3
#: Bundled article title the bundled-library TUI case waits for (with ``--lang de``).
BUNDLED_MARKER = "GPU-Trainingsdilemma"


# --- figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the final table.

    Attributes:
        name: What was measured.
        value: The figure (``None``: not measured, see ``note``).
        unit: Its unit, for display.
        target: Upper bound from the issue (``None``: informational).
        note: Context (counts, medians of the parts, why it is missing).
        digits: Decimals shown.
    """

    name: str
    value: float | None
    unit: str = ""
    target: float | None = None
    note: str = ""
    digits: int = 1

    @property
    def status(self) -> str:
        """``PASS``, ``MISS``, ``n/a`` (not measured) or ``-`` (no target)."""
        if self.value is None:
            return "n/a" if self.target is not None else "-"
        if self.target is None:
            return "-"
        return "PASS" if self.value <= self.target else "MISS"

    def shown(self, value: float | None) -> str:
        """``value`` with this figure's unit and decimals."""
        if value is None:
            return "-"
        unit = self.unit
        if unit == "x":
            return f"{value:.2f}x"
        return f"{value:,.{self.digits}f} {unit}".rstrip()


@dataclass
class Report:
    """Every figure, in the order measured, plus facts about the run."""

    figures: list[Figure] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        """Append ``figure`` and print it as it comes in."""
        self.figures.append(figure)
        target = f" (target <= {figure.shown(figure.target)})" if figure.target else ""
        note = f"  [{figure.note}]" if figure.note else ""
        print(f"  {figure.name}: {figure.shown(figure.value)}{target}{note}", flush=True)
        return figure

    def fail(self, message: str) -> None:
        """Record something that went wrong (printed again under the table)."""
        self.failures.append(message)
        print(f"  ! {message}", file=sys.stderr, flush=True)

    def table(self) -> str:
        """The Markdown table of every figure."""
        lines = ["| figure | value | target | result | notes |", "|---|---:|---:|:---:|---|"]
        for figure in self.figures:
            target = f"<= {figure.shown(figure.target)}" if figure.target is not None else ""
            note = figure.note.replace("|", "\\|")
            lines.append(
                f"| {figure.name} | {figure.shown(figure.value)} | {target} "
                f"| {figure.status} | {note} |"
            )
        return "\n".join(lines)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.5 = median of an odd count, 0.95 = p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: Iterable[float]) -> float | None:
    """The median, or ``None`` for no values."""
    items = list(values)
    return statistics.median(items) if items else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or ``None`` if either is missing or zero."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def step(title: str) -> None:
    """Print a phase heading."""
    print(f"\n== {title}", flush=True)


# --- the environment -----------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """Paths and commands shared by the phases.

    Attributes:
        python: The reader's interpreter.
        reader: The ``reader`` command (console script, else ``python -m reader``).
        library: The library directory.
        manifest: What the generator says about it.
        work: Scratch directory (removed at the end).
        cache: ``READER_CACHE_DIR`` (empty before the cold index, warm afterwards).
        config: ``READER_CONFIG_DIR`` for the plain commands (empty).
        runs: Repetitions for medians.
        vocabulary: ``zipf`` or ``random`` (how the library was generated).
    """

    python: Path
    reader: tuple[str, ...]
    library: Path
    manifest: Manifest
    work: Path
    cache: Path
    config: Path
    runs: int
    vocabulary: str = "zipf"

    @property
    def label(self) -> str:
        """What figures of this library add to their names (nothing for the default)."""
        return ", random vocabulary" if self.vocabulary == "random" else ""

    def env(self, config: Path | None = None) -> dict[str, str]:
        """This process's environment without ``PYTHON*`` variables, plus the reader's dirs."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["READER_CACHE_DIR"] = str(self.cache)
        env["READER_CONFIG_DIR"] = str(config or self.config)
        return env

    @property
    def language(self) -> str:
        """The language the TUI is started in (the first generated one)."""
        return self.manifest.languages[0]


def library_size(library: Path) -> tuple[int, int, float]:
    """(page files, their bytes, newest mtime) under ``library``, dot files skipped."""
    files = size = 0
    newest = 0.0
    for directory, subdirectories, names in os.walk(library):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        for name in names:
            if name.startswith(".") or not name.endswith((".md", ".markdown", ".txt")):
                continue
            info = os.stat(os.path.join(directory, name))
            files += 1
            size += info.st_size
            newest = max(newest, info.st_mtime)
    return files, size, newest


def prepare_library(
    args: argparse.Namespace, work: Path, vocabulary: str = "zipf"
) -> tuple[Path, Manifest]:
    """Generate the library, or reuse ``--keep DIR`` when it holds one already.

    The random-word library of ``--vocabulary both`` goes into ``DIR-random``.
    """
    languages = parse_languages(args.languages)
    suffix = "-random" if vocabulary == "random" and args.vocabulary == "both" else ""
    if args.keep is not None:
        library = Path(str(Path(args.keep).resolve()) + suffix)
        manifest = read_manifest(library) if library.is_dir() else None
        if manifest is not None and manifest.vocabulary == vocabulary:
            if manifest.articles != args.articles or manifest.languages != languages:
                print(
                    f"  reusing {library}: {manifest.articles} articles in "
                    f"{','.join(manifest.languages)} (not the {args.articles} asked for)"
                )
            else:
                print(f"  reusing {library}")
            return library, manifest
        if library.exists() and any(library.iterdir()):
            raise SystemExit(
                f"run.py: --keep {library} is not empty and has no {MANIFEST} of a "
                f"{vocabulary} library"
            )
    else:
        library = work / f"library{suffix}"
    manifest = generate_library(
        library, args.articles, languages, args.seed, vocabulary_kind=vocabulary
    )
    print(f"  {describe(manifest, library)}")
    return library, manifest


# --- phases --------------------------------------------------------------------------------


_REPORT_LINE = re.compile(
    r"(?P<files>\d+) files: (?P<new>\d+) new, (?P<changed>\d+) changed, "
    r"(?P<removed>\d+) removed, (?P<unchanged>\d+) unchanged"
)
_PROBLEMS_LINE = re.compile(r"^(?P<count>\d+) problems?", re.MULTILINE)


def _parse_index(output: str) -> dict[str, int]:
    found = _REPORT_LINE.search(output)
    counts = {key: int(value) for key, value in found.groupdict().items()} if found else {}
    problems = _PROBLEMS_LINE.search(output)
    if problems:
        counts["problems"] = int(problems.group("count"))
    return counts


def _directory_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def _cold_index(setup: Setup, report: Report) -> tuple[Measured, int] | None:
    """One cold ``reader index`` into an emptied cache: the run and the catalog's bytes."""
    shutil.rmtree(setup.cache, ignore_errors=True)
    setup.cache.mkdir()
    command = [*setup.reader, "--library", str(setup.library), "index", "--quiet"]
    print(f"  $ {shlex.join(command)}", flush=True)
    cold = run_measured(command, setup.env())
    if cold.returncode != 0:
        report.fail(f"cold index failed ({cold.returncode}): {cold.stderr.strip()[-2000:]}")
        return None
    print(f"  {cold.seconds:.1f} s; " + cold.stdout.strip().replace("\n", "\n  "), flush=True)
    return cold, _directory_bytes(setup.cache)


def index_phase(setups: list[Setup], report: Report, rounds: int = 1) -> bool:
    """Cold indexes into empty caches, then warm refreshes; ``False`` if indexing failed.

    With two libraries (``--vocabulary both``) their cold indexes alternate, ``rounds``
    times, so that both meet the same load of this shared machine; the figures are
    medians, and the random library's time is compared with the default one's.
    """
    newest = max(library_size(setup.library)[2] for setup in setups)
    wait = newest + RACY_SECONDS - time.time()
    if wait > 0:  # let the files age, or the warm refresh would read them all again
        time.sleep(wait)
    runs: dict[str, list[tuple[Measured, int]]] = {setup.vocabulary: [] for setup in setups}
    for _ in range(max(1, rounds)):
        for setup in setups:
            done = _cold_index(setup, report)
            if done is None:
                return False
            runs[setup.vocabulary].append(done)
    seconds: dict[str, float] = {}
    for setup in setups:
        if not _index_figures(setup, report, runs[setup.vocabulary]):
            return False
        seconds[setup.vocabulary] = median(cold.seconds for cold, _ in runs[setup.vocabulary]) or 0
    if len(setups) == 2:
        report.add(
            Figure(
                "cold index, random vocabulary / default",
                ratio(seconds["random"], seconds["zipf"]),
                "x",
                RANDOM_INDEX_RATIO,
                f"{seconds['random']:.1f} s / {seconds['zipf']:.1f} s, "
                f"{len(runs['zipf'])} alternating round(s)",
            )
        )
    return True


def _index_figures(setup: Setup, report: Report, runs: list[tuple[Measured, int]]) -> bool:
    """The figures of one library's cold indexes (the cache holds the last one), and its
    warm refreshes."""
    label = setup.label
    files, size, _ = library_size(setup.library)
    cold, catalog = runs[-1]
    counts = _parse_index(cold.stdout)
    report.facts[f"cold_index_output{label}"] = cold.stdout.strip()
    seconds = median(run.seconds for run, _ in runs) or cold.seconds
    spread = f"; {len(runs)} runs, {min(r.seconds for r, _ in runs):.1f}-" if len(runs) > 1 else ""
    spread += f"{max(r.seconds for r, _ in runs):.1f} s, median" if len(runs) > 1 else ""
    mb = size / 1e6
    report.add(
        Figure(
            f"cold index (`reader index`, empty cache){label}",
            seconds,
            "s",
            None if label else COLD_INDEX_S,
            f"{files:,} files, {mb:.1f} MB{spread}",
        )
    )
    report.add(Figure(f"cold index throughput{label}", mb / seconds, "MB/s"))
    report.add(
        Figure(
            f"cold index peak memory, largest process{label}",
            cold.maxrss_mib,
            "MiB",
            note="ru_maxrss from wait4 (getrusage children)",
            digits=0,
        )
    )
    report.add(
        Figure(
            f"cold index peak memory, all processes{label}",
            cold.tree_mib,
            "MiB",
            note="sum of VmHWM over the session (reader + workers)",
            digits=0,
        )
    )
    report.add(
        Figure(
            f"catalog size on disk{label}",
            catalog / 1e6,
            "MB",
            note=f"{catalog / max(1, size):.2f}x the library",
        )
    )
    report.add(
        Figure(
            f"catalog / library{label}",
            catalog / max(1, size),
            "x",
            CATALOG_RATIO,
            "the cache directory after the cold index / the page files",
        )
    )
    if counts.get("problems"):
        report.fail(f"the index reported {counts['problems']} problems (reader problems)")
    if counts and counts.get("files") != files:
        report.fail(f"the index saw {counts.get('files')} files, the library has {files}")

    command = [*setup.reader, "--library", str(setup.library), "index", "--quiet"]
    warm: list[Measured] = []
    for _ in range(WARM_REFRESHES):
        warm.append(run_measured(command, setup.env(), sample_tree=False))
    reread = [_parse_index(run.stdout) for run in warm]
    changed = max((c.get("new", 0) + c.get("changed", 0) for c in reread), default=0)
    note = f"median of {len(warm)}; " + (
        "no file read again" if changed == 0 else f"{changed} files read again (racy mtimes?)"
    )
    report.add(
        Figure(
            f"warm refresh (`reader index`, nothing changed){label}",
            median(w.seconds for w in warm),
            "s",
            note=note,
            digits=2,
        )
    )
    if any(run.returncode for run in warm):
        report.fail("a warm refresh failed: " + warm[-1].stderr.strip()[-500:])
    return True


def search_phase(setup: Setup, report: Report) -> None:
    """In-process ``Library.search`` latency, overall and per script, plus the checks."""
    manifest = setup.manifest
    reps = max(3, setup.runs)
    rare = json.dumps({"words": manifest.rare_words, "articles": manifest.rare_articles})
    command = [
        str(setup.python),
        str(BENCHMARKS / "search_latency.py"),
        "--library",
        str(setup.library),
        "--cache-dir",
        str(setup.cache),
        "--languages",
        ",".join(manifest.languages),
        "--reps",
        str(reps),
        "--rare",
        rare,
    ]
    if manifest.samples:
        command += ["--samples", json.dumps(manifest.samples, ensure_ascii=False)]
    if setup.vocabulary == "random":
        command.append("--random")
    label = setup.label
    done = subprocess.run(command, capture_output=True, text=True, env=setup.env(), check=False)
    if done.returncode != 0:
        report.fail(f"search_latency.py failed: {done.stderr.strip()[-2000:]}")
        return
    result: dict[str, Any] = json.loads(done.stdout)
    report.facts[f"search{label}"] = result
    samples: list[dict[str, Any]] = result["samples"]
    every = [ms for sample in samples for ms in sample["ms"]]
    if not every:
        report.fail(f"queries.py has no query in {', '.join(manifest.languages)}")
        return
    count = len(samples)
    report.add(
        Figure(
            f"search p50 (`Library.search`, in-process){label}",
            percentile(every, 0.5),
            "ms",
            SEARCH_P50_MS,
            f"{count} queries x {reps} rounds, limit {result['limit']}",
            digits=2,
        )
    )
    report.add(Figure(f"search p95{label}", percentile(every, 0.95), "ms", SEARCH_P95_MS, digits=2))
    for script in SCRIPTS:
        own = [sample for sample in samples if sample["script"] == script]
        if not own:
            continue
        times = [ms for sample in own for ms in sample["ms"]]
        slowest = max(own, key=lambda sample: median(sample["ms"]) or 0.0)
        report.add(
            Figure(
                f"search p50 / p95, {script}{label}",
                percentile(times, 0.5),
                "ms",
                SEARCH_P50_MS,
                f"p95 {percentile(times, 0.95):.2f} ms; slowest {slowest['query']!r} "
                f"{median(slowest['ms']):.2f} ms",
                digits=2,
            )
        )
    report.add(
        Figure(
            f"first search (opens the catalog){label}",
            result["first_ms"],
            "ms",
            note=f"Library + Catalog.for_roots {result['open_ms']:.1f} ms before it",
        )
    )
    empty = [sample["query"] for sample in samples if not sample.get("hits")]
    if empty:  # not a failure: a small library may lack a word or phrase
        print(f"  note: no hits for {', '.join(empty)}")
    for check in result["checks"]:
        if not check["ok"]:
            report.fail(
                f"search check failed: {check['check']}: expected {check['expected']}, "
                f"found {check['found']}"
            )
    passed = sum(1 for check in result["checks"] if check["ok"])
    print(f"  search checks: {passed}/{len(result['checks'])} passed")


def command_phase(setup: Setup, report: Report) -> None:
    """``reader search QUERY`` against ``reader --version``, warm cache, medians."""
    queries = queries_for(setup.manifest.languages)
    query = queries[0].text if queries else setup.manifest.rare_words[setup.language]
    search = [*setup.reader, "--library", str(setup.library), "search", query]
    version = [*setup.reader, "--version"]
    runs = max(5, setup.runs)
    times: dict[str, list[float]] = {"search": [], "version": []}
    for index in range(runs + 1):  # the first round warms the page cache, unmeasured
        for name, command in (("version", version), ("search", search)):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, env=setup.env(), check=False)
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                report.fail(f"{shlex.join(command)} failed: {done.stderr.decode()[-500:]}")
                return
            if index:
                times[name].append(elapsed * 1e3)
    search_ms, version_ms = median(times["search"]), median(times["version"])
    report.add(Figure(f"`reader search {query}`", search_ms, "ms", note=f"median of {runs}"))
    report.add(Figure("`reader --version`", version_ms, "ms", note=f"median of {runs}"))
    report.add(
        Figure(
            "reader search / reader --version",
            ratio(search_ms, version_ms),
            "x",
            SEARCH_COMMAND_RATIO,
        )
    )


# --- the TUI ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TuiCase:
    """One ``--case`` (and optional ``--keys``) of ``tui_latency.py``."""

    name: str
    command: str
    until: str
    keys: str | None = None
    key_until: str | None = None


def tui_cases(setup: Setup) -> list[TuiCase]:
    """The cases: the bare app, the reader in four ways, and the bundled library."""
    q = shlex.quote
    python = q(str(setup.python))
    language = setup.language
    newest = setup.manifest.newest
    title, body = newest.titles[language], newest.markers[language]

    def reader(case: str, *extra: str, reset_state: bool = False) -> str:
        config = setup.work / f"config-{case}"
        config.mkdir(exist_ok=True)
        env = f"env READER_CONFIG_DIR={q(str(config))} READER_CACHE_DIR={q(str(setup.cache))}"
        command = f"{env} {python} -m reader {' '.join(q(arg) for arg in extra)}"
        if reset_state:  # the article screen saves the last language and position
            return f"rm -f {q(str(config / 'state.toml'))}; exec {command}"
        return command

    library = ("--library", str(setup.library), "--lang", language)
    opened = (*library, "--open", newest.key)
    return [
        TuiCase("bare", f"{python} {q(str(BENCHMARKS / 'bare_app.py'))}", "READY"),
        TuiCase("reader", reader("reader", *library), title, "j", "@change"),
        TuiCase("enter", reader("enter", *library, reset_state=True), title, "Enter", body),
        TuiCase("language", reader("language", *opened, reset_state=True), body, "]", "@change"),
        TuiCase("scroll", reader("scroll", *opened, reset_state=True), body, "j", "@change"),
        TuiCase("bundled", reader("bundled", "--lang", "de"), BUNDLED_MARKER),
    ]


def _run_tool(
    tool: Path, cases: list[TuiCase], runs: int, timeout: float, output: Path
) -> tuple[int, str, str]:
    argv = [sys.executable, str(tool), "-n", str(runs), "--warmup", "1", "--attrs", "-q"]
    argv += ["--timeout", str(timeout), "--json", str(output)]
    for case in cases:
        argv += ["--case", case.name, case.command, case.until]
        if case.keys is not None and case.key_until is not None:
            argv += ["--keys", case.name, case.keys, case.key_until]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def run_tui_tool(
    setup: Setup, report: Report, tool: Path, timeout: float, cases: list[TuiCase], output: Path
) -> dict[str, list[dict[str, Any]]]:
    """Run the cases, interleaved; a case that never reaches its condition is reported
    and dropped."""
    while True:
        print(f"  tui_latency.py: {', '.join(case.name for case in cases)}", flush=True)
        code, stdout, stderr = _run_tool(tool, cases, setup.runs, timeout, output)
        if code == 0:
            print("  " + stdout.strip().replace("\n", "\n  "))
            data: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
            results: dict[str, list[dict[str, Any]]] = data["results"]
            return results
        failed = re.search(r"^\[(?P<name>[^\]]+)\] ", stderr, re.MULTILINE)
        name = failed.group("name") if failed else None
        report.fail(f"tui_latency.py failed (exit {code}): {stderr.strip()[-3000:]}")
        if name is None or name == "bare" or len(cases) <= 2:
            return {}
        cases = [case for case in cases if case.name != name]


def tui_phase(setup: Setup, report: Report, tool: Path, timeout: float) -> None:
    """First paint, key-to-paint and memory of the TUI, through ``tui_latency.py``."""
    if not tool.is_file():
        report.fail(
            f"tui_latency.py not found at {tool} (expected ../shared/tools/ next to the "
            "repository; pass --tui-tool PATH or --skip-tui)"
        )
        return
    if shutil.which("tmux") is None:
        report.fail("tmux is not installed (apt-get install tmux); the TUI was not measured")
        return
    config = setup.work / "config-bundled"
    config.mkdir(exist_ok=True)
    warmed = subprocess.run(
        [*setup.reader, "index", "--quiet"],
        capture_output=True,
        text=True,
        env=setup.env(config),
        check=False,
    )
    if warmed.returncode != 0:
        report.fail(f"indexing the bundled library failed: {warmed.stderr.strip()}")
    cases = tui_cases(setup)
    # The bundled library is compared with a bare app run alongside it, alone: in one
    # round of every case it would follow a reader holding 100,000 variants, which
    # slowed whatever came next by ~4 % (the bare app, first in a round, follows the
    # light bundled case), so the ratio measured the order of the cases too.
    bundled_cases = [case for case in cases if case.name in ("bare", "bundled")]
    results = run_tui_tool(
        setup,
        report,
        tool,
        timeout,
        [case for case in cases if case.name != "bundled"],
        setup.work / "tui.json",
    )
    small = run_tui_tool(setup, report, tool, timeout, bundled_cases, setup.work / "tui-2.json")

    def values(case: str, key: str) -> list[float]:
        return [run[key] for run in results.get(case, []) if run.get(key) is not None]

    def keys(case: str) -> list[float]:
        return [ms for run in results.get(case, []) for ms in run.get("key_ms", [])]

    def missing(case: str) -> str:
        return "" if case in results else "not measured (see the errors below)"

    bare = median(values("bare", "paint_ms"))
    paint = median(values("reader", "paint_ms"))
    ink = median(values("reader", "ink_ms"))
    title = setup.manifest.newest.titles[setup.language]
    report.add(Figure("bare Textual app first paint", bare, "ms", note=missing("bare")))
    report.add(
        Figure(
            "reader first paint (warm cache, list drawn)",
            paint,
            "ms",
            note=missing("reader")
            or f"until the newest title {title!r}; first ink {ink or 0:.0f} ms",
        )
    )
    report.add(Figure("reader first paint / bare", ratio(paint, bare), "x", FIRST_PAINT_RATIO))
    opened = median(values("language", "paint_ms"))
    report.add(
        Figure(
            "reader --open KEY first paint (article shown)",
            opened,
            "ms",
            note=missing("language") or f"{ratio(opened, bare) or 0:.2f}x bare",
        )
    )
    for name, case, target, how in (
        ("`enter` (open the newest article)", "enter", ENTER_MS, "first article of the process"),
        ("`]` (next language)", "language", LANGUAGE_KEY_MS, "3 presses per run"),
        ("`j` in the Library list (cursor)", "reader", SCROLL_KEY_MS, "3 presses per run"),
        ("`j` in an article (scroll)", "scroll", SCROLL_KEY_MS, "3 presses per run"),
    ):
        times = keys(case)
        spread = f"; {min(times):.0f}-{max(times):.0f} ms" if times else ""
        report.add(Figure(name, median(times), "ms", target, missing(case) or how + spread))
    memory = {
        case: mib
        for case in ("reader", "enter", "language", "scroll")
        if (mib := median(values(case, "rss_mib"))) is not None
    }
    worst = max(memory, key=lambda case: memory[case]) if memory else None
    report.add(
        Figure(
            "TUI peak memory",
            memory[worst] if worst else None,
            "MiB",
            TUI_MEMORY_MIB,
            f"case {worst!r}, the largest (sum of VmHWM)" if worst else "not measured",
            digits=0,
        )
    )
    bundled = median([run["paint_ms"] for run in small.get("bundled", []) if run.get("paint_ms")])
    bare_alongside = median(
        [run["paint_ms"] for run in small.get("bare", []) if run.get("paint_ms")]
    )
    report.add(
        Figure(
            "bare Textual app first paint, alongside the bundled library",
            bare_alongside,
            "ms",
            note="" if "bare" in small else "not measured (see the errors below)",
        )
    )
    report.add(
        Figure(
            "bundled library first paint / bare",
            ratio(bundled, bare_alongside),
            "x",
            BUNDLED_PAINT_RATIO,
            f"{bundled:.0f} ms until {BUNDLED_MARKER!r}"
            if bundled is not None
            else "not measured (see the errors below)",
        )
    )


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20000, metavar="N", help="(20000)")
    parser.add_argument(
        "--languages", default=",".join(DEFAULT_LANGUAGES), metavar="TAGS", help="(en,de,ru,zh,el)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help="(1)")
    parser.add_argument("--runs", type=int, default=7, metavar="N", help="runs per median (7)")
    parser.add_argument(
        "--keep", metavar="DIR", help="generate the library here and keep it; reuse it if it exists"
    )
    parser.add_argument(
        "--vocabulary",
        choices=("zipf", "random", "both"),
        default="zipf",
        help="zipf: word lists (default); random: words of random letters (the worst case "
        "for the index); both: the two, cold indexes alternating, random compared with zipf",
    )
    parser.add_argument(
        "--cold-runs",
        type=int,
        default=1,
        metavar="N",
        help="cold indexes per library, median (1; with both, alternating)",
    )
    parser.add_argument("--skip-tui", action="store_true", help="no tmux measurements")
    parser.add_argument(
        "--python", type=Path, default=REPO / ".venv" / "bin" / "python", help="the reader's python"
    )
    parser.add_argument("--tui-tool", type=Path, default=DEFAULT_TOOL, metavar="PATH")
    parser.add_argument(
        "--tui-timeout", type=float, default=30.0, metavar="S", help="seconds per TUI wait (30)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every phase and print the table; exit 1 if something could not be measured."""
    args = parse_args(argv)
    if args.runs < 1 or args.articles < 1:
        raise SystemExit("run.py: --runs and --articles must be at least 1")
    python = args.python.absolute()
    if not python.exists():
        raise SystemExit(f"run.py: no interpreter at {python} (make the venv, or pass --python)")
    script = python.parent / "reader"
    reader = (str(script),) if script.exists() else (str(python), "-m", "reader")
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as scratch:
        work = Path(scratch)
        step("library")
        kinds = ["zipf", "random"] if args.vocabulary == "both" else [args.vocabulary]
        setups: list[Setup] = []
        for kind in kinds:
            library, manifest = prepare_library(args, work, kind)
            suffix = "-random" if kind == "random" and len(kinds) == 2 else ""
            setups.append(
                Setup(
                    python=python,
                    reader=reader,
                    library=library,
                    manifest=manifest,
                    work=work,
                    cache=work / f"cache{suffix}",
                    config=work / "config",
                    runs=args.runs,
                    vocabulary=kind,
                )
            )
        # The commands and the TUI are measured on the first library only.
        setup = setups[0]
        library, manifest = setup.library, setup.manifest
        for each in setups:
            each.cache.mkdir(exist_ok=True)
        setup.config.mkdir()
        report.facts.update(
            library=str(library),
            articles=manifest.articles,
            languages=manifest.languages,
            variants=manifest.files,
            library_mb=round(manifest.bytes / 1e6, 1),
            cores=os.cpu_count(),
            runs=args.runs,
            vocabulary=args.vocabulary,
        )
        if len(setups) == 2:
            random_manifest = setups[1].manifest
            report.facts.update(
                library_random=str(setups[1].library),
                library_random_mb=round(random_manifest.bytes / 1e6, 1),
            )
        phases: list[tuple[str, Callable[[], object]]] = [
            (
                "cold index and warm refresh",
                lambda: index_phase(setups, report, args.cold_runs),
            ),
        ]
        phases += [
            (
                f"search latency (in-process){each.label}",
                lambda each=each: search_phase(each, report),
            )
            for each in setups
        ]
        phases.append(("reader search vs reader --version", lambda: command_phase(setup, report)))
        if not args.skip_tui:
            phases.append(
                ("TUI (tmux)", lambda: tui_phase(setup, report, args.tui_tool, args.tui_timeout))
            )
        for title, phase in phases:
            step(title)
            if phase() is False:
                break
    load = os.getloadavg()
    libraries = " + ".join(
        f"{each.manifest.bytes / 1e6:.1f} MB ({each.vocabulary})" for each in setups
    )
    print(
        f"\n## Benchmark: {manifest.articles:,} articles x {len(manifest.languages)} languages "
        f"= {manifest.files:,} variants, {libraries} "
        f"({os.cpu_count()} cores, {args.runs} runs, load {load[0]:.2f}, "
        f"{time.perf_counter() - started:.0f} s)\n"
    )
    print(report.table())
    if report.failures:
        print("\nProblems:")
        for failure in report.failures:
            print(f"- {failure}")
    if args.json is not None:
        data = {
            "facts": report.facts,
            "figures": [asdict(f) | {"status": f.status} for f in report.figures],
            "failures": report.failures,
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

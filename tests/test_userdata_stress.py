"""Several processes at once, and processes killed mid-write: nothing confirmed is ever lost.

Each test here takes a few seconds; together they stay well under 20 s on two cores.
``READER_STRESS_ROUNDS`` above 1 (``make stress``) doubles the changes each writer makes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import IO

from reader.userdata import Bookmarks, Notes

REPO = Path(__file__).resolve().parent.parent
#: Changes each of the two writers makes to the shared file: every change re-reads and
#: rewrites the whole file, so the cost grows with the square of this.
CHANGES = 200 if int(os.environ.get("READER_STRESS_ROUNDS", "1")) > 1 else 100

WORKER = """
import sys
from pathlib import Path
from reader.userdata import Bookmarks, Notes

kind, path, worker, changes = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print("ready", flush=True)
sys.stdin.readline()  # start together
if kind == "notes":
    notes = Notes(path)
    for i in range(changes):
        notes.add(f"article-{worker}.md", "en", f"worker {worker} note {i}", i)
else:
    bookmarks = Bookmarks(path)
    for i in range(changes):
        bookmarks.add("shared.md", "en", worker * 1000 + i, f"worker {worker}")
print("done", flush=True)
"""

# Reads a notes file path per line; forks a writer that adds notes until it is killed,
# reports its pid, waits for it and reports how it ended. Forking from an interpreter
# that has already imported the package makes each victim cost ~1 ms, not ~60 ms.
FORKER = """
import os, sys
from pathlib import Path
from reader.userdata import Notes

def say(line):
    os.write(1, (line + "\\n").encode())

for line in sys.stdin:
    path = Path(line.strip())
    pid = os.fork()
    if pid == 0:
        try:
            notes = Notes(path)
            n = 0
            while True:
                note = notes.add("victim.md", "en", f"note {n}", n, "quote " * 5)
                say("ok " + note.id)
                n += 1
        except BaseException as error:
            say("error " + repr(error))
        os._exit(3)
    say(f"pid {pid}")
    _, status = os.waitpid(pid, 0)
    say(f"done {status}")
"""


def python(code: str, *args: str) -> subprocess.Popen[bytes]:
    """Start a child Python running ``code`` against this checkout."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def read_line(stream: IO[bytes] | None) -> str:
    assert stream is not None
    line = stream.readline().decode()
    assert line, "the child process ended unexpectedly"
    return line.strip()


def run_two_workers(kind: str, path: Path) -> None:
    """Run two processes that each make CHANGES changes to the same file at the same time."""
    workers = [python(WORKER, kind, str(path), str(worker), str(CHANGES)) for worker in (1, 2)]
    try:
        for worker in workers:
            assert read_line(worker.stdout) == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write(b"go\n")
            worker.stdin.flush()
        for worker in workers:
            assert read_line(worker.stdout) == "done"
            assert worker.wait(timeout=60) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
            for stream in (worker.stdin, worker.stdout):
                if stream is not None:
                    stream.close()


def test_two_processes_adding_notes_lose_nothing(config_dir: Path) -> None:
    path = config_dir / "notes.toml"
    run_two_workers("notes", path)
    stored = tomllib.loads(path.read_text("utf-8"))["note"]
    assert len(stored) == 2 * CHANGES
    assert len({note["id"] for note in stored}) == 2 * CHANGES
    assert {note["text"] for note in stored} == {
        f"worker {worker} note {i}" for worker in (1, 2) for i in range(CHANGES)
    }
    assert len(Notes(path).all()) == 2 * CHANGES


def test_two_processes_adding_bookmarks_lose_nothing(config_dir: Path) -> None:
    path = config_dir / "bookmarks.toml"
    run_two_workers("bookmarks", path)
    stored = tomllib.loads(path.read_text("utf-8"))["bookmark"]
    assert sorted(b["paragraph"] for b in stored) == sorted(
        worker * 1000 + i for worker in (1, 2) for i in range(CHANGES)
    )
    assert len(Bookmarks(path).all()) == 2 * CHANGES


KILLS = 200
KILLS_PER_FILE = 20  # a fresh file now and then keeps each write small and the test fast
MAX_DELAY = 0.040  # seconds before SIGKILL; writes take 1-5 ms, so most kills land mid-loop


def test_writers_killed_at_random_never_corrupt_or_lose_confirmed_notes(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    forker = python(FORKER)
    assert forker.stdin is not None
    confirmed: dict[Path, set[str]] = {}
    kills_on: dict[Path, int] = {}
    try:
        for kill in range(KILLS):
            path = tmp_path / f"round-{kill // KILLS_PER_FILE}" / "notes.toml"
            confirmed.setdefault(path, set())
            kills_on[path] = kills_on.get(path, 0) + 1
            forker.stdin.write(f"{path}\n".encode())
            forker.stdin.flush()

            lines = []
            while not (line := read_line(forker.stdout)).startswith("pid "):
                lines.append(line)
            time.sleep(rng.uniform(0, MAX_DELAY))
            os.kill(int(line.split()[1]), signal.SIGKILL)
            while not (line := read_line(forker.stdout)).startswith("done "):
                lines.append(line)
            status = int(line.split()[1])

            assert [x for x in lines if not x.startswith("ok ")] == []
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            confirmed[path].update(x.split()[1] for x in lines)
            if not path.exists():
                assert not confirmed[path]
                continue
            stored = tomllib.loads(path.read_text("utf-8")).get("note", [])
            ids = [note["id"] for note in stored]
            assert len(ids) == len(set(ids))
            assert confirmed[path] <= set(ids), "a confirmed note was lost"
            # at most one unconfirmed note per kill: the one being written when it came
            assert len(ids) <= len(confirmed[path]) + kills_on[path]
    finally:
        forker.stdin.close()
        try:
            forker.wait(timeout=10)
        finally:
            if forker.poll() is None:
                forker.kill()
                forker.wait()
            if forker.stdout is not None:
                forker.stdout.close()

    assert sum(kills_on.values()) == KILLS
    for path, kept in confirmed.items():
        if not path.exists():
            continue
        notes = Notes(path)
        assert notes.error is None
        assert kept <= {note.id for note in notes.all()}
        notes.add("after.md", "en", "the next write tidies up")
        leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []

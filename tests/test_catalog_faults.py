"""Faults of the catalog cache survived (issue 11, item 4): a killed index, a damaged or
unwritable catalog, a full disk, several writers at once.

What the user keeps is checked as the user would: ``reader list --json`` lists every
article, nothing prints a traceback, and the user's own files are byte for byte what
they were. ``READER_STRESS_ROUNDS`` (``make stress``: 20) sets how many rounds the
randomised tests run; ``make test`` runs a few.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.library.catalog import BUSY_TIMEOUT
from reader.library.catalog_file import catalog_path

REPO = Path(__file__).resolve().parent.parent
READER = [sys.executable, "-m", "reader"]


def stress_rounds(default: int) -> int:
    """How many rounds a randomised test runs: ``READER_STRESS_ROUNDS``, else ``default``."""
    value = os.environ.get("READER_STRESS_ROUNDS", "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def write_library(root: Path, articles: int, *, seed: int = 7) -> set[str]:
    """A library of ``articles`` articles in three languages (Markdown and plain text);
    returns their keys."""
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"]
    keys: set[str] = set()
    for number in range(articles):
        key = f"part-{number % 7}/article-{number:04d}"
        keys.add(key)
        folder = root / f"part-{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        for language in ("en", "de", "fr"):
            body = "\n\n".join(
                " ".join(rng.choice(words) for _ in range(rng.randint(20, 80)))
                for _ in range(rng.randint(3, 12))
            )
            text = f"Article {number} in {language}\n\n{body}\n"
            (folder / f"article-{number:04d}.{language}.txt").write_text(text, encoding="utf-8")
    return keys


def reader_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        READER_CONFIG_DIR=str(tmp_path / "config"),
        READER_CACHE_DIR=str(tmp_path / "cache"),
        LANG="C.UTF-8",
    )
    return env


def run_reader(
    env: dict[str, str], *args: str, timeout: float = 60, file_size_limit: int = 0
) -> subprocess.CompletedProcess[str]:
    """Run ``reader ARGS``; if it hangs, fail with the stacks of its threads.

    ``file_size_limit``: no file the reader writes may grow past this many bytes
    (``RLIMIT_FSIZE``: a write beyond it fails as on a full disk).
    """

    def limit() -> None:
        if file_size_limit:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    process = subprocess.Popen(
        [*READER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env={**env, "PYTHONFAULTHANDLER": "1"},
        cwd=REPO,
        preexec_fn=limit,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
        _, stderr = process.communicate()
        pytest.fail(f"reader {' '.join(args)} hung for {timeout} s:\n{stderr}")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def listed_keys(env: dict[str, str], library: Path) -> set[str]:
    """``reader list --json``'s keys; it must succeed without a traceback."""
    result = run_reader(env, "--library", str(library), "list", "--json")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return {entry["key"] for entry in json.loads(result.stdout)}


def tagged_processes(tag: str) -> list[int]:
    """Processes whose environment holds ``READER_TEST_TAG=tag`` (a reader and the
    worker processes it started, which inherit its environment)."""
    found = []
    needle = f"READER_TEST_TAG={tag}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue  # gone, or not ours
            if needle in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def wait_until_gone(tag: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while (left := tagged_processes(tag)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"processes left behind: {left}"


def test_reader_list_after_kill_9_of_reader_index_at_random_moments(tmp_path: Path) -> None:
    """In `make stress` the cold rounds read 2,100 pages, enough for worker processes
    (a kill leaves them without their parent, and they must go too); `make test` reads
    900 in the reader itself (the pool's own tests kill workers mid-chunk)."""
    library = tmp_path / "library"
    keys = write_library(library, 700 if stress_rounds(0) >= 20 else 300)
    env = reader_env(tmp_path)
    tag = f"{os.getpid()}-{time.monotonic_ns()}"
    env["READER_TEST_TAG"] = tag
    index = [*READER, "--library", str(library), "index", "--quiet"]
    # How long an index takes here, so that the kills land all through it.
    started = time.monotonic()
    assert run_reader(env, "--library", str(library), "index", "--quiet").returncode == 0
    duration = time.monotonic() - started
    catalogs = list((tmp_path / "cache").glob("*.sqlite"))
    assert len(catalogs) == 1
    rng = random.Random(20261204)
    rounds = stress_rounds(5)
    killed = 0
    for round_number in range(rounds):
        if round_number % 2 == 0:
            # A cold index (no catalog yet) half the time, a refresh of changed files
            # the other half.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{catalogs[0]}{suffix}").unlink(missing_ok=True)
        else:
            for page in rng.sample(sorted(library.rglob("*.txt")), 200):
                page.write_text(page.read_text(encoding="utf-8") + "\n\nchanged\n")
        delay = rng.uniform(0.0, duration)
        process = subprocess.Popen(
            index,
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)  # not an assertion's wait: where the kill lands is the test
        killed += process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert process.stderr is not None
        assert b"Traceback" not in process.stderr.read()
        process.stderr.close()
        wait_until_gone(tag)  # the killed index's workers end when their input does
        assert listed_keys(env, library) == keys, f"round {round_number}, kill after {delay:.3f} s"
        assert tagged_processes(tag) == []
    # The kills landed while the index ran (not all after it had finished).
    assert killed >= rounds // 2


# --- a damaged or unusable catalog file, a full disk -------------------------------------

root_ignores_permissions = [
    pytest.mark.permissions,
    pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories"),
]


def make_user_data(env: dict[str, str]) -> dict[str, bytes]:
    """Bookmarks, notes and reading state, written as the reader writes them (through
    its own store, in this process: faster than three runs of the command); their bytes."""
    from reader.userdata import UserData

    config = Path(env["READER_CONFIG_DIR"])
    userdata = UserData(config)
    userdata.bookmarks.add("part-1/article-0001", "de", 2, "Article 1 in de")
    userdata.notes.add("part-2/article-0002", "en", "Eine Notiz ✓", paragraph=1, quote="alpha")
    userdata.state.set_position("part-3/article-0003", "fr", 2)
    return user_files(config)


def user_files(config: Path) -> dict[str, bytes]:
    return {name: (config / name).read_bytes() for name in USER_FILES}


USER_FILES = ("bookmarks.toml", "notes.toml", "state.toml")


def damage(kind: str, catalog: Path) -> None:
    """Do to the catalog file (or its directory) what ``kind`` says."""
    for suffix in ("-wal", "-shm"):
        Path(f"{catalog}{suffix}").unlink(missing_ok=True)
    if kind == "random bytes":
        catalog.write_bytes(random.Random(5).randbytes(catalog.stat().st_size))
    elif kind == "truncated":
        with catalog.open("r+b") as file:
            file.truncate(catalog.stat().st_size // 3)
    elif kind == "a directory":
        catalog.unlink()
        catalog.mkdir()
        (catalog / "something").write_text("not the reader's\n")
    elif kind == "read-only cache directory":
        catalog.unlink()
        catalog.parent.chmod(0o555)
    elif kind == "cache directory without write permission, catalog present":
        catalog.parent.chmod(0o555)
    else:
        raise AssertionError(kind)


def check_reads_and_tells(
    env: dict[str, str],
    library: Path,
    keys: set[str],
    expected: str,
    *,
    rebuilt: bool = False,
    limit: int = 0,
) -> None:
    """`reader list`, `show` and `search` work, and each says ``expected`` once (one
    line on stderr); once the catalog was ``rebuilt`` only the first one says it."""
    commands = (
        ("list", "--json"),
        ("show", "part-4/article-0004", "--lang", "en"),
        ("search", "article"),
    )
    for number, args in enumerate(commands):
        result = run_reader(env, "--library", str(library), *args, file_size_limit=limit)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        told = [line for line in result.stderr.splitlines() if "catalog cache" in line]
        if rebuilt and number > 0:
            assert told == [], result.stderr
        else:
            assert len(told) == 1 and expected in told[0], result.stderr
        if args[0] == "list":
            assert {entry["key"] for entry in json.loads(result.stdout)} == keys
        elif args[0] == "show":
            assert "Article 4 in en" in result.stdout
        else:
            assert "article-" in result.stdout


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("random bytes", "was damaged (file is not a database); rebuilt it"),
        ("truncated", "was damaged (database disk image is malformed); rebuilt it"),
        ("a directory", "(is a directory); reading the library into memory"),
        pytest.param(
            "read-only cache directory",
            "(permission denied); reading the library into memory",
            marks=root_ignores_permissions,
        ),
        pytest.param(
            "cache directory without write permission, catalog present",
            "(attempt to write a readonly database); reading the library into memory",
            marks=root_ignores_permissions,
        ),
    ],
)
def test_a_damaged_or_unusable_catalog_still_lists_and_reads_and_says_so_once(
    tmp_path: Path, kind: str, expected: str
) -> None:
    library = tmp_path / "library"
    keys = write_library(library, 40)
    env = reader_env(tmp_path)
    before = make_user_data(env)
    assert run_reader(env, "--library", str(library), "index").returncode == 0
    (catalog,) = (tmp_path / "cache").glob("*.sqlite")
    damage(kind, catalog)
    try:
        rebuilt = expected.endswith("rebuilt it")
        check_reads_and_tells(
            env, library, keys, f"catalog cache {catalog} {expected}", rebuilt=rebuilt
        )
        assert user_files(tmp_path / "config") == before
    finally:
        catalog.parent.chmod(0o755)


def test_reader_index_says_when_the_catalog_cannot_be_saved(tmp_path: Path) -> None:
    library = tmp_path / "library"
    write_library(library, 5)
    env = reader_env(tmp_path)
    assert run_reader(env, "--library", str(library), "index").returncode == 0
    (catalog,) = (tmp_path / "cache").glob("*.sqlite")
    damage("a directory", catalog)
    result = run_reader(env, "--library", str(library), "index")
    assert result.returncode == 1
    assert "5 articles, 15 variants" in result.stdout
    assert result.stderr == (
        f"reader: cannot use the catalog cache {catalog} (is a directory);"
        " reading the library into memory\n"
    )


def test_a_file_size_limit_like_a_full_disk_still_lists_and_reads_and_keeps_user_data(
    tmp_path: Path,
) -> None:
    """A child whose files may not grow past 64 KiB (``RLIMIT_FSIZE``): every write of
    the catalog fails as on a full disk."""
    library = tmp_path / "library"
    keys = write_library(library, 40)
    env = reader_env(tmp_path)
    before = make_user_data(env)
    assert not (tmp_path / "cache").exists()  # a cold start: the catalog has to be written
    limit = 64 * 1024
    expected = (
        "(cannot be written: disk I/O error; files may not grow past 65536 bytes here"
        " (ulimit -f)); reading the library into memory"
    )
    check_reads_and_tells(env, library, keys, expected, limit=limit)
    result = run_reader(env, "--library", str(library), "index", file_size_limit=limit)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert user_files(tmp_path / "config") == before
    # Without the limit the next run builds the catalog as if nothing had happened.
    result = run_reader(env, "--library", str(library), "list", "--json")
    assert result.returncode == 0 and result.stderr == ""
    assert {entry["key"] for entry in json.loads(result.stdout)} == keys
    # A refresh of changed pages that cannot be written keeps the catalog it had.
    (catalog,) = (tmp_path / "cache").glob("*.sqlite")
    for page in sorted(library.rglob("*.en.txt"))[:30]:
        page.write_text(page.read_text(encoding="utf-8") + "\n\nchanged " * 400)
    result = run_reader(env, "--library", str(library), "list", "--json", file_size_limit=limit)
    assert result.returncode == 0 and expected in result.stderr
    assert {entry["key"] for entry in json.loads(result.stdout)} == keys
    with sqlite3.connect(catalog) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    result = run_reader(env, "--library", str(library), "list", "--json")
    assert result.returncode == 0 and result.stderr == ""
    assert {entry["key"] for entry in json.loads(result.stdout)} == keys
    assert user_files(tmp_path / "config") == before


def test_a_refresh_waits_its_turn_while_another_process_writes_for_long(tmp_path: Path) -> None:
    """Another writer holds the catalog's write lock for longer than SQLite's busy
    timeout (a long batch of another `reader index`): `reader list` waits, then writes."""
    library = tmp_path / "library"
    keys = write_library(library, 20)
    env = reader_env(tmp_path)
    assert run_reader(env, "--library", str(library), "index").returncode == 0
    (catalog,) = (tmp_path / "cache").glob("*.sqlite")
    for page in sorted(library.rglob("*.fr.txt"))[:5]:
        page.write_text(page.read_text(encoding="utf-8") + "\n\nchanged\n")
    other = sqlite3.connect(catalog, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        process = subprocess.Popen(
            [*READER, "--library", str(library), "list", "--json"],
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Longer than the busy timeout: the refresh cannot have written (it needs the
        # lock), and has not given up either.
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=1.5 * BUSY_TIMEOUT)
    finally:
        other.execute("ROLLBACK")
        other.close()
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stderr == ""
    assert {entry["key"] for entry in json.loads(stdout)} == keys
    result = run_reader(
        env, "--library", str(library), "show", "part-0/article-0000", "--lang", "fr"
    )
    assert "changed" in result.stdout


def _mount_namespaces_work() -> bool:
    """Whether this process may mount a tmpfs in a mount namespace of its own (root)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(
    not _mount_namespaces_work(), reason="needs root and mount namespaces (unshare -m)"
)

#: Runs "$@" with a small tmpfs on $CACHE (options $OPTIONS), in a private mount
#: namespace: nothing outside the command sees it.
_ON_TMPFS = 'mount -t tmpfs -o "$OPTIONS" tmpfs "$CACHE" && exec "$@"'


@needs_mount
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("size=160k", "(cannot be written: disk full); reading the library into memory"),
        ("ro,size=1m", "(read-only file system); reading the library into memory"),
    ],
)
def test_a_full_or_read_only_file_system_under_the_cache_still_lists_and_reads(
    tmp_path: Path, options: str, expected: str
) -> None:
    """The real thing where root may mount: the cache directory on a tiny tmpfs (the
    disk fills up during the first refresh) or on a read-only one."""
    library = tmp_path / "library"
    keys = write_library(library, 60)
    env = reader_env(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    env.update(CACHE=str(cache), OPTIONS=options)
    for args in (("list", "--json"), ("search", "article")):
        result = subprocess.run(
            [
                "unshare",
                "-m",
                "sh",
                "-c",
                _ON_TMPFS,
                "sh",
                *READER,
                "--library",
                str(library),
                *args,
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        told = [line for line in result.stderr.splitlines() if "catalog cache" in line]
        assert told == [
            f"reader: cannot use the catalog cache {catalog_path([library], cache)} {expected}"
        ]
        if args[0] == "list":
            assert {entry["key"] for entry in json.loads(result.stdout)} == keys
        else:
            assert "article-" in result.stdout


@needs_mount
def test_a_full_disk_under_the_user_data_loses_nothing(tmp_path: Path) -> None:
    """bookmarks.toml, notes.toml and state.toml on a file system with no room left: a
    new bookmark or note fails with one line, and every file keeps its bytes."""
    library = tmp_path / "library"
    write_library(library, 10)
    env = reader_env(tmp_path)
    config = tmp_path / "config"
    before = make_user_data(env)
    script = (
        'cp -a "$CONFIG/." "$SAVED" && mount -t tmpfs -o size=64k tmpfs "$CONFIG"'
        ' && cp -a "$SAVED/." "$CONFIG" && (dd if=/dev/zero of="$CONFIG/filler" bs=1k'
        ' 2>/dev/null; true) && "$@"; status=$?; cp "$CONFIG"/*.toml "$AFTER"; exit $status'
    )
    saved, after = tmp_path / "saved", tmp_path / "after"
    saved.mkdir()
    after.mkdir()
    env.update(CONFIG=str(config), SAVED=str(saved), AFTER=str(after))
    for args in (
        ("bookmarks", "add", "part-5/article-0005", "--lang", "en"),
        ("notes", "add", "part-6/article-0006", "Noch eine Notiz " * 50),
    ):
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", script, "sh", *READER, "--library", str(library), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].endswith(
            ".toml: could not be saved (No space left on device) — the change was not saved"
        )
        assert user_files(after) == before
    assert user_files(config) == before

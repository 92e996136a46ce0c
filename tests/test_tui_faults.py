"""The interface under catalog faults and a library that changes while it is open
(issue 11, item 4): it lists and reads, says once what is wrong, never crashes or hangs."""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader.library import Library, bundled_library_path
from reader.library.catalog import Catalog
from reader.library.catalog_file import catalog_path
from reader.tui.app import ReaderApp
from reader.tui.screens.article_screen import ArticleScreen
from reader.tui.screens.library_screen import LibraryScreen
from reader.userdata import UserData
from reader.userdata.store import dumps
from tests.test_catalog_faults import (
    READER,
    REPO,
    damage,
    reader_env,
    stress_rounds,
    user_files,
    write_library,
)
from tests.tmux_driver import TMUX, Tmux
from tests.tui_helpers import record_notices, screen_text, settle

GPU_DE_START = "Mit der fortschreitenden globalen Wirtschaftsintegration"


def catalog_app(roots: list[Path], cache: Path, config_dir: Path) -> ReaderApp:
    """The app as `reader` builds it: the library's catalog file in ``cache``."""
    library = Library(roots, name="test library", catalog_path=catalog_path(roots, cache))
    return ReaderApp(library, UserData(config_dir), languages=("de",))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("random bytes", "The catalog cache {} was damaged (file is not a database); rebuilt it."),
        (
            "a directory",
            "Cannot use the catalog cache {} (is a directory); reading the library into memory.",
        ),
    ],
)
async def test_the_interface_lists_and_reads_past_a_broken_catalog_and_says_so_once(
    tmp_path: Path, config_dir: Path, kind: str, expected: str
) -> None:
    roots = [bundled_library_path()]
    cache = tmp_path / "cache"
    path = catalog_path(roots, cache)
    Library(roots, catalog=Catalog(path)).refresh()
    damage(kind, path)
    app = catalog_app(roots, cache, config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        notices = record_notices(app)
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.sub_title == "test library · 3 articles"
        told = [notice for notice in notices if "catalog cache" in notice]
        assert told == [expected.format(path)]
        app.rescan()  # a second refresh has nothing new to say
        await settle(pilot)
        await pilot.press("slash", *"GPU-Training", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert GPU_DE_START in screen_text(pilot)
        assert [notice for notice in notices if "catalog cache" in notice] == told


async def test_two_reader_index_and_the_interface_refresh_one_catalog_at_once(
    tmp_path: Path, config_dir: Path
) -> None:
    library = tmp_path / "library"
    keys = write_library(library, 500)
    env = reader_env(tmp_path)
    cache = tmp_path / "cache"
    env["READER_CACHE_DIR"] = str(cache)
    index = [*READER, "--library", str(library), "index"]
    path = catalog_path([library], cache)
    for round_number in range(stress_rounds(1)):
        if path.parent.exists():
            shutil.rmtree(path.parent)  # each round starts cold
        app = catalog_app([library], cache, config_dir)
        async with app.run_test(size=(120, 32)) as pilot:
            notices = record_notices(app)
            processes = [
                subprocess.Popen(
                    index,
                    env=env,
                    cwd=REPO,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            # The interface refreshes while the indexes run: at start, and twice more.
            for _ in range(3):
                await settle(pilot)
                app.rescan()
            await settle(pilot)
            outputs = [process.communicate(timeout=120) for process in processes]
            app.rescan()
            await settle(pilot)
            assert set(app.library.articles) == keys, round_number
            assert app.screen.sub_title == "test library · 500 articles"
            assert notices == [], notices  # the catalog was shared, not given up
        for process, (stdout, stderr) in zip(processes, outputs, strict=True):
            assert process.returncode == 0, stderr
            assert stderr == ""
            assert "500 articles, 1500 variants in 3 languages" in stdout
        # What they wrote together is whole: a fresh load lists every article.
        fresh = Catalog(path).load([library])
        assert fresh is not None and set(fresh.articles) == keys


class LibraryChanger(threading.Thread):
    """Every 100 ms adds, rewrites or removes a page of ``root`` (seeded, so each run
    does the same things), until stopped. Pages of ``victim`` are among those rewritten
    and, now and then, removed and put back."""

    def __init__(self, root: Path, victim: str, seed: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.victim = victim
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.changes = 0

    def run(self) -> None:
        added = 0
        while not self.stop.wait(0.1):
            pages = sorted(self.root.rglob("*.txt"))
            action = self.rng.choice(["add", "rewrite", "rewrite", "remove", "victim"])
            if action == "add":
                added += 1
                page = (
                    self.root
                    / "new"
                    / f"added-{added:03d}.{self.rng.choice(['de', 'en', 'fr'])}.txt"
                )
                page.parent.mkdir(exist_ok=True)
                page.write_text(
                    f"Neu {added}\n\nEin neuer Absatz.\n\nNoch einer.\n", encoding="utf-8"
                )
            elif action == "rewrite" and pages:
                page = self.rng.choice(pages)
                paragraphs = "\n\n".join(f"Absatz {n} neu." for n in range(self.rng.randint(1, 9)))
                page.write_text(f"Umgeschrieben {page.stem}\n\n{paragraphs}\n", encoding="utf-8")
            elif action == "remove" and len(pages) > 20:
                self.rng.choice(pages).unlink(missing_ok=True)
            else:
                victims = sorted(self.root.glob(f"{self.victim}.*.txt"))
                if victims and self.rng.random() < 0.3:
                    self.rng.choice(victims).unlink()
                else:
                    for language in self.rng.sample(["de", "en", "fr"], 2):
                        (self.root / f"{self.victim}.{language}.txt").write_text(
                            f"Opfer {language}\n\n" + "Ein Absatz.\n\n" * self.rng.randint(1, 30),
                            encoding="utf-8",
                        )
            self.changes += 1


async def test_the_interface_survives_a_library_changing_under_it_while_keys_are_pressed(
    tmp_path: Path, config_dir: Path
) -> None:
    """Files added, rewritten and removed every 100 ms (`make stress`: ~30 s, `make
    test`: a few) while the interface rescans and keys are pressed: no crash, no hang,
    and the open article either stays or goes back to the list with a notice."""
    root = tmp_path / "library"
    write_library(root, 30)
    victim = "victim"
    for language in ("de", "en", "fr"):
        (root / f"{victim}.{language}.txt").write_text(
            f"Opfer {language}\n\n" + "Ein Absatz.\n\n" * 12, encoding="utf-8"
        )
    seconds = 1.5 * stress_rounds(2)  # 3 s in make test, 30 s in make stress
    rng = random.Random(11)
    keys = ["j", "k", "J", "right_square_bracket", "left_square_bracket", "p", "p", "G", "g", "l"]
    app = catalog_app([root], tmp_path / "cache", config_dir)
    changer = LibraryChanger(root, victim, seed=12)

    async def drive() -> None:
        async with app.run_test(size=(120, 32)) as pilot:
            notices = record_notices(app)
            await settle(pilot)
            changer.start()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + seconds
            pressed = 0
            while loop.time() < deadline:
                if not isinstance(app.screen, ArticleScreen):
                    await pilot.press("escape")  # a modal (the language picker) or a list
                    if isinstance(app.screen, LibraryScreen):
                        # The victim if it is there, else any article (they change too).
                        articles = app.library.articles
                        app.open_article(victim if victim in articles else min(articles))
                elif rng.random() < 0.2:
                    app.rescan()
                    await pilot.pause()
                else:
                    before = len(notices)
                    screen = app.screen
                    await pilot.press(rng.choice(keys))
                    await pilot.pause()
                    if app.screen is not screen and isinstance(app.screen, LibraryScreen):
                        # Closed without escape: only with the notice that says why.
                        assert any(
                            "no longer in the library" in notice for notice in notices[before:]
                        ), notices[before:]
                pressed += 1
            changer.stop.set()
            changer.join(timeout=10)
            app.rescan()
            await settle(pilot)
            # After the storm: the library is what is on disk, and the reader still reads.
            on_disk = {path.name.split(".")[0] for path in root.glob("*.txt")}
            assert (victim in on_disk) == (victim in app.library.articles)
            await pilot.press("escape", "escape")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert pressed > 10 and changer.changes > 10

    # A hang fails the test instead of stopping the suite.
    await asyncio.wait_for(drive(), timeout=seconds + 120)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_the_interface_on_a_full_disk_reads_and_keeps_every_byte_of_user_data(
    tmp_path: Path,
) -> None:
    """The reader in a real terminal whose files may not grow past 16 KiB (as on a full
    disk): the catalog cannot be written, nor can the user's files, which are larger.
    It lists, opens and switches languages, says once what is wrong with the catalog,
    says that a bookmark was not saved, and leaves bookmarks, notes and state as they
    were, byte for byte."""
    env = reader_env(tmp_path)
    env.update(TERM="xterm-256color")
    config = tmp_path / "config"
    config.mkdir()
    # Written with the reader's own serialiser, as the app writes them (one entry at a
    # time through the locked store would take seconds).
    stamp = "2026-12-01T10:00:00Z"
    keys = [f"elsewhere/article-{number:03d}" for number in range(300)]
    files = {
        "bookmarks.toml": {
            "version": 1,
            "bookmark": [
                {
                    "key": k,
                    "language": "de",
                    "paragraph": 1,
                    "title": f"Lesezeichen {k}",
                    "created": stamp,
                }
                for k in keys
            ],
        },
        "notes.toml": {
            "version": 1,
            "note": [
                {
                    "id": f"{n:012x}",
                    "key": k,
                    "language": "de",
                    "paragraph": 1,
                    "quote": "Zitat",
                    "text": f"Notiz {n}",
                    "created": stamp,
                    "updated": stamp,
                }
                for n, k in enumerate(keys)
            ],
        },
        "state.toml": {
            "version": 1,
            "articles": {k: {"language": "fr", "paragraph": 2, "updated": stamp} for k in keys},
        },
    }
    for name, data in files.items():
        (config / name).write_text(dumps(data), encoding="utf-8")
    userdata = UserData(config)
    assert len(userdata.bookmarks.for_article(keys[7])) == 1  # the reader reads them
    before = user_files(config)
    assert all(len(data) > 16 * 1024 for data in before.values())
    limited = (
        "import os, resource, sys;"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384));"
        "os.execv(sys.executable, [sys.executable, '-m', 'reader', *sys.argv[1:]])"
    )
    library = tmp_path / "library"
    shutil.copytree(bundled_library_path(), library)
    command = [sys.executable, "-c", limited, "--library", str(library), "--lang", "de"]
    with Tmux(tmp_path, width=120, height=40, env=env) as tmux:
        tmux.start(command, cwd=REPO)
        screen = tmux.wait_for("GPU-Trainingsdilemma", "3 articles", "ulimit -f")
        assert screen.count("catalog cache") == 1
        tmux.send_keys("Enter")
        tmux.wait_for("¶ 1/")
        tmux.send_keys("]")
        tmux.send_keys("b")
        tmux.wait_for("could not be saved")
        tmux.send_keys("Escape")
        tmux.wait_for("q Quit")
        tmux.send_keys("q")
        assert tmux.wait_for_exit() == 0
    assert user_files(config) == before


async def test_a_rescan_asked_for_during_a_scan_runs_after_it_and_cancels_nothing(
    tmp_path: Path, config_dir: Path
) -> None:
    root = tmp_path / "library"
    write_library(root, 5)
    app = catalog_app([root], tmp_path / "cache", config_dir)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        app.rescan()
        (root / "late.de.txt").write_text("Spät\n\nEin Absatz.\n", encoding="utf-8")
        app.rescan()  # while the first one runs: once more after it
        await settle(pilot)  # a cancelled scan would raise WorkerCancelled here
        assert all(worker.state.name == "SUCCESS" for worker in app.workers)
        assert "late" in app.library.articles
        assert app.screen.sub_title == "test library · 6 articles"

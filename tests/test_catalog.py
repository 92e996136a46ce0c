"""The catalog: refresh reads only what changed, load reads nothing, bad files are rebuilt."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.library.catalog_group as group_module
import reader.library.catalog_read as read_module
import reader.library.catalog_refresh as refresh_module
import reader.library.catalog_rows as rows_module
import reader.library.catalog_walk as walk_module
import reader.library.pool as pool_module
from reader.library import Library
from reader.library.catalog import APPLICATION_ID, Catalog, RefreshReport
from reader.library.scan import CHECKPOINT_EVERY, PageLocation, ScanResult, scan_library

#: An mtime well in the past, so that files never look "racily" fresh.
OLD = time.time() - 3600


def write(root: Path, relative: str, text: str | bytes, *, mtime: float = OLD) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    write(root, "post.en.md", '+++\ntitle = "Hello"\ndate = 2024-01-02\n+++\n\nFirst.\n\nSecond.\n')
    write(root, "post.de.md", "# Hallo\n\nErstens.\n")
    write(root, "notes/plain.txt", "Plain title\n2023-05-06\n\nOne.\n\nTwo.\n")
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    with Catalog(tmp_path / "cache" / "catalog.sqlite") as opened:
        yield opened


def counts(report: RefreshReport) -> tuple[int, int, int, int, int]:
    return report.added, report.changed, report.removed, report.unchanged, report.files


def assert_same(result: ScanResult, expected: ScanResult) -> None:
    """Equal as a scan would give: articles (in order, every field), problems, files."""
    assert list(result.articles) == list(expected.articles)
    assert result.articles == expected.articles
    for key, article in expected.articles.items():
        assert result.articles[key].languages == article.languages
        assert result.articles[key].titles() == article.titles()
    assert result.problems == expected.problems
    assert result.files == expected.files


def test_for_roots_names_one_file_per_set_of_roots(tmp_path: Path) -> None:
    first = Catalog.for_roots([tmp_path / "a"])
    again = Catalog.for_roots([tmp_path / "a" / ".." / "a"])
    other = Catalog.for_roots([tmp_path / "a", tmp_path / "b"])
    assert first.path == again.path
    assert first.path != other.path
    assert first.path is not None
    assert first.path.parent == Path(os.environ["READER_CACHE_DIR"])
    assert first.path.name.startswith("catalog-") and first.path.suffix == ".sqlite"


def test_new_catalog_is_empty_and_loads_nothing(catalog: Catalog, library_dir: Path) -> None:
    assert catalog.is_empty()
    assert catalog.load([library_dir], "en") is None
    assert catalog.article_count() == 0


def test_refresh_and_load_equal_a_scan_of_the_bundled_library(
    bundled_library: Path, catalog: Catalog
) -> None:
    expected = scan_library([bundled_library])
    report = catalog.refresh([bundled_library])
    assert counts(report) == (expected.files, 0, 0, 0, expected.files)
    assert_same(report.result, expected)
    assert report.problems == report.result.problems
    catalog.close()

    reopened = Catalog(catalog.path)
    loaded = reopened.load([bundled_library], "en")
    assert loaded is not None
    assert_same(loaded, expected)
    assert reopened.article_count() == len(expected.articles) == 3
    assert not reopened.is_empty()
    reopened.close()


def test_second_refresh_reads_nothing(bundled_library: Path, catalog: Catalog) -> None:
    first = catalog.refresh([bundled_library])
    second = catalog.refresh([bundled_library])
    assert counts(second) == (0, 0, 0, first.files, first.files)
    assert second.read == 0
    assert_same(second.result, first.result)


def test_load_reads_no_file(
    bundled_library: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.refresh([bundled_library])

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("load must not read or walk")

    monkeypatch.setattr(read_module, "read_page_document", no_reading)
    monkeypatch.setattr(walk_module, "iter_page_files", no_reading)
    monkeypatch.setattr(os, "scandir", no_reading)
    assert catalog.load([bundled_library], "en") is not None


def test_refresh_detects_added_changed_removed_and_renamed_files(
    library_dir: Path, catalog: Catalog
) -> None:
    roots = [library_dir]
    assert counts(catalog.refresh(roots)) == (3, 0, 0, 0, 3)

    write(library_dir, "post.fr.md", "# Bonjour\n")
    report = catalog.refresh(roots)
    assert counts(report) == (1, 0, 0, 3, 4)
    assert report.result.articles["post"].languages == ["de", "en", "fr"]

    # Same size, other text, other mtime.
    write(library_dir, "post.de.md", "# Hallo\n\nZweitens\n", mtime=OLD + 10)
    report = catalog.refresh(roots)
    assert counts(report) == (0, 1, 0, 3, 4)
    assert report.result.articles["post"].variants["de"].paragraphs == 1

    # Another size, same mtime.
    write(library_dir, "post.de.md", "# Guten Tag\n\nA.\n\nB.\n", mtime=OLD + 10)
    report = catalog.refresh(roots)
    assert counts(report) == (0, 1, 0, 3, 4)
    assert report.result.articles["post"].titles()["de"] == "Guten Tag"

    (library_dir / "post.fr.md").unlink()
    report = catalog.refresh(roots)
    assert counts(report) == (0, 0, 1, 3, 3)
    assert report.result.articles["post"].languages == ["de", "en"]

    (library_dir / "notes" / "plain.txt").rename(library_dir / "notes" / "renamed.txt")
    report = catalog.refresh(roots)
    assert counts(report) == (1, 0, 1, 2, 3)
    assert "notes/renamed" in report.result.articles
    assert "notes/plain" not in report.result.articles

    assert_same(report.result, scan_library(roots))
    loaded = catalog.load(roots, "en")
    assert loaded is not None
    assert_same(loaded, scan_library(roots))


def test_a_file_modified_just_before_it_was_read_is_read_again(
    library_dir: Path, catalog: Catalog
) -> None:
    write(library_dir, "fresh.md", "# Fresh\n", mtime=time.time())
    catalog.refresh([library_dir])
    # Its mtime cannot prove that it did not change again within the same tick.
    assert counts(catalog.refresh([library_dir])) == (0, 1, 0, 3, 4)
    write(library_dir, "fresh.md", "# Fresh\n")
    assert counts(catalog.refresh([library_dir])) == (0, 1, 0, 3, 4)
    assert counts(catalog.refresh([library_dir])) == (0, 0, 0, 4, 4)


def test_problems_are_stored_and_unreadable_files_not_reread(
    library_dir: Path, catalog: Catalog
) -> None:
    write(library_dir, "binary.txt", b"\x00\x01\x02garbage")
    write(library_dir, "bad-front.md", "+++\ntitle = \n+++\n\nBody.\n")
    write(library_dir, "post.md", "+++\nlang = 'de'\n+++\n\n# Noch ein Hallo\n")
    expected = scan_library([library_dir])
    reasons = {problem.path: problem for problem in expected.problems}
    assert reasons["binary.txt"].skipped
    assert not reasons["bad-front.md"].skipped
    assert "second de variant" in reasons["post.md"].reason

    report = catalog.refresh([library_dir])
    assert_same(report.result, expected)
    again = catalog.refresh([library_dir])
    assert counts(again) == (0, 0, 0, 6, 6)
    assert_same(again.result, expected)
    loaded = catalog.load([library_dir], "en")
    assert loaded is not None
    assert_same(loaded, expected)


def test_walk_problems_are_reported(library_dir: Path, catalog: Catalog) -> None:
    os.mkfifo(library_dir / "pipe.md")
    (library_dir / "loop").symlink_to(library_dir, target_is_directory=True)
    expected = scan_library([library_dir])
    assert sorted(problem.path for problem in expected.problems) == ["loop", "pipe.md"]
    report = catalog.refresh([library_dir])
    assert_same(report.result, expected)
    loaded = catalog.load([library_dir], "en")
    assert loaded is not None
    assert loaded.problems == expected.problems


def test_symlinks_are_walked_as_a_scan_walks_them(
    tmp_path: Path, library_dir: Path, catalog: Catalog
) -> None:
    write(tmp_path, "outside/secret.md", "# Secret\n")
    (library_dir / "elsewhere").symlink_to(tmp_path / "outside")
    (library_dir / "secret.md").symlink_to(tmp_path / "outside" / "secret.md")
    (library_dir / "alias").symlink_to(library_dir / "notes")
    (library_dir / "notes" / "up").symlink_to(library_dir)
    expected = scan_library([library_dir])
    assert all(not key.startswith(("elsewhere", "secret", "alias")) for key in expected.articles)
    outside = (tmp_path / "outside").resolve()
    assert sorted((p.path, p.reason) for p in expected.problems) == [
        ("elsewhere", f"symlink leads outside the library: {outside}"),
        ("notes/up", "directory loop (symlink)"),
        ("secret.md", f"symlink leads outside the library: {outside / 'secret.md'}"),
    ]
    assert_same(catalog.refresh([library_dir]).result, expected)
    assert_same(catalog.refresh([library_dir]).result, expected)
    loaded = catalog.load([library_dir], "en")
    assert loaded is not None
    assert_same(loaded, expected)


def test_translation_keys_and_language_directories(tmp_path: Path, catalog: Catalog) -> None:
    root = tmp_path / "site"
    write(root, "en/about-us.md", '+++\ntitle = "About"\ntranslationKey = "about"\n+++\n')
    write(root, "de/ueber-uns.md", "---\ntitle: Über uns\ntranslationKey: about\n---\n")
    write(root, "fr/about-us.md", "# À propos\n")
    write(root, "pt-br/guide/intro.md", "# Introdução\n")
    write(root, "en/guide/intro.md", "# Intro\n")
    expected = scan_library([root])
    assert sorted(expected.articles) == ["about", "guide/intro"]
    assert_same(catalog.refresh([root]).result, expected)
    loaded = catalog.load([root], "en")
    assert loaded is not None
    assert_same(loaded, expected)


def test_several_roots_and_odd_file_names(tmp_path: Path, catalog: Catalog) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write(first, "same.en.md", "# One\n")
    write(second, "same.en.md", "# Two\n")
    write(second, "spaces and ünïcödé.md", "# Name\n")
    odd = os.fsencode(second) + b"/latin1-\xe9.txt"
    with open(odd, "wb") as handle:
        handle.write(b"Odd name\n\nBody.\n")
    os.utime(odd, (OLD, OLD))
    roots = [first, second]
    expected = scan_library(roots)
    assert_same(catalog.refresh(roots).result, expected)
    assert counts(catalog.refresh(roots)) == (0, 0, 0, 4, 4)
    loaded = catalog.load(roots, "en")
    assert loaded is not None
    assert_same(loaded, expected)


def test_roots_spelled_differently_give_paths_spelled_as_asked(
    library_dir: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.refresh([library_dir])
    monkeypatch.chdir(library_dir.parent)
    loaded = catalog.load([Path("lib")], "en")
    assert loaded is not None
    assert_same(loaded, scan_library([Path("lib")]))


def test_load_of_other_roots_gives_nothing(
    library_dir: Path, tmp_path: Path, catalog: Catalog
) -> None:
    catalog.refresh([library_dir])
    assert catalog.load([tmp_path], "en") is None
    # Refreshing the same file for other roots starts afresh.
    other = tmp_path / "other"
    write(other, "x.md", "# X\n")
    report = catalog.refresh([other])
    assert counts(report) == (1, 0, 0, 0, 1)
    assert list(report.result.articles) == ["x"]


def test_default_language_change(tmp_path: Path, catalog: Catalog) -> None:
    root = tmp_path / "lib"
    write(root, "post.md", "# Post\n")
    write(root, "post.de.md", "# Beitrag\n")
    catalog.refresh([root], "en")
    loaded = catalog.load([root], "fi")
    assert loaded is not None
    assert_same(loaded, scan_library([root], "fi"))
    report = catalog.refresh([root], "fi")
    assert counts(report) == (0, 1, 0, 1, 2)
    assert report.result.articles["post"].languages == ["de", "fi"]


def test_a_smaller_size_limit_rereads_big_files(tmp_path: Path, catalog: Catalog) -> None:
    root = tmp_path / "lib"
    write(root, "big.txt", "Big\n\n" + "word " * 400 + "\n")
    write(root, "small.txt", "Small\n\nword\n")
    catalog.refresh([root], max_bytes=1 << 20)
    report = catalog.refresh([root], max_bytes=1024)
    assert counts(report) == (0, 1, 0, 1, 2)
    assert any("larger than" in problem.reason for problem in report.problems)


def test_progress_walks_then_reads(tmp_path: Path, catalog: Catalog) -> None:
    root = tmp_path / "lib"
    for number in range(250):
        write(root, f"d{number % 3}/page{number:03d}.txt", f"Title {number}\n\nBody.\n")
    calls: list[tuple[int, int, str]] = []
    catalog.refresh([root], progress=lambda done, total, path: calls.append((done, total, path)))
    walking = [call for call in calls if call[1] == 0]
    reading = [call for call in calls if call[1] == 250]
    assert [done for done, _, _ in walking] == [100, 200]
    assert [done for done, _, _ in reading] == [100, 200, 250]
    assert calls[-1] == (250, 250, "")
    assert all(path.endswith(".txt") for _, _, path in calls[:-1])


def test_an_aborted_refresh_is_completed_by_the_next(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "lib"
    for number in range(120):
        write(root, f"page{number:03d}.en.md", f"# Page {number}\n\nText {number}.\n")
        write(root, f"page{number:03d}.de.md", f"# Seite {number}\n\nText {number}.\n")
    monkeypatch.setattr(refresh_module, "BATCH_FILES", 50)

    def abort(done: int, total: int, path: str) -> None:
        if total and done >= 200:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        catalog.refresh([root], progress=abort)
    monkeypatch.undo()
    expected = scan_library([root])
    # Half written: load regroups what is there (no file read), a refresh completes it.
    partial = catalog.load([root], "en")
    assert partial is not None
    assert 0 < sum(len(a.variants) for a in partial.articles.values()) < 240
    report = catalog.refresh([root])
    assert report.added + report.unchanged == 240
    assert_same(report.result, expected)
    loaded = catalog.load([root], "en")
    assert loaded is not None
    assert_same(loaded, expected)


def test_load_after_a_crash_regroups_from_the_rows(library_dir: Path, catalog: Catalog) -> None:
    catalog.refresh([library_dir])
    with catalog.connection() as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'dirty'")
        conn.execute("UPDATE variants SET article_key = NULL")
    loaded = catalog.load([library_dir], "en")
    assert loaded is not None
    assert_same(loaded, scan_library([library_dir]))


@pytest.mark.parametrize(
    "garbage",
    [
        b"this is not a database at all, just some words" * 100,
        os.urandom(8192),
        b"SQLite format 3\x00" + b"\xff" * 200,
        b"",
    ],
    ids=["text", "random", "bad-header", "empty"],
)
def test_garbage_cache_file_is_rebuilt(garbage: bytes, tmp_path: Path, library_dir: Path) -> None:
    path = tmp_path / "cache" / "catalog.sqlite"
    path.parent.mkdir()
    path.write_bytes(garbage)
    catalog = Catalog(path)
    assert catalog.load([library_dir], "en") is None
    report = catalog.refresh([library_dir])
    assert counts(report) == (3, 0, 0, 0, 3)
    catalog.close()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    reopened = Catalog(path)
    loaded = reopened.load([library_dir], "en")
    assert loaded is not None
    assert_same(loaded, scan_library([library_dir]))
    reopened.close()


def test_truncated_catalog_is_rebuilt(bundled_library: Path, tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    with Catalog(path) as catalog:
        catalog.refresh([bundled_library])
    size = path.stat().st_size
    assert size > 100_000
    with open(path, "r+b") as handle:
        handle.truncate(size // 3)
    with Catalog(path) as damaged:
        # Damage may show at once or only when the missing pages are needed; either
        # way nothing raises and the catalog comes back empty and usable.
        damaged.load([bundled_library], "en")
        damaged.search("GPU")
        report = damaged.refresh([bundled_library])
        assert report.unchanged == 0
        assert_same(report.result, scan_library([bundled_library]))
        assert damaged.search("GPU")


def test_database_of_another_program_is_replaced(tmp_path: Path, library_dir: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    other = sqlite3.connect(path)
    other.execute("PRAGMA application_id = 42")
    other.execute("CREATE TABLE precious (x)")
    other.commit()
    other.close()
    with Catalog(path) as catalog:
        assert catalog.load([library_dir], "en") is None
        assert counts(catalog.refresh([library_dir])) == (3, 0, 0, 0, 3)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    check.close()


def test_plain_sqlite_database_without_our_id_is_replaced(
    tmp_path: Path, library_dir: Path
) -> None:
    path = tmp_path / "catalog.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE variants (x)")
    other.commit()
    other.close()
    with Catalog(path) as catalog:
        assert counts(catalog.refresh([library_dir])) == (3, 0, 0, 0, 3)


@pytest.mark.parametrize("version", [1, 99])
def test_older_or_newer_schema_is_rebuilt(tmp_path: Path, library_dir: Path, version: int) -> None:
    path = tmp_path / "catalog.sqlite"
    with Catalog(path) as catalog:
        catalog.refresh([library_dir])
    other = sqlite3.connect(path)
    other.execute(f"PRAGMA user_version = {version}")
    other.commit()
    other.close()
    with Catalog(path) as catalog:
        assert catalog.load([library_dir], "en") is None
        assert counts(catalog.refresh([library_dir])) == (3, 0, 0, 0, 3)


def test_index_built_with_other_folding_is_rebuilt(tmp_path: Path, library_dir: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    with Catalog(path) as catalog:
        catalog.refresh([library_dir])
        with catalog.connection() as conn:
            conn.execute("UPDATE meta SET value = 'old' WHERE key = 'fold'")
    with Catalog(path) as catalog:
        assert catalog.load([library_dir], "en") is None


def test_unusable_cache_directory_falls_back_to_memory(tmp_path: Path, library_dir: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    catalog = Catalog(blocker / "catalog.sqlite")
    report = catalog.refresh([library_dir])
    assert counts(report) == (3, 0, 0, 0, 3)
    assert catalog.path is None
    assert catalog.load([library_dir], "en") is not None
    catalog.close()


def test_two_catalog_objects_share_one_file(tmp_path: Path, library_dir: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    with Catalog(path) as first, Catalog(path) as second:
        first.refresh([library_dir])
        loaded = second.load([library_dir], "en")
        assert loaded is not None
        write(library_dir, "new.md", "# New\n")
        assert counts(second.refresh([library_dir])) == (1, 0, 0, 3, 4)
        assert counts(first.refresh([library_dir])) == (0, 0, 0, 4, 4)


def test_worker_processes_give_the_same_result(
    bundled_library: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[int] = []
    original_map = pool_module.WorkerPool.map

    def counting_map(pool: object, chunks: list[object], weights: object) -> Iterator[object]:
        for results in original_map(pool, chunks, weights):  # type: ignore[arg-type]
            served.append(len(results))
            yield results

    monkeypatch.setattr(read_module, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(read_module, "POOL_CHUNK", 4)
    monkeypatch.setattr(pool_module, "worker_count", lambda maximum: 2)
    monkeypatch.setattr(pool_module.WorkerPool, "map", counting_map)
    report = catalog.refresh([bundled_library])
    assert sum(served) == report.files  # every page came from a worker
    assert_same(report.result, scan_library([bundled_library]))
    assert catalog.search("训练")


def test_broken_workers_fall_back_to_reading_here(
    bundled_library: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []

    class Broken:
        def __init__(self, *args: object, **options: object) -> None:
            pass

        def map(self, chunks: list[list[PageLocation]], weights: object) -> Iterator[list[object]]:
            started.append(len(chunks))
            yield list(read_module.read_chunk(chunks[0], "en", 1 << 20))
            raise pool_module.PoolBrokenError("workers keep failing to start")

        def close(self) -> None:
            pass

    monkeypatch.setattr(read_module, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(pool_module, "worker_count", lambda maximum: 2)
    monkeypatch.setattr(pool_module, "WorkerPool", Broken)
    report = catalog.refresh([bundled_library])
    assert started  # the workers were tried
    assert_same(report.result, scan_library([bundled_library]))


def test_library_uses_its_catalog(bundled_library: Path, tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    library = Library([bundled_library], catalog=Catalog(path))
    assert not library.load_cached()
    report = library.refresh()
    assert report.read == report.files > 0
    assert library.article("gpu-training-dilemma") is not None

    restarted = Library([bundled_library], catalog=Catalog(path))
    assert restarted.load_cached()
    assert restarted.articles == library.articles
    assert restarted.problems == library.problems
    variant = restarted.articles["gpu-training-dilemma"].variants["zh"]
    assert restarted.load(variant).paragraph_count == variant.paragraphs


def test_an_article_opens_from_the_catalog_before_the_library_loads(
    bundled_library: Path, tmp_path: Path
) -> None:
    path = tmp_path / "catalog.sqlite"
    Library([bundled_library], catalog=Catalog(path)).refresh()

    restarted = Library([bundled_library], catalog=Catalog(path))
    early = restarted.article("gpu-training-dilemma")
    assert not restarted.scanned and restarted.articles == {}
    assert early is not None and early.variants["el"].paragraphs == 6
    assert restarted.load(early.variants["de"]).title.startswith("GPU-Trainingsdilemma")
    assert restarted.article("no-such-article") is None

    restarted.load_cached()
    assert restarted.article("gpu-training-dilemma") == early
    assert Library([bundled_library]).article("gpu-training-dilemma") is None  # no catalog


def test_load_calls_its_checkpoint_every_few_hundred_variants(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    for number in range(1050):
        write(root, f"post-{number}.{'en' if number % 2 else 'de'}.md", f"# Post {number}\n")
    path = tmp_path / "catalog.sqlite"
    Library([root], catalog=Catalog(path)).refresh()
    calls: list[int] = []
    restarted = Library([root], catalog=Catalog(path))
    assert restarted.load_cached(lambda: calls.append(len(calls)))
    # At least once every CHECKPOINT_EVERY variants (grouping and ordering have theirs too).
    assert len(calls) >= 1050 // CHECKPOINT_EVERY
    assert len(restarted.articles) == 1050


def test_library_without_catalog_refreshes_by_scanning(bundled_library: Path) -> None:
    library = Library([bundled_library])
    assert not library.load_cached()
    calls: list[tuple[int, int, str]] = []
    report = library.refresh(lambda *args: calls.append(args))
    assert report.files == report.added == len(list(bundled_library.glob("*.*")))
    assert library.article("reader-guide") is not None


def test_searching_imports_neither_textual_nor_the_parsers(
    bundled_library: Path, tmp_path: Path
) -> None:
    """``reader search`` opens the catalog and queries it; nothing heavy is imported."""
    import subprocess
    import sys

    from tests.conftest import REPO

    path = tmp_path / "catalog.sqlite"
    with Catalog(path) as catalog:
        catalog.refresh([bundled_library])
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.library.catalog import Catalog\n"
        f"hits = Catalog(Path({str(path)!r})).search('训练')\n"
        "assert hits and hits[0].key == 'gpu-training-dilemma', hits\n"
        "heavy = {'textual', 'markdown_it', 'langcodes', 'yaml', 'charset_normalizer', 'rich'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"


def test_first_page_lists_the_newest_articles_without_loading_all(tmp_path: Path) -> None:
    from reader.library import Library
    from reader.library.catalog import Catalog

    root = tmp_path / "lib"
    root.mkdir()
    for number in range(5):
        (root / f"a{number}.de.md").write_text(
            f'+++\ntitle = "Titel {number}"\ndate = 2024-01-0{number + 1}\n+++\nText.\n',
            encoding="utf-8",
        )
        (root / f"a{number}.en.md").write_text(f"# Title {number}\n\nText.\n", encoding="utf-8")
    catalog = Catalog.for_roots([root], tmp_path / "cache")
    assert Library([root], catalog=catalog).first_page() is None  # never refreshed
    Library([root], catalog=catalog).refresh()
    count, articles = Library([root], catalog=catalog).first_page()  # type: ignore[misc]
    assert count == 5
    assert [a.key for a in articles] == ["a4", "a3", "a2", "a1", "a0"]
    assert articles[0].titles == {"de": "Titel 4", "en": "Title 4"}
    assert articles[0].date == "2024-01-05"


def test_one_article_loads_from_its_rows_as_a_full_load_has_it(
    bundled_library: Path, catalog: Catalog
) -> None:
    assert catalog.load_article([bundled_library], "gpu-training-dilemma") is None  # empty
    expected = catalog.refresh([bundled_library]).result.articles
    for key, article in expected.items():
        assert catalog.load_article([bundled_library], key) == article
    assert catalog.load_article([bundled_library], "no-such-article") is None
    assert catalog.load_article([bundled_library / "."], "gpu-training-dilemma") is not None
    assert catalog.load_article([bundled_library.parent], "gpu-training-dilemma") is None


# --- refreshing without rebuilding ----------------------------------------------------------


def test_unchanged_refresh_keeps_the_articles_and_builds_no_variant(
    library_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.sqlite"
    Library([library_dir], catalog=Catalog(path)).refresh()
    library = Library([library_dir], catalog=Catalog(path))
    assert library.load_cached()
    articles, titles = library.articles, library.titles()

    def no_variants(*args: object) -> None:
        raise AssertionError("an unchanged refresh must not build variants")

    monkeypatch.setattr(rows_module, "VariantMaker", no_variants)
    monkeypatch.setattr(refresh_module, "VariantMaker", no_variants)
    monkeypatch.setattr(group_module, "group_entries", no_variants)
    report = library.refresh()
    assert counts(report) == (0, 0, 0, 3, 3)
    assert report.result.articles is articles
    assert library.articles is articles
    assert library.titles() is titles  # the title index was kept too
    again = library.refresh()
    assert library.articles is articles and again.result.articles is articles


def test_a_change_after_an_unchanged_refresh_shows_up(library_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    library = Library([library_dir], default_language="en", catalog=Catalog(path))
    library.refresh()
    unchanged = library.articles
    library.refresh()
    assert library.articles is unchanged
    write(library_dir, "post.fr.md", "# Bonjour\n")
    write(library_dir, "notes/plain.txt", "Plain title\n2023-05-06\n\nOne.\n", mtime=OLD + 5)
    report = library.refresh()
    assert counts(report) == (1, 1, 0, 2, 4)
    assert library.articles is not unchanged
    assert library.articles["post"].languages == ["de", "en", "fr"]
    assert library.articles["notes/plain"].variants["en"].paragraphs == 1
    assert_same(report.result, scan_library([library_dir], "en"))
    # Untouched articles are the same objects; the dict is new (never changed in place).
    (library_dir / "post.fr.md").unlink()
    before = library.articles
    library.refresh()
    assert library.articles["notes/plain"] is before["notes/plain"]
    assert library.articles["post"].languages == ["de", "en"]
    assert before["post"].languages == ["de", "en", "fr"]
    restarted = Library([library_dir], default_language="en", catalog=Catalog(path))
    assert restarted.load_cached()
    assert restarted.articles == library.articles


def test_another_process_refreshing_in_between_is_noticed(
    library_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "catalog.sqlite"
    library = Library([library_dir], default_language="en", catalog=Catalog(path))
    library.refresh()
    write(library_dir, "post.fr.md", "# Bonjour\n")
    with Catalog(path) as other:  # reads the new file and stores it first
        assert counts(other.refresh([library_dir], "en")) == (1, 0, 0, 3, 4)
    # Nothing is new to this library's catalog, but its articles are older than the rows.
    report = library.refresh()
    assert report.read == 0
    assert library.articles["post"].languages == ["de", "en", "fr"]
    assert_same(report.result, scan_library([library_dir], "en"))


def test_regrouping_only_what_changed_equals_a_scan(tmp_path: Path) -> None:
    """Translation keys join and split articles; keys of separate groups can collide."""
    root = tmp_path / "lib"
    write(root, "a.en.md", "# A\n")
    write(root, "a.de.md", "# A de\n")
    write(root, "b.de.md", '+++\ntranslationKey = "a"\n+++\n# B\n')  # a second de of 'a'
    write(root, "en/_index.md", '+++\ntranslationKey = "c"\n+++\n# Index\n')
    write(root, "de/_index.md", "# Index de\n")
    write(root, "de/c.md", "# C de\n")  # key 'c' collides with the translation key 'c'
    write(root, "d.md", "# D\n")
    library = Library([root], default_language="en", catalog=Catalog(tmp_path / "c.sqlite"))
    library.refresh()
    assert_same(
        ScanResult(library.articles, library.problems, library.files), scan_library([root], "en")
    )
    steps = [
        lambda: write(root, "en/_index.md", "# Index, no key now\n", mtime=OLD + 1),
        lambda: write(root, "b.de.md", "# B, on its own\n", mtime=OLD + 2),
        lambda: write(root, "d.fr.md", '+++\ntranslationKey = "a"\n+++\n# D fr\n'),
        lambda: (root / "a.de.md").unlink(),
        lambda: write(root, "a.de.md", '+++\ntranslationKey = "c"\n+++\n# A to c\n', mtime=OLD + 3),
        lambda: write(root, "c.it.md", "# C it\n"),
        lambda: (root / "de" / "c.md").unlink(),
    ]
    for step in steps:
        step()
        report = library.refresh()
        expected = scan_library([root], "en")
        assert_same(report.result, expected)
        assert library.problems == expected.problems
        loaded = Catalog(tmp_path / "c.sqlite").load([root], "en")
        assert loaded is not None
        assert_same(loaded, expected)


def test_many_changes_group_everything_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh_module, "INCREMENTAL_MAX", 0)

    def incremental(*args: object) -> None:
        raise AssertionError("this many changes must group everything again")

    monkeypatch.setattr(refresh_module.Refresh, "_group_some", incremental)
    root = tmp_path / "lib"
    for number in range(6):
        write(root, f"p{number}.en.md", f"# P{number}\n")
    library = Library([root], default_language="en", catalog=Catalog(tmp_path / "c.sqlite"))
    library.refresh()
    write(root, "p1.de.md", '+++\ntranslationKey = "p2"\n+++\n# P1 de\n')
    (root / "p3.en.md").unlink()
    assert_same(library.refresh().result, scan_library([root], "en"))


# --- the Markdown fast path -----------------------------------------------------------------

_PROSE = [
    "word",
    "Wörter",
    "слово",
    "λέξη",
    "词语",
    "1997",
    "a.b",
    "x:y",
    "(n)",
    "end.",
    "x!",
    "#tag",
]
_ODD = [
    "# Title",
    "## Sub",
    "###### Six",
    "####### Seven",
    "# A #",
    "#NoSpace",
    "#",
    "# ",
    "#  Two spaces",
    "- item",
    "+ item",
    "* item",
    "1. one",
    "2) two",
    "3.",
    "12 items",
    "> quote",
    "===",
    "---",
    "***",
    "___",
    "    code",
    "\tcode",
    " lead",
    "trail ",
    "x  ",
    "\u3000full",
    "nb\u00a0",
    "```",
    "~~~",
    "<div>",
    "| a | b |",
    "|---|---|",
    "[x]: /u",
    "a *b* c",
    "a_b_c",
    "a `c`",
    "a & b",
    "&amp;",
    "a \\ b",
    "!!",
    "![x](y)",
    "<http://x>",
    "a\rb",
    "a\0b",
    "\ufeffbom",
    "a\u2028b",
    "x\x0cy",
    "a # b",
    "= x",
    "+++",
    "...",
]
_LINES = st.one_of(
    st.just(""),
    st.lists(st.sampled_from(_PROSE), min_size=1, max_size=6).map(" ".join),
    st.sampled_from(_ODD),
    st.text(alphabet=st.sampled_from(list("ab #-*_=.1)!\u3000 \t>[&")), max_size=8),
)
_FRONT = st.sampled_from(
    [
        "",
        '+++\ntitle = "Titel"\ndate = 2024-01-02\ntags = ["x"]\n+++\n',
        "+++\ntitle = \n+++\n",
        "---\ntitle: Über\nlang: de\ntranslationKey: k\n---\n",
        "+++\n+++\n",
        "\n\n+++\nlang = 'ru'\n+++\n\n",
        "---\ntitle: [unclosed\n---\n",
    ]
)


@settings(max_examples=600, deadline=None)
@given(front=_FRONT, lines=st.lists(_LINES, max_size=12), end=st.sampled_from(["", "\n"]))
def test_simple_markdown_equals_the_markdown_parser(front: str, lines: list[str], end: str) -> None:
    from reader.library.markdown_page import parse_markdown_page
    from reader.library.markdown_simple import simple_markdown_page

    text = front + "\n".join(lines) + end
    fast = simple_markdown_page(text)
    if fast is not None:
        assert fast == parse_markdown_page(text)


@settings(max_examples=200, deadline=None)
@given(
    front=_FRONT,
    paragraphs=st.lists(
        st.lists(
            st.lists(st.sampled_from(_PROSE), min_size=1, max_size=8).map(" ".join),
            min_size=1,
            max_size=3,
        ),
        max_size=8,
    ),
    heading=st.sampled_from(["", "# Heading", "## Second", "# Überschrift"]),
)
def test_simple_markdown_takes_plain_prose(
    front: str, paragraphs: list[list[str]], heading: str
) -> None:
    """The fast path is not vacuous: prose and headings take it, and it agrees."""
    from reader.library.markdown_page import parse_markdown_page
    from reader.library.markdown_simple import simple_markdown_page

    body = "\n\n".join("\n".join(lines) for lines in paragraphs)
    text = front + (heading + "\n\n" if heading else "") + body + "\n"
    if any(line.startswith("#tag") for lines in paragraphs for line in lines):
        return  # "#tag" at the start of a line is not a heading: the parser decides
    fast = simple_markdown_page(text)
    assert fast is not None
    assert fast == parse_markdown_page(text)


def test_simple_markdown_agrees_on_the_bundled_library() -> None:
    from reader.library.markdown_page import parse_markdown_page
    from reader.library.markdown_simple import simple_markdown_page
    from tests.conftest import BUNDLED_LIBRARY

    for page in sorted(BUNDLED_LIBRARY.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        fast = simple_markdown_page(text)
        if fast is not None:
            assert fast == parse_markdown_page(text), page.name


# --- problem kinds ----------------------------------------------------------------------------


def test_problem_kinds_are_set_where_found_and_kept_by_the_catalog(
    tmp_path: Path, catalog: Catalog
) -> None:
    root = tmp_path / "lib"
    write(root, "ok.en.md", "# Ok\n\nText.\n")
    write(root, "front.en.md", "+++\ntitle = \n+++\n# Body\n\nText.\n")
    write(root, "long.txt", "Title\n\n" + "\n\n".join(f"P{n}." for n in range(5001)) + "\n")
    write(root, "bin.txt", b"\x89PNG\x00\x00")
    write(root, "post.en.md", "# Post\n")
    write(root, "post.md", "# Post again\n")
    os.mkfifo(root / "pipe.md")
    expected = {
        "front.en.md": ("front_matter", False),
        "long.txt": ("cut", False),
        "bin.txt": ("not_text", True),
        "pipe.md": ("not_a_file", True),
        "post.md": ("duplicate", True),
    }
    scanned = scan_library([root], "en")
    assert {p.path: (p.kind, p.skipped) for p in scanned.problems} == expected
    assert catalog.refresh([root], "en").result.problems == scanned.problems
    # Unchanged files: the stored kinds are taken over, not guessed again.
    again = catalog.refresh([root], "en")
    assert again.read == 0 and again.result.problems == scanned.problems
    catalog.close()
    loaded = Catalog(catalog.path).load([root], "en")
    assert loaded is not None and loaded.problems == scanned.problems

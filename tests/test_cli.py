"""The command line: JSON shapes, plain output, one-line errors and exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main
from tests.conftest import REPO

FOURTEEN = sorted(
    ["zh", "ru", "en", "fr", "id", "sa", "ja", "de", "pt", "el", "es", "it", "fi", "la"]
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_shape_on_the_bundled_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--json")
    assert (code, err) == (0, "")
    articles = {a["key"]: a for a in json.loads(out)}
    gpu = articles["gpu-training-dilemma"]
    assert set(gpu) == {"key", "date", "languages", "advertised", "titles"}
    assert gpu["languages"] == FOURTEEN
    assert gpu["advertised"][:3] == ["zh", "ru", "en"]
    assert gpu["date"] == "2024-08-02"
    assert (
        gpu["titles"]["de"]
        == "GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung"
    )
    assert articles["huang-zuckerberg-open-source"]["languages"] == FOURTEEN


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sa", "जेन्सेन्"),
        ("zh", "黄仁勋"),
        ("el", "Ζάκερμπεργκ"),
        ("ru", "Цукерберг"),
        ("ja", "ザッカーバーグ"),
    ],
)
def test_show_prints_the_article_in_that_script(
    capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    code, out, _ = run(capsys, "show", "huang-zuckerberg-open-source", "--lang", lang)
    assert code == 0
    assert expected in out


def test_show_plain_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "de", "show", "gpu-training-dilemma")
    assert code == 0
    lines = out.split("\n")
    assert lines[0] == "GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung"
    assert lines[1] == "2024-08-02 · Deutsch (de)"
    assert "\x1b" not in out
    assert out.count("\n\n") >= 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope"], "reader: no article with key 'nope' (see 'reader list')\n"),
        (
            ["show", "gpu-training-dilemma", "--lang", "ko"],
            "reader: 'gpu-training-dilemma' has no ko variant",
        ),
        (["--library", "/does/not/exist", "list"], "reader: library not found: /does/not/exist\n"),
        (["--lang", "qqqqqq", "list"], "reader: unknown language 'qqqqqq'"),
        (["bookmarks", "add", "nope"], "reader: no article with key 'nope'"),
        (
            ["notes", "add", "gpu-training-dilemma", "x", "--paragraph", "99"],
            "reader: paragraph must be between 1 and 6\n",
        ),
    ],
)
def test_errors_are_one_line_and_non_zero(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 1
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_unreadable_config_is_one_line(
    capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text("languages = [\n", encoding="utf-8")
    code, _, err = run(capsys, "list")
    assert code == 1
    assert err.startswith("reader: ") and "config.toml line 1" in err
    assert err.count("\n") == 1


def test_bookmark_and_note_commands_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(capsys, "bookmarks", "add", "gpu-training-dilemma", "--lang", "de", "--paragraph", "3")[
            0
        ]
        == 0
    )
    assert (
        run(
            capsys,
            "notes",
            "add",
            "gpu-training-dilemma",
            "Zahlen prüfen",
            "--lang",
            "el",
            "--paragraph",
            "2",
        )[0]
        == 0
    )
    _, out, _ = run(capsys, "bookmarks", "--json")
    assert json.loads(out) == [
        {
            "key": "gpu-training-dilemma",
            "language": "de",
            "paragraph": 2,
            "title": "GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung",
            "created": json.loads(out)[0]["created"],
        }
    ]
    _, out, _ = run(capsys, "notes", "--json")
    notes = json.loads(out)
    assert [(n["key"], n["language"], n["paragraph"], n["text"]) for n in notes] == [
        ("gpu-training-dilemma", "el", 1, "Zahlen prüfen")
    ]
    assert set(notes[0]) == {"key", "language", "paragraph", "quote", "text", "created", "updated"}
    assert notes[0]["quote"]
    code, out, _ = run(capsys, "bookmarks", "remove", "gpu-training-dilemma")
    assert (code, out) == (0, "removed 1 bookmark from gpu-training-dilemma\n")
    assert json.loads(run(capsys, "bookmarks", "--json")[1]) == []


def test_corrupt_bookmarks_file_fails_clearly_and_stays_byte_identical(
    capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    config_dir.mkdir(parents=True)
    broken = b"version = 1\n[[bookmark]\nkey = \n"
    (config_dir / "bookmarks.toml").write_bytes(broken)
    code, _, err = run(capsys, "bookmarks", "add", "gpu-training-dilemma")
    assert code == 1
    assert err.startswith("reader: ") and "bookmarks.toml line 2" in err
    assert (config_dir / "bookmarks.toml").read_bytes() == broken


def test_problems_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("# ok\n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\x00\x00")
    code, out, _ = run(capsys, "--library", str(tmp_path), "problems", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "path": "bin.txt",
            "reason": "binary file (contains NUL bytes)",
            "kind": "not_text",
            "skipped": True,
        }
    ]


def test_problems_name_walk_and_read_problems_alike(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bin.txt").write_bytes(b"\x89PNG\x00\x00")
    os.mkfifo(tmp_path / "sub" / "pipe.md")
    code, out, _ = run(capsys, "--library", str(tmp_path), "problems")
    assert code == 0
    assert out.splitlines() == [
        "sub/bin.txt: binary file (contains NUL bytes)",
        "sub/pipe.md: not a regular file",
    ]
    code, out, _ = run(capsys, "--library", str(tmp_path), "problems", "--json")
    found = [(entry["path"], entry["kind"]) for entry in json.loads(out)]
    assert found == [("sub/bin.txt", "not_text"), ("sub/pipe.md", "not_a_file")]


def test_version_and_help_as_a_real_process() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert (version.returncode, version.stdout) == (0, f"reader {__version__}\n")
    help_text = subprocess.run(
        [sys.executable, "-m", "reader", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert help_text.returncode == 0
    for word in (
        "list",
        "show",
        "bookmarks",
        "notes",
        "problems",
        "--library",
        "--lang",
        "--config-dir",
        "--open",
        "READER_CONFIG_DIR",
    ):
        assert word in help_text.stdout


def test_interface_without_a_terminal_says_so() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader"],
        capture_output=True,
        text=True,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("reader: the interface needs a terminal")


# --- `reader search`: the quick path and the ordinary one ----------------------------------


def ordinary(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run a command line through argparse and the Library, never the quick path."""
    from reader.cli.commands import run
    from reader.cli.output import CliError
    from reader.cli.parser import build_parser

    try:
        code = run(build_parser().parse_args(list(args)))
    except CliError as error:
        print(f"reader: {error}", file=sys.stderr)
        code = error.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "args",
    [
        ["search", "Zuckerberg"],
        ["search", "Zuckerberg", "--json"],
        ["search", "--json", "--limit=1", "GPU"],
        ["search", "黄仁勋", "--lang", "zh"],
        ["search", "Цукерберг", "--lang", "Русский язык", "--json"],
        ["search", '"open source"', "--limit", "3"],
        ["search", "nothing-like-this-anywhere"],
    ],
)
def test_quick_search_prints_what_the_ordinary_path_prints(
    capsys: pytest.CaptureFixture[str], bundled_library: Path, args: list[str]
) -> None:
    library = ["--library", str(bundled_library)]
    ordinary(capsys, *library, "index", "--quiet")
    expected = ordinary(capsys, *library, *args)
    assert expected[0] == 0
    from reader.cli.quick import quick_search as _quick_search

    assert _quick_search([*library, *args]) == 0, "the quick path was not taken"
    out, err = capsys.readouterr()
    assert (0, out, err) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["search", "GPU", "--limit", "0"],
        ["search", "GPU", "--limit", "x"],
        ["search", "GPU", "--lang", "qqqqqq"],
        ["--lang", "qqqqqq", "search", "GPU"],
        ["search"],
        ["search", "GPU", "more"],
        ["search", "GPU", "--bogus"],
        ["search", "GPU", "--help"],
        ["search", "--lim", "2", "GPU"],
        ["search", "--", "-GPU"],
        ["--open", "x", "search", "GPU"],
    ],
)
def test_quick_search_leaves_anything_unusual_to_argparse(
    bundled_library: Path, args: list[str]
) -> None:
    from reader.cli import main
    from reader.cli.quick import quick_search as _quick_search

    main(["--library", str(bundled_library), "index", "--quiet"])
    assert _quick_search(["--library", str(bundled_library), *args]) is None


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--lang", "de"],
        ["--library", "a", "--library=b", "--lang=el", "--open", "x", "--config-dir", "c"],
    ],
)
def test_interface_command_lines_are_read_as_argparse_reads_them(args: list[str]) -> None:
    from reader.cli.parser import build_parser
    from reader.cli.parser import merge_global_options as _merge_global_options
    from reader.cli.quick import plain_interface as _plain_interface

    plain = _plain_interface(args)
    assert plain is not None, "the quick path was not taken"
    parsed = build_parser().parse_args(args)
    _merge_global_options(parsed)
    for name in ("command", "library", "lang", "config_dir", "open"):
        assert getattr(plain, name) == getattr(parsed, name), name


@pytest.mark.parametrize(
    "args",
    [["--help"], ["list"], ["--lan", "de"], ["--lang"], ["--lang", "-x"], ["--bogus"], ["x"]],
)
def test_unusual_interface_command_lines_go_to_argparse(args: list[str]) -> None:
    from reader.cli.quick import plain_interface as _plain_interface

    assert _plain_interface(args) is None


def test_quick_search_needs_a_refreshed_current_catalog(
    capsys: pytest.CaptureFixture[str], bundled_library: Path, isolated_home: Path
) -> None:
    from reader.cli.quick import quick_search as _quick_search
    from reader.library.catalog import Catalog

    args = ["--library", str(bundled_library), "search", "GPU"]
    assert _quick_search(args) is None  # no catalog file yet: it is never created here
    assert not (isolated_home / "cache").exists()
    catalog = Catalog.for_roots([bundled_library])
    assert not catalog.is_empty() or _quick_search(args) is None  # created, still empty
    catalog.refresh([bundled_library])
    catalog.close()
    # Catalog writes what catalog_file checks (schema, folding, tables): they agree.
    assert _quick_search(args) == 0
    assert "gpu-training-dilemma" in capsys.readouterr().out
    assert catalog.path is not None
    with sqlite3.connect(catalog.path) as conn:
        conn.execute("PRAGMA user_version = 999")
    assert _quick_search(args) is None
    code, out, err = run(capsys, *args)  # the ordinary path rebuilds it
    assert code == 0 and "gpu-training-dilemma" in out
    assert "indexing the library first" in err


@pytest.mark.parametrize("config", [None, "template"])
def test_quick_search_imports_no_argparse_scanner_or_catalog(
    capsys: pytest.CaptureFixture[str], bundled_library: Path, config_dir: Path, config: str | None
) -> None:
    """`reader search` starts in about twice the time of `reader --version`: it imports
    only sqlite3 and the search itself, and not even re, pathlib or typing for a query
    in Latin script, with no config.toml or the commented-out one the reader writes."""
    run(capsys, "--library", str(bundled_library), "index", "--quiet")
    if config == "template":
        from reader.userdata.config import write_config_template

        assert write_config_template(config_dir) is not None
    code = (
        "import sys, io, contextlib\n"
        "from reader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    main(['--library', {str(bundled_library)!r}, 'search', 'GPU'])\n"
        "assert 'gpu-training-dilemma' in out.getvalue()\n"
        "heavy = ('argparse', 'dataclasses', 'tomllib', 'reader.library.catalog',\n"
        "         'reader.library.model', 'reader.library.scan', 'textual',\n"
        "         're', 'pathlib', 'typing', 'platformdirs', 'sqlite3.dbapi2')\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"


def test_quick_search_reads_a_config_that_sets_something(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config_dir: Path
) -> None:
    """Only a config.toml of nothing but comments is skipped: one that names the
    libraries is read, by the quick path as by the ordinary one."""
    _, second = two_libraries(tmp_path)
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(
        f"# my libraries\nlibraries = [{str(second)!r}]\n", encoding="utf-8"
    )
    assert run(capsys, "index", "--quiet")[0] == 0
    from reader.cli.quick import quick_search as _quick_search

    assert _quick_search(["search", "zebras", "--json"]) == 0
    out, _ = capsys.readouterr()
    assert [hit["key"] for hit in json.loads(out)] == ["beta"]


# --- global options after the command --------------------------------------------------------


def two_libraries(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "alpha.en.md").write_text("# Alpha\n\nZebras graze here.\n", encoding="utf-8")
    (second / "beta.de.md").write_text("# Beta\n\nZebras grasen hier.\n", encoding="utf-8")
    return first, second


def keys_listed(out: str) -> list[str]:
    return sorted(line.split("\t")[0] for line in out.splitlines())


def test_global_options_may_follow_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = two_libraries(tmp_path)
    before = run(capsys, "--library", str(first), "list")
    assert before[0] == 0 and keys_listed(before[1]) == ["alpha"]
    assert run(capsys, "list", "--library", str(first)) == before
    assert run(capsys, "list", f"--library={first}") == before
    # Libraries add up, before and after the command, in that order.
    code, out, _ = run(capsys, "--library", str(first), "list", "--library", str(second))
    assert (code, keys_listed(out)) == (0, ["alpha", "beta"])
    # --lang after a command without a --lang of its own is the global one.
    assert run(capsys, "list", "--lang", "de", "--library", str(second)) == run(
        capsys, "--lang", "de", "--library", str(second), "list"
    )
    code, _, err = run(capsys, "list", "--lang", "qqqqqq")
    assert (code, err.startswith("reader: unknown language 'qqqqqq'")) == (1, True)


@pytest.mark.parametrize("quick", [True, False])
def test_search_takes_library_and_config_dir_after_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, quick: bool
) -> None:
    first, second = two_libraries(tmp_path)
    runner = run if quick else ordinary
    assert (
        run(capsys, "index", "--quiet", "--library", str(first), "--library", str(second))[0] == 0
    )
    code, out, err = runner(
        capsys, "search", "--library", str(first), "zebras", "--library", str(second), "--json"
    )
    assert (code, err) == (0, "")
    assert sorted((hit["key"], hit["language"]) for hit in json.loads(out)) == [
        ("alpha", "en"),
        ("beta", "de"),
    ]
    # The command's own --lang still filters the hits.
    code, out, _ = runner(
        capsys,
        "--library",
        str(first),
        "search",
        "zebras",
        "--lang",
        "de",
        "--library",
        str(second),
    )
    assert (code, [line.split("\t")[:2] for line in out.splitlines()]) == (0, [["beta", "de"]])
    config = tmp_path / "elsewhere"
    config.mkdir()
    (config / "config.toml").write_text(f"libraries = [{str(first)!r}]\n", encoding="utf-8")
    code, out, _ = runner(capsys, "search", "zebras", "--config-dir", str(config))
    assert (code, [line.split("\t")[0] for line in out.splitlines()]) == (0, ["alpha"])
    code, _, err = runner(capsys, "search", "--library", str(tmp_path / "nope"), "zebras")
    assert (code, err) == (1, f"reader: library not found: {tmp_path / 'nope'}\n")


def test_index_takes_the_library_as_an_argument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = two_libraries(tmp_path)
    code, out, _ = run(capsys, "index", str(first), "--quiet")
    assert (code, out.splitlines()[0]) == (0, "1 articles, 1 variants in 1 languages (en)")
    code, out, _ = run(capsys, "index", "--library", str(first), str(second))
    assert (code, out.splitlines()[0]) == (0, "2 articles, 2 variants in 2 languages (de en)")


def test_bookmark_actions_take_global_options_after_the_action(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, _ = two_libraries(tmp_path)
    config = tmp_path / "config"
    code, out, _ = run(
        capsys, "bookmarks", "add", "alpha", "--library", str(first), "--config-dir", str(config)
    )
    assert (code, out) == (0, "bookmarked alpha (en, ¶1)\n")
    code, out, _ = run(capsys, "bookmarks", "--config-dir", str(config), "--json")
    assert (code, [b["key"] for b in json.loads(out)]) == (0, ["alpha"])
    code, out, _ = run(
        capsys, "bookmarks", "remove", "alpha", "--library", str(first), "--config-dir", str(config)
    )
    assert (code, out) == (0, "removed 1 bookmark from alpha\n")


def test_library_after_the_command_as_a_real_process(tmp_path: Path) -> None:
    first, _ = two_libraries(tmp_path)

    def reader(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader", *args], capture_output=True, text=True, cwd=REPO
        )

    indexed = reader("index", str(first), "--quiet")
    assert (indexed.returncode, indexed.stderr) == (0, "")
    assert indexed.stdout.startswith("1 articles, 1 variants")
    found = reader("search", "--library", str(first), "zebras")
    assert (found.returncode, found.stderr) == (0, "")
    assert found.stdout.split("\t")[:3] == ["alpha", "en", "¶1"]
    wrong = reader("index", str(first), "--bogus")
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert wrong.stderr == "reader: unrecognized arguments: --bogus (see 'reader --help')\n"


def test_version_imports_nothing_else() -> None:
    code = (
        "import sys\n"
        "from reader.cli import main\n"
        "main(['--version'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('reader') or m == 'argparse'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout == f"reader {__version__}\n['reader', 'reader.cli']\n"

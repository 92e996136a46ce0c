"""``make mutate``: mutation testing (mutmut 3) of the modules that hold user data and the
reader's promises, one group at a time, each with only the fast tests that cover it.

Each group runs in a copy of the repository under ``.mutmut/<group>/`` (mutmut 3 reads
its settings from ``pyproject.toml``, one set per directory), one test process at a
time (``--max-children``, default 1: the machine is shared). Prints a table: mutants,
killed, survived, equivalent (listed in ``docs/TESTING.md``), score.

    python -m tests.mutation [GROUP...] [--max-children N]
    python -m tests.mutation --table        # the table of the last runs, no new run
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".mutmut"
TESTING = REPO / "docs" / "TESTING.md"


@dataclass(frozen=True)
class Group:
    """Files (and, optionally, only some of their functions) with the tests to run."""

    files: tuple[str, ...]
    tests: tuple[str, ...]
    #: mutmut mutant-name patterns (fnmatch); empty: every function of ``files``.
    functions: tuple[str, ...] = ()


GROUPS: dict[str, Group] = {
    "userdata": Group(
        ("reader/userdata/store.py", "reader/userdata/bookmarks.py", "reader/userdata/notes.py"),
        ("tests/test_userdata_store.py", "tests/test_userdata_models.py"),
    ),
    "sanitize": Group(("reader/sanitize.py",), ("tests/test_sanitize.py",)),
    "search": Group(
        ("reader/library/search.py",),
        ("tests/test_search_folding.py",),
        tuple(
            f"reader.library.search.x_{name}__mutmut_*"
            for name in (
                "fold_for_words",
                "fold_full",
                "_fold_tables",
                "_match_form",
                "match_spans",
                "_find",
                "_is_token_char",
            )
        ),
    ),
    "grouping": Group(
        ("reader/library/scan.py",),
        ("tests/test_scan.py",),
        ("reader.library.scan.x_group_entries__mutmut_*",),
    ),
    # The position kept across a language switch is mapped in article_variants.py (by
    # the paragraph alignment), scrolled to and held by the article body, and followed
    # by the Article screen's status as the reader scrolls (keys or wheel).
    "positioning": Group(
        (
            "reader/tui/widgets/article_body.py",
            "reader/tui/screens/article_reading.py",
            "reader/tui/article_variants.py",
        ),
        # The sentences tests switch to variants with merged paragraphs: they kill 5 of
        # mapped_position's 32 survivors of the viewport tests alone.
        ("tests/test_tui_viewport.py", "tests/test_tui_sentences.py"),
        (
            *(
                f"reader.tui.widgets.article_body.xǁArticleBodyǁ{name}__mutmut_*"
                for name in (
                    "go_to_paragraph",
                    "keep_held",
                    "follow_scroll",
                    "let_go",
                    "on_mouse_scroll_down",
                    "on_mouse_scroll_up",
                )
            ),
            *(
                f"reader.tui.screens.article_reading.xǁArticleReadingǁ{name}__mutmut_*"
                for name in ("_go_to_paragraph", "_scrolled", "_show", "action_paragraph")
            ),
            "reader.tui.article_variants.x_mapped_position__mutmut_*",
            "reader.tui.article_variants.x_switch_from__mutmut_*",
        ),
    ),
    "languages": Group(("reader/languages.py",), ("tests/test_languages.py",)),
}


def prepare(name: str, group: Group) -> Path:
    """A fresh copy of the tracked files with this group's mutmut settings."""
    where = WORK / name
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "reader", "tests", "assets", "pyproject.toml", "README.md"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in tracked:
        if raw:
            relative = raw.decode()
            (where / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / relative, where / relative)
    project = tomllib.loads((where / "pyproject.toml").read_text(encoding="utf-8"))
    project.setdefault("tool", {})["mutmut"] = {
        "source_paths": ["reader"],
        "only_mutate": list(group.files),
        "also_copy": ["assets", "README.md"],
        "pytest_add_cli_args_test_selection": list(group.tests),
        # Stop at the first failing test: a killed mutant needs no more.
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q", "-x"],
        "use_git_change_detection": False,
    }
    (where / "pyproject.toml").write_text(tomli_w.dumps(project), encoding="utf-8")
    return where


def run(name: str, group: Group, max_children: int) -> None:
    where = prepare(name, group)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(max_children), *group.functions]
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    # A screen that never shows what a test waits for fails after this many seconds
    # (tests/tui_helpers.wait_for), not the ordinary 10: most mutants never get there.
    env = {**os.environ, "READER_TEST_WAIT": "3"}
    subprocess.run(command, cwd=where, check=False, env=env)
    subprocess.run([str(mutmut), "export-cicd-stats"], cwd=where, check=False)


def equivalent(name: str) -> set[str]:
    """Survivors judged equivalent: lines ``- `mutant name` (group): why`` in TESTING.md."""
    if not TESTING.exists():
        return set()
    text = TESTING.read_text(encoding="utf-8")
    return set(re.findall(rf"^- `([^`]+)` \({re.escape(name)}\)", text, re.MULTILINE))


def survivors(name: str) -> list[str]:
    where = WORK / name
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run(
        [str(mutmut), "results"], cwd=where, capture_output=True, text=True, check=False
    ).stdout
    return [line.split(":")[0].strip() for line in out.splitlines() if "survived" in line]


def table(names: list[str]) -> int:
    print("| group | mutants | killed | survived | equivalent | killed % |")
    print("|---|---|---|---|---|---|")
    worst = 100.0
    for name in names:
        stats_file = WORK / name / "mutants" / "mutmut-cicd-stats.json"
        if not stats_file.exists():
            print(f"| {name} | (not run) | | | | |")
            continue
        stats = json.loads(stats_file.read_text(encoding="utf-8"))
        # "total" counts every mutant of the files, also those a group's function
        # patterns leave out: count the ones that were run.
        killed = stats["killed"] + stats.get("timeout", 0) + stats.get("caught_by_type_check", 0)
        total = killed + sum(
            stats.get(key, 0) for key in ("survived", "no_tests", "suspicious", "segfault")
        )
        alive = survivors(name)
        judged = len(equivalent(name) & set(alive))
        counted = max(1, total - judged)
        score = 100 * killed / counted
        worst = min(worst, score)
        print(f"| {name} | {total} | {killed} | {len(alive)} | {judged} | {score:.1f} |")
        for mutant in alive:
            if mutant not in equivalent(name):
                print(f"    survived: {mutant}")
    return 0 if worst >= 85 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=", ".join(GROUPS))
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--table", action="store_true", help="only print the last results")
    arguments = parser.parse_args()
    names = arguments.groups or list(GROUPS)
    unknown = [name for name in names if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group {unknown[0]!r} (groups: {', '.join(GROUPS)})")
    if not arguments.table:
        for name in names:
            run(name, GROUPS[name], arguments.max_children)
    return table(names)


if __name__ == "__main__":
    sys.exit(main())

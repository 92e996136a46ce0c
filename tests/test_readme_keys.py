"""The README's Keys table and the app's bindings agree, both ways.

Every key a row documents for the Library or the Article screen answers there (some
binding of that screen, its focused widget or the app holds it), and every binding of
the reader's own (one with an id) has at least one of its keys documented in the
column of its screen (the app's own bindings: in either column). A key added without
a README row, or a row whose key went away, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from textual.keys import _character_to_key

from reader.library import bundled_library_path
from tests.conftest import REPO
from tests.tui_helpers import make_app, settle

#: README words for keys, in Textual's names.
_NAMES = {
    "arrows": ("up", "down"),
    "pgdn": ("pagedown",),
    "pgup": ("pageup",),
    "esc": ("escape",),
}


def _textual_keys(token: str) -> tuple[str, ...]:
    token = token.strip()
    if token in _NAMES:
        return _NAMES[token]
    if len(token) == 1 and not token.isalnum():
        return (_character_to_key(token),)
    return (token,)


def keys_table() -> list[tuple[set[str], str, str]]:
    """(keys, Library cell, Article cell) for each row of the README's Keys table."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    rows: list[tuple[set[str], str, str]] = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| key ") or line.startswith("|---"):
            continue
        key_cell, library, article = (cell.strip() for cell in line.strip()[1:-1].split("|"))
        keys: set[str] = set()
        for token in re.findall(r"`([^`]+)`", key_cell):
            keys.update(_textual_keys(token))
        for word in re.sub(r"`[^`]+`", " ", key_cell).replace(",", " ").split():
            if word in _NAMES:
                keys.update(_NAMES[word])
        rows.append((keys, library, article))
    return rows


def documented(column: int) -> set[str]:
    """Keys the table documents for the Library (1) or the Article (2) screen."""
    return {key for row in keys_table() if row[column] for key in row[0]}


def test_the_table_is_read() -> None:
    rows = keys_table()
    assert len(rows) >= 20
    assert {"j", "k", "up", "down", "pagedown", "g", "G"} <= documented(1)
    assert {"J", "K", "left_square_bracket", "right_curly_bracket", "b", "l"} <= documented(2)
    assert "J" not in documented(1)


async def _bindings(config_dir: Path) -> dict[str, dict[str, tuple[str | None, str, bool]]]:
    """{screen: {key: (binding id, binding's keys, from the app)}} as the app runs."""
    app = make_app(bundled_library_path(), config_dir)
    found: dict[str, dict[str, tuple[str | None, str, bool]]] = {}
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        for name in ("library", "article"):
            if name == "article":
                app.open_article("gpu-training-dilemma")
                await settle(pilot)
            found[name] = {
                key: (active.binding.id, active.binding.key, isinstance(active.node, App))
                for key, active in app.screen.active_bindings.items()
            }
    return found


async def test_every_documented_key_answers_and_every_binding_is_documented(
    config_dir: Path,
) -> None:
    bindings = await _bindings(config_dir)
    either = documented(1) | documented(2)
    problems: list[str] = []
    for column, name in ((1, "library"), (2, "article")):
        keys = documented(column)
        for key in sorted(keys - set(bindings[name])):
            problems.append(f"README documents {key!r} on the {name} screen: nothing is bound")
        # Textual splits "g,home" into one binding a key: gather them again by id.
        by_id: dict[str, tuple[set[str], bool]] = {}
        for key, (binding_id, _, from_app) in bindings[name].items():
            if binding_id is not None:  # None: Textual's own (tab, ctrl+c, ctrl+q)
                by_id.setdefault(binding_id, (set(), from_app))[0].add(key)
        for binding_id, (all_keys, from_app) in sorted(by_id.items()):
            if not all_keys & (either if from_app else keys):
                problems.append(
                    f"{binding_id} ({', '.join(sorted(all_keys))}) on the {name} screen "
                    "is not in the README"
                )
    assert not problems, "\n".join(problems)

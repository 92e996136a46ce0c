"""The key bindings as one source of truth: what the help screen lists and ``[keys]`` remaps.

Every screen, modal and widget of the reader declares its keys in ``BINDINGS``, each
binding with an ``id`` (``article.bookmark``). This module finds them all (by importing
the TUI's modules, so a new screen needs no registration), groups them by the
``HELP_SECTION`` their class names, and checks a user's ``[keys]`` table against them:
an unknown id, a key Textual cannot read, or a key taken by another binding on the
same screen is a one-line problem, and only the good entries are applied.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, key_to_character

#: Sections in the order the help screen shows them; any other follows, by name.
SECTION_ORDER = ("Everywhere", "Library", "Article", "Search", "Bookmarks", "Notes")

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value for key in Keys) | {"space", "tab", "enter", "backspace"}


@dataclass(frozen=True)
class KeyedClass:
    """A screen, modal or widget with bindings of its own.

    Attributes:
        section: The help section its keys are listed in (``HELP_SECTION``).
        name: The class's qualified name, e.g. ``reader.tui.screens.article_screen.ArticleScreen``.
        bindings: Its bindings, inherited ones included, in declaration order.
    """

    section: str
    name: str
    bindings: tuple[Binding, ...]


def _import_tui_modules() -> None:
    """Import every module of ``reader.tui`` so that every bound class exists."""
    import reader.tui as package

    for module in pkgutil.walk_packages(package.__path__, "reader.tui."):
        importlib.import_module(module.name)


def _own_bindings(cls: type[DOMNode]) -> tuple[Binding, ...]:
    """The bindings of ``cls`` and of its bases within the reader, the subclass's winning."""
    by_id: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        if not base.__module__.startswith("reader.") or "BINDINGS" not in base.__dict__:
            continue
        declared: dict[str, Binding] = {}
        for binding in Binding.make_bindings(base.__dict__["BINDINGS"]):
            # make_bindings gives one binding per key ("j,down": two); keep one per id.
            identity = binding.id or f"{binding.action}:{binding.description}"
            earlier = declared.get(identity)
            key = binding.key if earlier is None else f"{earlier.key},{binding.key}"
            declared[identity] = replace(binding, key=key)
        by_id.update(declared)
    return tuple(by_id.values())


def _subclasses(root: type[DOMNode]) -> Iterable[type[DOMNode]]:
    for cls in root.__subclasses__():
        yield cls
        yield from _subclasses(cls)


@cache
def keyed_classes() -> tuple[KeyedClass, ...]:
    """Every class of the reader's interface that has bindings, in help order.

    A class that only serves as the base of others (``EntryListScreen``) is listed
    through its subclasses, whose sections show the inherited keys too.
    """
    _import_tui_modules()
    found = {
        cls
        for cls in _subclasses(DOMNode)
        if cls.__module__.startswith("reader.tui") and _own_bindings(cls)
    }
    leaves = [
        cls
        for cls in found
        if not any(other is not cls and cls in other.__mro__ for other in found)
    ]

    def order(cls: type[DOMNode]) -> tuple[int, str, str, str]:
        section = _section(cls)
        known = SECTION_ORDER.index(section) if section in SECTION_ORDER else 99
        # Within a section, by module name without its package (``article_list`` before
        # ``library_screen``, whether a widget or a screen): the help's order does not
        # follow where a file sits.
        return (known, section, cls.__module__.rsplit(".", 1)[-1], cls.__qualname__)

    return tuple(
        KeyedClass(
            section=_section(cls),
            name=f"{cls.__module__}.{cls.__qualname__}",
            bindings=_own_bindings(cls),
        )
        for cls in sorted(leaves, key=order)
    )


def _section(cls: type[DOMNode]) -> str:
    """The help section of ``cls``'s keys (its ``HELP_SECTION``, else its name)."""
    return str(getattr(cls, "HELP_SECTION", "") or cls.__name__)


def binding_ids() -> frozenset[str]:
    """Every binding id of the interface: the names ``[keys]`` in ``config.toml`` takes."""
    return frozenset(
        binding.id for keyed in keyed_classes() for binding in keyed.bindings if binding.id
    )


def key_problem(keys: str) -> str | None:
    """Why a ``[keys]`` value is not a key Textual can bind, or ``None`` if it is.

    Args:
        keys: One key (``"m"``, ``"ctrl+l"``, ``"f5"``, ``"?"``) or several, comma-separated.
    """
    for key in keys.split(","):
        key = key.strip()
        if not key:
            return f"{keys!r} has an empty key"
        if len(key) == 1:
            if not key.isprintable() or key.isspace():
                return f"{key!r} is not a key"
            continue
        *modifiers, base = key.split("+")
        if any(modifier not in _MODIFIERS for modifier in modifiers) or not base:
            return f"{key!r} is not a key (modifiers are ctrl, shift, alt, meta)"
        if len(base) == 1 or base in _NAMED_KEYS or key_to_character(base) is not None:
            continue
        return f"{key!r} is not a key (try a letter, f5, ctrl+l, pagedown)"
    return None


def normalize_keys(keys: str) -> list[str]:
    """The keys of a comma-separated key string, in Textual's long form.

    ``?`` becomes ``question_mark``, as Textual names keys in bindings.
    """
    return [
        _character_to_key(key) if len(key) == 1 else key
        for key in (k.strip() for k in keys.split(","))
    ]


def effective_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that trigger ``binding`` once ``keymap`` (binding id -> keys) is applied."""
    if binding.id is not None and binding.id in keymap:
        return normalize_keys(keymap[binding.id])
    return normalize_keys(binding.key)


def check_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Split a user's ``[keys]`` table into what can be applied and one-line problems.

    Args:
        keymap: Binding id to key(s), as given in ``config.toml``.

    Returns:
        The entries to apply, and a message for each one that was left out (unknown
        id, unreadable key) or that takes a key another binding of the same screen
        already answers to (applied all the same: the user asked for it, and Textual
        gives the remapped binding the key).
    """
    known = binding_ids()
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            problems.append(
                f"[keys] {binding_id!r} is no binding id (the help screen, ?, lists them)"
            )
            continue
        reason = key_problem(keys)
        if reason is not None:
            problems.append(f"[keys] {binding_id}: {reason}")
            continue
        usable[binding_id] = keys
    problems.extend(_collisions(usable))
    return usable, problems


def _collisions(keymap: Mapping[str, str]) -> list[str]:
    """Remapped keys that another binding of the same screen (or the app) also answers to."""
    everywhere = [k for k in keyed_classes() if k.section == "Everywhere"]
    problems: list[str] = []
    reported: set[tuple[str, str, str]] = set()
    for keyed in keyed_classes():
        chain = [*everywhere, keyed] if keyed.section != "Everywhere" else [keyed]
        sections = {k.section for k in chain}
        bindings = [b for k in keyed_classes() if k.section in sections for b in k.bindings]
        owners: dict[str, list[Binding]] = {}
        for binding in bindings:
            for key in effective_keys(binding, keymap):
                owners.setdefault(key, []).append(binding)
        for key, holders in owners.items():
            ids = sorted({b.id or b.action for b in holders})
            remapped = [i for i in ids if i in keymap]
            if len(ids) > 1 and remapped:
                entry = (key, ids[0], ids[1])
                if entry not in reported:
                    reported.add(entry)
                    problems.append(f"[keys] {' and '.join(ids)} both answer to {key!r}")
    return problems


@dataclass(frozen=True)
class HelpRow:
    """One line of the help screen: the keys as shown, and what they do."""

    keys: str
    what: str
    binding_id: str


def help_sections(
    keymap: Mapping[str, str], display: Callable[[str], str]
) -> list[tuple[str, list[HelpRow]]]:
    """The help screen's sections, drawn from the bindings with ``keymap`` applied.

    Args:
        keymap: The user's key map (binding id -> keys), already checked.
        display: How one key is shown (``App.get_key_display`` of a one-key binding).

    Returns:
        ``(section, rows)`` in help order; a binding shared by several classes of a
        section (the Library screen and its list) is listed once.
    """
    sections: dict[str, list[HelpRow]] = {}
    seen: set[tuple[str, str]] = set()
    for keyed in keyed_classes():
        rows = sections.setdefault(keyed.section, [])
        for binding in keyed.bindings:
            identity = (keyed.section, binding.id or binding.action)
            if identity in seen:
                continue
            seen.add(identity)
            shown = ", ".join(display(key) for key in effective_keys(binding, keymap))
            rows.append(HelpRow(shown, binding.tooltip or binding.description, binding.id or ""))
    return [(section, rows) for section, rows in sections.items() if rows]

"""No import cycle between the interface's modules, type-only imports included.

``lint-imports`` (``make lint``) checks that no package's modules import each other in a
loop, leaving out imports under ``if TYPE_CHECKING:`` (the library still has such a
loop). The interface is held to more: a screen is handed the library, the user's data
and the preferences when the app pushes it, so nothing in ``reader.tui`` imports the
app back, not even for a type.
"""

from __future__ import annotations

import grimp

#: The interface's packages whose modules must not import each other in a loop.
TUI_PACKAGES = ("reader.tui", "reader.tui.screens", "reader.tui.widgets", "reader.tui.modals")


def test_the_interface_modules_import_each_other_in_no_loop() -> None:
    graph = grimp.build_graph("reader", exclude_type_checking_imports=False, cache_dir=None)
    for package in TUI_PACKAGES:
        assert graph.nominate_cycle_breakers(package) == set(), package

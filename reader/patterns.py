"""Regular expressions compiled on first use, so that importing a module costs no `re`.

`reader search` starts in about twice the time of `reader --version`; importing
:mod:`re` alone is a fifth of that, and a search of Latin-script text needs no pattern.
This module imports nothing at start.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import re

_compiled: dict[str, re.Pattern[str]] = {}


def compiled(source: str) -> re.Pattern[str]:
    """``re.compile(source)``, compiled (and :mod:`re` imported) the first time it is asked
    for; a dictionary lookup after that."""
    pattern = _compiled.get(source)
    if pattern is None:
        import re

        pattern = _compiled[source] = re.compile(source)
    return pattern

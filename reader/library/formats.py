"""The page file formats the library reads, by file extension.

Its own tiny module so that the command line's quick path can ask "does this directory
hold pages?" without importing the scanner.

Never imports Textual.
"""

from __future__ import annotations

#: Extension (lower case) -> kind of page: ``"markdown"`` or ``"text"``.
PAGE_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}

"""The rules the search index and the catalog file must agree on.

Below both :mod:`reader.library.search` and :mod:`reader.library.catalog_file`, so that
neither imports the other for them (the quick ``reader search`` path reads the catalog
file without the catalog module).
"""

from __future__ import annotations

#: Bump when :func:`reader.library.search.index_text` changes: the catalog then rebuilds
#: its index, because a contentless FTS5 row can only be deleted with exactly the text it
#: was indexed with.
INDEX_VERSION = 1
#: Paragraph index that stands for the title in the index (``rowid & 0xFFFF``).
TITLE_INDEX = 0xFFFF

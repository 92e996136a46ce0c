"""The rules the search index and the catalog file must agree on.

Below both :mod:`reader.library.search` and :mod:`reader.library.catalog_file`, so that
neither imports the other for them (the quick ``reader search`` path reads the catalog
file without the catalog module).

How a variant is stored (see ``docs/DESIGN.md``, "The index of a large vocabulary"):

* its texts (the blocks, then the title) are one row of the ``texts`` table, keyed by
  the variant id: the texts joined by NUL (which :func:`reader.sanitize.clean` never
  leaves in a text) and compressed with raw deflate (:func:`pack_texts`);
* its title is the ``fts_titles`` row ``id``, block ``index`` the ``fts`` row
  ``id << 3 | index`` for the first :data:`LOW_BLOCKS` blocks and
  ``index << VARIANT_BITS | id`` for the others (:func:`block_rowid`; the two ranges
  meet at :data:`HIGH_ROWIDS`). FTS5 stores the first rowid of each word's list whole
  and the others as differences: ``id << 16 | index`` took five bytes for every word
  that occurs once (in a library of random words, nearly every word), this takes three
  (up to 262,144 variants), and the differences between the rows of a common word
  shrink from three bytes to one.
"""

from __future__ import annotations

#: Bump when :func:`reader.library.search.index_text` or the layout of the index and
#: texts changes: the catalog then rebuilds its index, because a contentless FTS5 row
#: can only be deleted with exactly the text it was indexed with.
INDEX_VERSION = 2
#: Paragraph index that stands for the title in a search hit's key (``key & 0xFFFF``).
TITLE_INDEX = 0xFFFF
#: Bits of an ``fts`` rowid that hold the variant id (the block index is above them).
VARIANT_BITS = 24
VARIANT_MASK = (1 << VARIANT_BITS) - 1
#: Variant ids stay below this; a catalog whose ids would reach it is rebuilt.
MAX_VARIANT_ID = VARIANT_MASK
#: Blocks of a variant whose rowid is ``id << LOW_BITS | index`` (most articles have no
#: more paragraphs than this); the rowids of the others start at :data:`HIGH_ROWIDS`.
LOW_BITS = 3
LOW_BLOCKS = 1 << LOW_BITS
HIGH_ROWIDS = LOW_BLOCKS << VARIANT_BITS
#: Between the texts of one variant in its ``texts`` row.
SEPARATOR = "\x00"
#: Raw deflate (no header), a 4 KiB window: most variants are a few KiB, and a smaller
#: window makes each compression object cheaper to set up, for the same size.
_WBITS = -12
_LEVEL = 1
_MEM_LEVEL = 5


def block_rowid(variant: int, index: int) -> int:
    """The ``fts`` rowid of block ``index`` of variant ``variant``."""
    if index < LOW_BLOCKS:
        return variant << LOW_BITS | index
    return index << VARIANT_BITS | variant


#: SQL for the variant id of an ``fts`` rowid, and for the key of a search hit
#: (``variant id << 16 | block index``), the inverse of :func:`block_rowid`.
SQL_VARIANT = (
    f"(CASE WHEN rowid < {HIGH_ROWIDS} THEN rowid >> {LOW_BITS} ELSE rowid & {VARIANT_MASK} END)"
)
SQL_HIT_KEY = (
    f"(CASE WHEN rowid < {HIGH_ROWIDS}"
    f" THEN (rowid >> {LOW_BITS}) << 16 | (rowid & {LOW_BLOCKS - 1})"
    f" ELSE (rowid & {VARIANT_MASK}) << 16 | (rowid >> {VARIANT_BITS}) END)"
)


def pack_texts(texts: tuple[str, ...] | list[str]) -> bytes:
    """The ``texts`` row of a variant: its texts, NUL-separated, compressed."""
    import zlib

    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEM_LEVEL)
    data = SEPARATOR.join(texts).encode("utf-8", "surrogatepass")
    return packer.compress(data) + packer.flush()


def unpack_texts(packed: bytes) -> list[str]:
    """The texts :func:`pack_texts` packed (blocks, then the title)."""
    import zlib

    return zlib.decompress(packed, _WBITS).decode("utf-8", "surrogatepass").split(SEPARATOR)

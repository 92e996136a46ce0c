"""The rules the search index and the catalog file must agree on.

Below both :mod:`reader.library.search` and :mod:`reader.library.catalog_file`, so that
neither imports the other for them (the quick ``reader search`` path reads the catalog
file without the catalog module).

How a variant is stored (see ``docs/DESIGN.md``, "The index of a large vocabulary"):

* its texts (the blocks, then the title) are joined by NUL (which
  :func:`reader.sanitize.clean` never leaves in a text) and compressed with raw deflate
  (:func:`pack_texts`), then cut into pieces of at most about :data:`TEXT_PIECE_BYTES`,
  the ``texts`` rows ``id << TEXT_PIECE_BITS | piece`` (:func:`text_rows`). One row of
  1-2 KiB per variant filled a 4 KiB page two to a page (a fifth of the table was
  slack); rows of a few hundred bytes fill it to ~93 %;
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

# `reader search` imports this module: no `typing`, and sqlite3 only for the checker.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from sqlite3 import Connection

#: Bump when :func:`reader.library.search.index_text` or the layout of the index and
#: texts changes: the catalog then rebuilds its index, because a contentless FTS5 row
#: can only be deleted with exactly the text it was indexed with.
INDEX_VERSION = 3
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
#: A variant's packed texts are cut into ``texts`` rows of at most this many bytes (the
#: last rows of a variant that needs more than 2^TEXT_PIECE_BITS of them are longer).
#: Measured on the random-word benchmark library (1.4 KiB a variant): 400-600 bytes
#: fill 4 KiB pages to 91 %, 1,000 to 90 %, whole rows to 80 %.
TEXT_PIECE_BYTES = 600
#: Bits of a ``texts`` rowid that hold the piece number (the variant id is above them).
TEXT_PIECE_BITS = 8
#: SQL for the pieces of one variant's texts, in order (parameters: :func:`text_range`).
SQL_TEXT_PIECES = "SELECT body FROM texts WHERE id >= ? AND id < ? ORDER BY id"
#: Between the texts of one variant in its ``texts`` rows.
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


def text_rows(variant: int, packed: bytes) -> list[tuple[int, bytes]]:
    """The ``texts`` rows ``(rowid, piece)`` of a variant's :func:`pack_texts` bytes."""
    pieces = min(1 << TEXT_PIECE_BITS, -(-len(packed) // TEXT_PIECE_BYTES) or 1)
    size = -(-len(packed) // pieces) or 1  # equal pieces: no short last row
    base = variant << TEXT_PIECE_BITS
    return [
        (base | number, packed[start : start + size])
        for number, start in enumerate(range(0, len(packed) or 1, size))
    ]


def text_range(variant: int) -> tuple[int, int]:
    """The rowids of a variant's ``texts`` rows: ``low <= rowid < high``."""
    return variant << TEXT_PIECE_BITS, (variant + 1) << TEXT_PIECE_BITS


def read_texts(conn: Connection, variant: int) -> list[str] | None:
    """A variant's texts (blocks, then the title) as stored, or ``None`` if it has none."""
    pieces = conn.execute(SQL_TEXT_PIECES, text_range(variant)).fetchall()
    if not pieces:
        return None
    return unpack_texts(b"".join(piece for (piece,) in pieces))

"""Full-text search over every variant of every article, in any language.

The catalog (:mod:`reader.library.catalog`) indexes each variant paragraph by paragraph
(FTS5 rowid made of the variant id and paragraph index, see :mod:`reader.library.index_text`),
so that a hit can open the article at the matching paragraph. Titles have an FTS5 table
of their own, ``fts_titles`` (rowid = variant id), the other paragraphs are in ``fts``.
Hits in titles come first, then paragraphs; each by ``bm25`` without length
normalisation (the index keeps no row lengths: reading them was most of the time of
ranking many matches). When the titles alone hold enough hits, the paragraphs are not
ranked at all, so a word common in titles is found as fast as a rare one. Both tables
are tokenised with
``unicode61 remove_diacritics 2`` (combining marks count as parts of words, so
Devanagari words stay whole), for every script:

* Spaced scripts (Latin, Cyrillic, Greek, Devanagari…) are indexed by word, case- and
  accent-insensitively: ``uberraschung`` finds ``Überraschung``. ``unicode61`` does not
  fold the Greek tonos or ``ё``, so :func:`fold_for_words` does, before indexing and on
  the query (``πολυ`` finds ``πολύ``).
* Runs of Chinese, Japanese and Korean characters are pre-segmented into overlapping
  bigrams plus the run's last character (``训练技术`` -> ``训练 练技 技术 术``), the
  CJKAnalyzer scheme. A query run becomes the phrase of its bigrams, one character a
  prefix, so any substring of one or more characters is found through the index.
  Unlike a ``trigram`` table, it lets one- and two-character queries use the index
  (no table scan), and it is smaller and faster to build.
  It also makes Chinese quoted inside an English article searchable. Thai, Lao, Khmer
  and Burmese, which have no spaces either, are not segmented: a run is one token, so
  only its beginning is found (by prefix).

The original text sits once, compressed, in the ``texts`` table (in pieces, see
:mod:`reader.library.index_text`); snippets and highlight
offsets are computed here, in Python, as a plain string and ``(start, end)`` offsets.
Nothing here ever returns markup.

Query syntax: words (all must match; a word of three or more characters also matches
as a prefix) and ``"quoted phrases"``. Everything else (``-``, ``*``, ``AND``, ``(``,
unbalanced quotes) is taken literally: user input reaches FTS5 only inside quoted
strings, so a query never raises.
"""

from __future__ import annotations

# sqlite3 is _sqlite3 plus datetime adapters this module never uses: importing _sqlite3
# alone (the same classes) saves `reader search` ~2 ms, a tenth of `reader --version`.
import _sqlite3 as sqlite3
import unicodedata

from reader.library.index_text import SQL_HIT_KEY, SQL_VARIANT, TITLE_INDEX, read_texts
from reader.patterns import compiled
from reader.sanitize import clean

# `reader search` imports this module: no `typing` (~4 ms with what it pulls in), no
# `functools`, and `re` (~4 ms) only once a pattern is needed, which a query in a
# script other than Greek, Cyrillic and CJK never needs.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import re
    from contextlib import AbstractContextManager
    from typing import Protocol

    class SearchableCatalog(Protocol):
        """What :func:`search` needs of a catalog: its connection, held for a few
        statements (a :class:`~reader.library.catalog.Catalog`, or a
        :class:`~reader.library.catalog_file.CatalogReader` on the quick path)."""

        def connection(self) -> AbstractContextManager[sqlite3.Connection]:
            """The connection, held until the ``with`` block ends."""
            ...


#: Terminal cells a snippet aims for (a CJK character takes two).
SNIPPET_CELLS = 110
#: Longest query looked at, and most terms used from it.
MAX_QUERY_CHARS = 400
MAX_TERMS = 12
#: Prefix matching starts at this many characters (shorter words match whole words).
PREFIX_MIN = 3

_CJK = (
    "\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
)
# Compiling these two takes ~5 ms: a query compiles them only if it may hold CJK at all
# (see _may_have_cjk).
_CJK_RUN = f"[{_CJK}]+"
_CJK_CHAR = f"[{_CJK}]"
_FOLD_WORDS_NEEDED = "[\u0370-\u03ff\u1f00-\u1fff\u0401\u0451]"
# Control characters, bidi controls and tag characters become spaces in snippets (one
# for one, so highlight offsets stay right); newlines too, a snippet is one line. None
# of them is printable, so printable text needs no look.
_SNIPPET_BLANK_RANGES = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x2028, 0x202E),
    (0x2066, 0x2069),
    (0xE0000, 0xE007F),
)


def _may_have_cjk(text: str) -> bool:
    """``False`` when ``text`` certainly holds no CJK character (every one is above
    U+3040), without the CJK patterns."""
    # isascii() is O(1); max() is a Python-level loop (~10 ns a character).
    return not text.isascii() and max(text) >= "\u3040"


# Plain classes, not NamedTuples or dataclasses: `reader search` must not pay for
# importing typing or dataclasses.
class SearchHit:
    """One search result: the best matching paragraph of one language variant.

    Attributes:
        key: Article key.
        language: Language tag of the variant that matched.
        title: That variant's title (untrusted text).
        paragraph: Index of the matching block (``0`` when the title matched).
        snippet: About 110 cells of the paragraph around the match, on one line, with
            control characters replaced by spaces; ``…`` marks cut ends. Untrusted
            text: show it as plain text, never as markup.
        highlights: ``(start, end)`` character offsets of the matches in ``snippet``.
        score: Rank, lower is better (FTS5 ``bm25``).
        in_title: ``True`` if the title matched rather than a paragraph.
    """

    __slots__ = (
        "highlights",
        "in_title",
        "key",
        "language",
        "paragraph",
        "score",
        "snippet",
        "title",
    )

    def __init__(
        self,
        key: str,
        language: str,
        title: str,
        paragraph: int,
        snippet: str,
        highlights: tuple[tuple[int, int], ...],
        score: float = 0.0,
        in_title: bool = False,
    ) -> None:
        self.key = key
        self.language = language
        self.title = title
        self.paragraph = paragraph
        self.snippet = snippet
        self.highlights = highlights
        self.score = score
        self.in_title = in_title

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchHit):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"SearchHit({fields})"


class _Term:
    """One query term: a word, or a quoted phrase."""

    __slots__ = ("phrase", "text")

    def __init__(self, text: str, phrase: bool) -> None:
        self.text = text
        self.phrase = phrase


# --- folding and segmenting ----------------------------------------------------------------


_FoldTables = tuple[dict[int, str], dict[int, str]]
_fold_tables_made: _FoldTables | None = None


def _fold_tables() -> _FoldTables:
    """Return the (full, words-only) one-character-for-one folding tables (~1 ms, once)."""
    global _fold_tables_made
    if _fold_tables_made is not None:
        return _fold_tables_made
    full: dict[int, str] = {}
    for low, high in ((0x00C0, 0x0400), (0x1E00, 0x2000)):
        for code in range(low, high):
            decomposed = unicodedata.normalize("NFD", chr(code))
            base, marks = decomposed[0], decomposed[1:]
            if marks and not unicodedata.combining(base) and all(map(unicodedata.combining, marks)):
                full[code] = base
    # Cyrillic: only ё is commonly written as е; й, ї, ў are letters of their own.
    full[0x0401], full[0x0451] = "Е", "е"
    full[0x03C2] = "σ"  # final sigma
    words = {
        code: base
        for code, base in full.items()
        if 0x0370 <= code < 0x0400 or 0x1F00 <= code < 0x2000 or code in (0x0401, 0x0451)
    }
    _fold_tables_made = full, words
    return _fold_tables_made


def fold_for_words(text: str) -> str:
    """Fold what ``unicode61 remove_diacritics 2`` leaves alone: Greek accents, ``ς``, ``ё``.

    The result has exactly as many characters as ``text``.
    """
    if text.isascii():  # O(1): a query in Latin script needs no pattern
        return text
    # In the index, most paragraphs need nothing: the search is faster than translate.
    if compiled(_FOLD_WORDS_NEEDED).search(text) is None:
        return text
    return text.translate(_fold_tables()[1])


def fold_full(text: str) -> str:
    """Strip diacritics from Latin, Greek and ``ё``, one character for one."""
    if text.isascii():
        return text
    return text.translate(_fold_tables()[0])


def _characters(match: re.Match[str]) -> str:
    return " " + " ".join(match.group()) + " "


def index_text(text: str) -> str:
    """Return the form of a paragraph that goes into the FTS5 index.

    Greek accents and ``ё`` are folded, and runs of CJK characters are split into their
    characters.
    """
    text = fold_for_words(text)
    if compiled(_CJK_CHAR).search(text) is None:
        return text
    return compiled(_CJK_RUN).sub(_characters, text)


def _query_form(text: str) -> tuple[str, bool]:
    """Return a term's text for an FTS5 string, and whether it must be a prefix.

    A CJK character is a word of its own (as :func:`index_text` makes it), so a run of
    them is matched as the phrase of its characters, and never as a prefix.
    """
    text = fold_for_words(text)
    if not (_may_have_cjk(text) and compiled(_CJK_CHAR).search(text)):
        return text, len(text.strip()) >= PREFIX_MIN
    spaced = compiled(_CJK_RUN).sub(_characters, text)
    last = text.rstrip()[-1:]
    return spaced, compiled(_CJK_CHAR).match(last) is None and len(spaced.split()[-1]) >= PREFIX_MIN


def _match_form(text: str) -> str:
    """Fold and lower-case ``text`` for highlighting, keeping its length."""
    folded = fold_full(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        lowered = "".join(low if len(low := c.lower()) == 1 else c for c in folded)
    # lower() turns a word-final Σ into ς (ΑΝΑΠΤΥΞΗΣ -> αναπτυξης), after the fold that
    # made every ς of the text σ: fold it again, or a query in capitals marks nothing.
    return lowered.replace("ς", "σ")


def _is_token_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


# --- the query -----------------------------------------------------------------------------


def _terms(query: str) -> list[_Term]:
    text = unicodedata.normalize("NFC", query[:MAX_QUERY_CHARS])
    terms: list[_Term] = []
    for raw, phrase in split_query(text):
        part = " ".join(raw.split())
        if part and any(_is_token_char(char) for char in part):
            terms.append(_Term(part, phrase))
    return terms[:MAX_TERMS]


def split_query(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(part, is_phrase)``: each ``"…"`` is a phrase (an unclosed
    quote runs to the end), and each run of other non-space characters a word."""
    parts: list[tuple[str, bool]] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            if end == -1:
                end = length
            parts.append((text[position + 1 : end], True))
            position = end + 1
        elif char.isspace():
            position += 1
        else:
            end = position + 1
            while end < length and text[end] != '"' and not text[end].isspace():
                end += 1
            parts.append((text[position:end], False))
            position = end
    return parts


def match_expression(terms: list[_Term]) -> str:
    """Build the FTS5 query: every term a quoted string, ANDed; never an operator."""
    parts = []
    for term in terms:
        text, prefix = _query_form(term.text)
        prefix = prefix and not term.phrase
        parts.append('"' + text.replace('"', '""') + '"' + (" *" if prefix else ""))
    return " AND ".join(parts)


# --- running it ---------------------------------------------------------------------------

_Candidate = tuple[float, int]  # (bm25, key): key = variant id << 16 | paragraph index


def search(
    catalog: SearchableCatalog, query: str, language: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Search every variant in the catalog.

    Args:
        catalog: An open catalog (it is not refreshed here), or a read-only one.
        query: What the user typed: words and ``"phrases"``; never raises on odd input.
        language: Only variants in this language (``zh`` also matches ``zh-CN``).
        limit: At most this many hits, each a different (article, language).

    Returns:
        Hits, best first, at most one per article and language. Empty if the catalog
        turned out to be damaged (it is then rebuilt empty; refresh it).
    """
    from reader.library.catalog_file import CatalogCorruptError

    terms = _terms(query)
    if not terms or limit <= 0:
        return []
    expression = match_expression(terms)
    try:
        with catalog.connection() as conn:
            fetch = max(limit * 8, 64)
            while True:
                candidates = _candidates(conn, "fts_titles", expression, language, fetch)
                complete = len(candidates) < fetch  # every title that matches is in
                chosen = _best_per_variant(conn, candidates, limit)
                if len(chosen) < limit and complete:
                    paragraphs = _candidates(conn, "fts", expression, language, fetch)
                    complete = len(paragraphs) < fetch
                    chosen = _best_per_variant(conn, candidates + paragraphs, limit)
                if len(chosen) >= limit or complete:
                    break
                fetch *= 4
            return _hits(conn, chosen, terms)
    except CatalogCorruptError:
        return []


def _candidates(
    conn: sqlite3.Connection, table: str, expression: str, language: str | None, fetch: int
) -> list[_Candidate]:
    """The ``fetch`` best matches in ``table`` (``fts`` or ``fts_titles``), best first.

    Each as ``(bm25, variant id << 16 | paragraph index)``, the title's index being
    :data:`TITLE_INDEX`, whichever table it came from.
    """
    if table == "fts":
        variant, key = SQL_VARIANT, SQL_HIT_KEY
    else:
        variant = "rowid"
        key = f"rowid << 16 | {TITLE_INDEX}"
    where = ""
    params: list[object] = [expression]
    if language:
        where = f" AND {variant} IN (SELECT id FROM variants WHERE language = ? OR language LIKE ?)"
        params += [language, language.replace("%", "").replace("_", "") + "-%"]
    try:
        # ORDER BY bm25(), not rank: FTS5's own sort by rank takes twice as long.
        rows = conn.execute(
            f"SELECT bm25({table}), {key} FROM {table} WHERE {table} MATCH ?{where}"
            f" ORDER BY bm25({table}) LIMIT ?",
            [*params, fetch],
        ).fetchall()
    except sqlite3.OperationalError:
        return []  # a query FTS5 still refuses finds nothing rather than failing
    return [(score, key) for score, key in rows]


def _best_per_variant(
    conn: sqlite3.Connection, candidates: list[_Candidate], limit: int
) -> list[tuple[_Candidate, tuple[str, str, str]]]:
    """The best candidate of each (article, language), best first, at most ``limit``.

    Variants are looked up in rank order, only as many as may still be chosen at a
    time: usually ``limit`` lookups, not one per candidate (each is a page read on a
    fresh connection, ~20 µs, a tenth of a ``reader search`` of 160 candidates).
    """
    firsts: list[_Candidate] = []  # the best candidate of each variant, in rank order
    variants: set[int] = set()
    for candidate in candidates:
        if candidate[1] >> 16 not in variants:
            variants.add(candidate[1] >> 16)
            firsts.append(candidate)
    chosen: list[tuple[_Candidate, tuple[str, str, str]]] = []
    seen: set[tuple[str, str]] = set()
    start = 0
    while start < len(firsts) and len(chosen) < limit:
        batch = firsts[start : start + min(limit - len(chosen), 500)]
        start += len(batch)
        ids = [rowid >> 16 for _, rowid in batch]
        info: dict[int, tuple[str, str, str]] = {}
        for vid, key, language, title in conn.execute(
            "SELECT id, article_key, language, title FROM variants"
            f" WHERE id IN ({','.join('?' * len(ids))}) AND article_key IS NOT NULL",
            ids,
        ):
            info[vid] = (key, language, title)
        for candidate in batch:
            variant = info.get(candidate[1] >> 16)
            if variant is None or (variant[0], variant[1]) in seen:
                continue  # a page with no article, or a second file of one variant
            seen.add((variant[0], variant[1]))
            chosen.append((candidate, variant))
    return chosen


def _hits(
    conn: sqlite3.Connection,
    chosen: list[tuple[_Candidate, tuple[str, str, str]]],
    terms: list[_Term],
) -> list[SearchHit]:
    # A title hit needs no texts: its text is the variant's title, as it was indexed.
    variants = sorted({rowid >> 16 for (_, rowid), _ in chosen if rowid & 0xFFFF != TITLE_INDEX})
    texts: dict[int, list[str]] = {}
    for vid in variants:
        found = read_texts(conn, vid)
        if found is not None:
            texts[vid] = found
    hits: list[SearchHit] = []
    for (score, rowid), (key, language, title) in chosen:
        index = rowid & 0xFFFF
        if index == TITLE_INDEX:
            text = unicodedata.normalize("NFC", clean(title))
        else:
            own = texts.get(rowid >> 16, [""])
            text = own[index] if index < len(own) - 1 else ""
        snippet, highlights = make_snippet(text, match_spans(text, terms))
        hits.append(
            SearchHit(
                key=key,
                language=language,
                title=title,
                paragraph=0 if index == TITLE_INDEX else index,
                snippet=snippet,
                highlights=highlights,
                score=score,
                in_title=index == TITLE_INDEX,
            )
        )
    return hits


# --- snippets and highlights ------------------------------------------------------------


def match_spans(text: str, terms: list[_Term]) -> list[tuple[int, int]]:
    """Find where the query's terms occur in ``text``, as the index matched them.

    Args:
        text: The paragraph.
        terms: Parsed query terms.

    Returns:
        Sorted, non-overlapping ``(start, end)`` character offsets into ``text``.
    """
    haystack = _match_form(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = _match_form(term.text)
        prefix = not term.phrase and len(needle) >= PREFIX_MIN
        found = _find(haystack, needle, prefix=prefix)
        if not found and not (_may_have_cjk(needle) and compiled(_CJK_CHAR).search(needle)):
            # "e-mail" may be written "e mail": look for its words one by one.
            words = [word for word in compiled(r"[^\w\u0300-\u036f]+|_").split(needle) if word]
            for position, word in enumerate(words):
                last = position == len(words) - 1
                found.extend(_find(haystack, word, prefix=prefix and last))
        spans.extend(found)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _find(haystack: str, needle: str, *, prefix: bool) -> list[tuple[int, int]]:
    """Occurrences of ``needle`` that start (and, unless ``prefix``, end) a word.

    CJK characters have no word boundaries: next to one, any position counts.
    """
    found: list[tuple[int, int]] = []
    if not needle:
        return found
    cjk_start = _may_have_cjk(needle[0]) and compiled(_CJK_CHAR).match(needle[0]) is not None
    cjk_end = _may_have_cjk(needle[-1]) and compiled(_CJK_CHAR).match(needle[-1]) is not None
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        if cjk_start or start == 0 or not _is_token_char(haystack[start - 1]):
            if prefix and not cjk_end:
                while end < len(haystack) and _is_token_char(haystack[end]):
                    end += 1
                found.append((start, end))
            elif cjk_end or end == len(haystack) or not _is_token_char(haystack[end]):
                found.append((start, end))
        start = haystack.find(needle, max(end, start + 1))
    return found


_snippet_blank_table: dict[int, str] = {}


def _snippet_blanks() -> dict[int, str]:
    """The ``str.translate`` table that makes a paragraph one line of visible text."""
    if not _snippet_blank_table:
        for low, high in _SNIPPET_BLANK_RANGES:
            _snippet_blank_table.update(dict.fromkeys(range(low, high + 1), " "))
    return _snippet_blank_table


def _cells(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def make_snippet(
    text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CELLS
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cut about ``width`` terminal cells of ``text`` around its first match.

    Args:
        text: The paragraph.
        spans: Match offsets in ``text`` (sorted).
        width: Cells to aim for; a quarter of them go before the match.

    Returns:
        The one-line snippet (``…`` where cut) and the offsets of the matches in it.
    """
    flat = text if text.isprintable() else text.translate(_snippet_blanks())
    first = spans[0][0] if spans else 0
    start, used = first, 0
    while start > 0 and used + _cells(flat[start - 1]) <= width // 4:
        start -= 1
        used += _cells(flat[start])
    if start > 0:
        # Begin at a word if one starts nearby.
        space = flat.find(" ", start, first)
        if space != -1 and space - start < 16:
            start = space + 1
    end, used = start, 0
    while end < len(flat) and used + _cells(flat[end]) <= width:
        used += _cells(flat[end])
        end += 1
    if spans and spans[0][1] > end:
        end = spans[0][1]
    while end == len(flat) and start > 0 and used + _cells(flat[start - 1]) <= width:
        start -= 1  # the end is in view: show more of the beginning instead
        used += _cells(flat[start])
    if end < len(flat):
        space = flat.rfind(" ", max(start, end - 16), end)
        if space > start and space >= (spans[0][1] if spans else start):
            end = space
    body = flat[start:end]
    stripped = body.lstrip()
    start += len(body) - len(stripped)
    body = stripped.rstrip()
    end = start + len(body)
    prefix = "…" if flat[:start].strip() else ""
    suffix = "…" if flat[end:].strip() else ""
    offset = len(prefix) - start
    highlights = tuple(
        (max(s, start) + offset, min(e, end) + offset) for s, e in spans if s < end and e > start
    )
    return prefix + body + suffix, highlights

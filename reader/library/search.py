"""Full-text search over every variant of every article, in any language.

The catalog (:mod:`reader.library.catalog`) indexes each variant paragraph by paragraph,
so that a hit can open the article at the matching paragraph:

* ``fts_words`` (FTS5, ``unicode61 remove_diacritics 2``, combining marks kept inside
  words so that Devanagari stays whole) holds every variant in a script that puts
  spaces between words. ``remove_diacritics`` folds Latin accents (``uberraschung``
  finds ``Überraschung``) but not the Greek tonos, nor ``ё``; the text is folded for
  those here first (:func:`fold_for_words`), with a length-preserving mapping.
* ``fts_cjk`` (FTS5 ``trigram``) holds variants in Chinese, Japanese or Korean (or text
  that is mostly in those scripts) and finds any substring of three or more
  characters. Shorter queries (``训练``) fall back to ``instr()`` over those paragraphs.

Both indexes are *contentless*: the original text sits once in the ``paragraphs``
table, and snippets and highlight offsets are computed here, in Python, as plain
strings and ``(start, end)`` offsets. Nothing here ever returns markup.

Query syntax: words (all must match, each word also matches as a prefix when it has
three or more characters) and ``"quoted phrases"``. Everything else (``-``, ``*``,
``AND``, ``(``, unbalanced quotes) is taken literally: user input never reaches FTS5
unquoted, so a query never raises.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.library.catalog import Catalog

#: Bump when the folding below changes: the catalog then rebuilds its index, because a
#: contentless FTS5 row can only be deleted with exactly the text it was indexed with.
FOLD_VERSION = 1
#: Characters of context a snippet aims for.
SNIPPET_CHARS = 110
#: Longest query looked at, and most terms used from it.
MAX_QUERY_CHARS = 400
MAX_TERMS = 12
#: Paragraph index that stands for the title in the index (``rowid & 0xFFFF``).
TITLE_INDEX = 0xFFFF
#: Trigram queries need three characters; shorter ones scan with ``instr()``.
TRIGRAM = 3
#: Prefix matching starts at this many characters (shorter words match whole words).
PREFIX_MIN = 3

_CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "wuu", "lzh"})
_CJK_CHARS = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)
_FOLD_WORDS_NEEDED = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0401\u0451]")
_FOLD_FULL_NEEDED = re.compile("[\u00c0-\u052f\u1e00-\u1fff]")
# Control characters, bidi controls and tag characters become spaces in snippets (one
# for one, so highlight offsets stay right); newlines too, a snippet is one line.
_SNIPPET_BLANKS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
)
_QUERY_PARTS = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the best matching paragraph of one language variant.

    Attributes:
        key: Article key.
        language: Language tag of the variant that matched.
        title: That variant's title (untrusted text).
        paragraph: Index of the matching block (``0`` when the title matched).
        snippet: About 110 characters of the paragraph around the match, on one line,
            with control characters replaced by spaces; ``…`` marks cut ends. Untrusted
            text: show it as plain text, never as markup.
        highlights: ``(start, end)`` character offsets of the matches in ``snippet``.
        score: Rank, lower is better (FTS5 ``bm25``).
        in_title: ``True`` if the title matched rather than a paragraph.
    """

    key: str
    language: str
    title: str
    paragraph: int
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float = 0.0
    in_title: bool = False


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    phrase: bool


# --- folding -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fold_tables() -> tuple[dict[int, str], dict[int, str]]:
    """Return the (full, words-only) one-character-for-one folding tables."""
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
    return full, words


def fold_for_words(text: str) -> str:
    """Fold what ``unicode61 remove_diacritics 2`` leaves alone: Greek accents, ``ς``, ``ё``.

    The result has exactly as many characters as ``text``.
    """
    if _FOLD_WORDS_NEEDED.search(text) is None:
        return text
    return text.translate(_fold_tables()[1])


def fold_full(text: str) -> str:
    """Strip diacritics from Latin, Greek and ``ё`` (one character for one)."""
    if _FOLD_FULL_NEEDED.search(text) is None:
        return text
    return text.translate(_fold_tables()[0])


def index_text(text: str, cjk: bool) -> str:
    """Return the form of ``text`` that goes into ``fts_cjk`` or ``fts_words``."""
    return fold_full(text) if cjk else fold_for_words(text)


def _match_form(text: str) -> str:
    """Fold and lower-case ``text`` for highlighting, keeping its length."""
    folded = fold_full(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in folded)


def is_cjk(language: str, sample: str) -> bool:
    """Whether a variant belongs in the trigram index.

    Args:
        language: The variant's language tag.
        sample: Some of its text (title and first paragraphs).
    """
    if language.split("-", 1)[0].lower() in _CJK_LANGUAGES:
        return True
    letters = sum(1 for char in sample[:2000] if char.isalpha())
    return letters > 0 and len(_CJK_CHARS.findall(sample[:2000])) * 10 >= letters * 3


def _is_token_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


# --- the query -----------------------------------------------------------------------------


def parse_query(query: str) -> list[tuple[str, bool]]:
    """Split a query into ``(text, is_phrase)`` terms, dropping terms with no word in them.

    Words are separated by whitespace; ``"…"`` makes a phrase (an unclosed quote runs to
    the end). Nothing else has a meaning.
    """
    return [(term.text, term.phrase) for term in _terms(query)]


def _terms(query: str) -> list[_Term]:
    text = unicodedata.normalize("NFC", query[:MAX_QUERY_CHARS])
    terms: list[_Term] = []
    for match in _QUERY_PARTS.finditer(text):
        phrase = match.group(1) is not None
        part = " ".join((match.group(1) if phrase else match.group(2)).split())
        if part and any(_is_token_char(char) for char in part):
            terms.append(_Term(part, phrase))
    return terms[:MAX_TERMS]


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _words_match(terms: list[_Term]) -> str:
    parts = []
    for term in terms:
        folded = fold_for_words(term.text)
        prefix = not term.phrase and len(folded) >= PREFIX_MIN
        parts.append(_fts_string(folded) + (" *" if prefix else ""))
    return " AND ".join(parts)


# --- running it ---------------------------------------------------------------------------

_Candidate = tuple[float, int, bool]  # (score, rowid, from the trigram index)


def search(
    catalog: Catalog, query: str, language: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Search every variant in the catalog.

    Args:
        catalog: An open catalog (it is not refreshed here).
        query: What the user typed: words and ``"phrases"``; never raises on odd input.
        language: Only variants in this language (``zh`` also matches ``zh-CN``).
        limit: At most this many hits, each a different (article, language).

    Returns:
        Hits, best first, at most one per article and language.
    """
    terms = _terms(query)
    if not terms or limit <= 0:
        return []
    with catalog.connection() as conn:
        fetch = max(limit * 8, 64)
        while True:
            candidates = _candidates(conn, terms, language, fetch)
            chosen = _best_per_variant(conn, candidates, limit)
            if len(chosen) >= limit or len(candidates) < fetch:
                break
            fetch *= 4
        return _hits(conn, chosen, terms)


def _language_filter(language: str | None, id_expr: str) -> tuple[str, list[object]]:
    """SQL restricting ``id_expr`` (a variant id) to ``language`` and its subtags."""
    if not language:
        return "", []
    return (
        f" AND {id_expr} IN (SELECT id FROM variants WHERE language = ? OR language LIKE ?)",
        [language, language.replace("%", "").replace("_", "") + "-%"],
    )


def _candidates(
    conn: sqlite3.Connection, terms: list[_Term], language: str | None, fetch: int
) -> list[_Candidate]:
    where, params = _language_filter(language, "(rowid >> 16)")
    found: list[_Candidate] = []
    try:
        rows = conn.execute(
            f"SELECT rowid, rank FROM fts_words WHERE fts_words MATCH ?{where} "
            "ORDER BY rank LIMIT ?",
            [_words_match(terms), *params, fetch],
        ).fetchall()
        found.extend((score, rowid, False) for rowid, score in rows)
    except sqlite3.OperationalError:
        pass  # a query FTS5 still refuses finds nothing rather than failing
    found.extend(_cjk_candidates(conn, terms, language, fetch))
    found.sort()
    return found[:fetch]


def _cjk_candidates(
    conn: sqlite3.Connection, terms: list[_Term], language: str | None, fetch: int
) -> list[_Candidate]:
    folded = [fold_full(term.text) for term in terms]
    long = [text for text in folded if len(text) >= TRIGRAM]
    short = [text.lower() for text in folded if len(text) < TRIGRAM]
    checks = "".join(" AND instr(lower(p.text), ?) > 0" for _ in short)
    try:
        if long:
            where, params = _language_filter(language, "(fts_cjk.rowid >> 16)")
            join = " JOIN paragraphs p ON p.id = fts_cjk.rowid" if short else ""
            sql = (
                f"SELECT fts_cjk.rowid, fts_cjk.rank FROM fts_cjk{join}"
                f" WHERE fts_cjk MATCH ?{where}{checks} ORDER BY fts_cjk.rank LIMIT ?"
            )
            match = " AND ".join(_fts_string(text) for text in long)
            rows = conn.execute(sql, [match, *params, *short, fetch]).fetchall()
        else:
            # Only one- and two-character terms: scan the CJK paragraphs, rank by how
            # often the first term occurs.
            where, params = _language_filter(language, "v.id")
            sql = (
                "SELECT p.id, (length(replace(lower(p.text), ?, '')) - length(p.text))"
                " * 1.0 / length(?) AS score"
                " FROM variants v JOIN paragraphs p"
                " ON p.id BETWEEN v.id << 16 AND (v.id << 16) + 65535"
                f" WHERE v.cjk = 1{where}{checks} ORDER BY score LIMIT ?"
            )
            rows = conn.execute(sql, [short[0], short[0], *params, *short, fetch]).fetchall()
    except sqlite3.OperationalError:
        return []
    return [(score, rowid, True) for rowid, score in rows]


def _best_per_variant(
    conn: sqlite3.Connection, candidates: list[_Candidate], limit: int
) -> list[tuple[_Candidate, tuple[str, str, str]]]:
    ids = sorted({rowid >> 16 for _, rowid, _ in candidates})
    info: dict[int, tuple[str, str, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for vid, key, language, title in conn.execute(
            f"SELECT id, article_key, language, title FROM variants WHERE id IN ({marks})"
            " AND article_key IS NOT NULL",
            chunk,
        ):
            info[vid] = (key, language, title)
    chosen: list[tuple[_Candidate, tuple[str, str, str]]] = []
    seen: set[tuple[str, str]] = set()
    for candidate in candidates:
        variant = info.get(candidate[1] >> 16)
        if variant is None or (variant[0], variant[1]) in seen:
            continue
        seen.add((variant[0], variant[1]))
        chosen.append((candidate, variant))
        if len(chosen) >= limit:
            break
    return chosen


def _hits(
    conn: sqlite3.Connection,
    chosen: list[tuple[_Candidate, tuple[str, str, str]]],
    terms: list[_Term],
) -> list[SearchHit]:
    rowids = [candidate[1] for candidate, _ in chosen]
    texts: dict[int, str] = {}
    if rowids:
        marks = ",".join("?" * len(rowids))
        texts = dict(
            conn.execute(f"SELECT id, text FROM paragraphs WHERE id IN ({marks})", rowids)
        )
    hits: list[SearchHit] = []
    for (score, rowid, substring), (key, language, title) in chosen:
        index = rowid & 0xFFFF
        text = texts.get(rowid, "")
        spans = match_spans(text, terms, substring=substring)
        snippet, highlights = make_snippet(text, spans)
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


def match_spans(text: str, terms: list[_Term], *, substring: bool) -> list[tuple[int, int]]:
    """Find where the query's terms occur in ``text``.

    Args:
        text: The paragraph.
        terms: Parsed query terms.
        substring: Match anywhere (trigram index) instead of at word starts.

    Returns:
        Sorted, non-overlapping ``(start, end)`` character offsets into ``text``.
    """
    haystack = _match_form(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = _match_form(term.text)
        found = _find(haystack, needle, substring, prefix=not term.phrase)
        if not found and not substring:
            # "e-mail" may be written "e mail": look for its words one by one.
            words = [w for w in re.split(r"[^\w\u0300-\u036f]+|_", needle) if w]
            for position, word in enumerate(words):
                last = position == len(words) - 1
                found.extend(_find(haystack, word, False, prefix=last and not term.phrase))
        spans.extend(found)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _find(haystack: str, needle: str, substring: bool, *, prefix: bool) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    if not needle:
        return found
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        if substring:
            found.append((start, end))
        elif start == 0 or not _is_token_char(haystack[start - 1]):
            if prefix:
                while end < len(haystack) and _is_token_char(haystack[end]):
                    end += 1
                found.append((start, end))
            elif end == len(haystack) or not _is_token_char(haystack[end]):
                found.append((start, end))
        start = haystack.find(needle, max(end, start + 1))
    return found


def make_snippet(
    text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cut about ``width`` characters of ``text`` around its first match.

    Args:
        text: The paragraph.
        spans: Match offsets in ``text`` (sorted).
        width: Characters to aim for.

    Returns:
        The one-line snippet and the offsets of the matches inside it.
    """
    flat = _SNIPPET_BLANKS.sub(" ", text)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 4)
    if start > 0:
        space = flat.find(" ", start, first)
        if space != -1 and space - start < 16:
            start = space + 1
    end = min(len(flat), start + width)
    if spans and spans[0][1] > end:
        end = min(len(flat), spans[0][1])
    if end < len(flat):
        space = flat.rfind(" ", max(start, end - 16), end)
        if space > start and space >= (spans[0][1] if spans else start):
            end = space
    body = flat[start:end]
    stripped = body.lstrip()
    start += len(body) - len(stripped)
    body = stripped.rstrip()
    end = start + len(body)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat.rstrip()) else ""
    offset = len(prefix) - start
    highlights = tuple(
        (max(s, start) + offset, min(e, end) + offset) for s, e in spans if s < end and e > start
    )
    return prefix + body + suffix, highlights

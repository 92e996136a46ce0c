"""Search in every script: accents, tonos, case, CJK substrings, snippets, hostile queries."""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library import Library
from reader.library.catalog import Catalog
from reader.library.index_text import TEXT_PIECE_BITS, TEXT_PIECE_BYTES, text_range, text_rows
from reader.library.search import (
    SearchHit,
    fold_full,
    index_text,
    make_snippet,
    match_expression,
    search,
)
from tests.conftest import BUNDLED_LIBRARY

OLD = time.time() - 3600

EXTRA_FILES = {
    "surprise.de.md": (
        '+++\ntitle = "Eine Geschichte"\ndate = 2025-01-01\n+++\n\n'
        "Der erste Absatz erzählt nichts Besonderes.\n\n"
        "Dann kam die große Überraschung am Bahnhof, und niemand war vorbereitet.\n"
    ),
    "surprise.el.md": (
        '+++\ntitle = "Μια ιστορία"\n+++\n\n'
        "Πρώτη παράγραφος.\n\nΉταν πολύ όμορφη μέρα στην Αθήνα.\n"
    ),
    "surprise.ru.md": (
        '+++\ntitle = "История"\n+++\n\n'
        "Первый абзац.\n\nВ Москве стояла ёлка высотой в три метра.\n"
    ),
    "surprise.ko.md": '+++\ntitle = "이야기"\n+++\n\n한국어 검색을 시험합니다.\n',
    "quote.en.md": (
        '+++\ntitle = "A quotation"\n+++\n\n'
        "Opening words.\n\nThe sign said 我们欢迎你 in big letters.\n\n"
        'An e-mail arrived; (parentheses) and "quotes" and AND OR NOT.\n'
    ),
}


def build(root: Path) -> Path:
    shutil.copytree(BUNDLED_LIBRARY, root)
    for name, text in EXTRA_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
        os.utime(root / name, (OLD, OLD))
    return root


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, Catalog]]:
    """The bundled library plus a few files, indexed once for this module."""
    base = tmp_path_factory.mktemp("search")
    root = build(base / "library")
    catalog = Catalog(base / "catalog.sqlite")
    library = Library([root], catalog=catalog)
    library.refresh()
    yield library, catalog
    catalog.close()


@pytest.fixture
def library(indexed: tuple[Library, Catalog]) -> Library:
    return indexed[0]


def find(library: Library, query: str, **kwargs: object) -> list[SearchHit]:
    hits = library.search(query, **kwargs)  # type: ignore[arg-type]
    assert len({(hit.key, hit.language) for hit in hits}) == len(hits)
    return hits


def paragraph_text(library: Library, hit: SearchHit) -> str:
    """The text of the block the hit points at, as the article view would show it."""
    variant = library.articles[hit.key].variants[hit.language]
    document = library.load(variant)
    if hit.in_title:
        return document.title
    return document.blocks[hit.paragraph].plain_text


def assert_highlights(hit: SearchHit, expected: str) -> None:
    """Every highlight marks the (folded, case-insensitive) expected text."""
    assert hit.highlights
    for start, end in hit.highlights:
        assert 0 <= start < end <= len(hit.snippet)
        marked = fold_full(hit.snippet[start:end]).lower()
        assert fold_full(expected).lower() in marked


def only(hits: list[SearchHit], key: str, language: str) -> SearchHit:
    matching = [hit for hit in hits if (hit.key, hit.language) == (key, language)]
    assert len(matching) == 1, hits
    return matching[0]


@pytest.mark.parametrize("query", ["uberraschung", "Überraschung", "UBERRASCHUNG", "überrasch"])
def test_latin_with_and_without_accents(library: Library, query: str) -> None:
    hit = only(find(library, query), "surprise", "de")
    assert hit.paragraph == 1
    assert "Überraschung" in hit.snippet
    assert_highlights(hit, "uberraschung")
    assert "Überraschung" in paragraph_text(library, hit)


@pytest.mark.parametrize("query", ["πολυ", "πολύ", "ΠΟΛΥ", "Πολύ"])
def test_greek_with_and_without_tonos(library: Library, query: str) -> None:
    hit = only(find(library, query), "surprise", "el")
    assert hit.paragraph == 1
    assert_highlights(hit, "πολυ")
    assert hit.snippet[hit.highlights[0][0] : hit.highlights[0][1]] == "πολύ"


@pytest.mark.parametrize("query", ["αναπτυξης", "ανάπτυξης", "ΑΝΑΠΤΥΞΗΣ", "αναπτυξησ"])
def test_greek_final_sigma_and_capitals(library: Library, query: str) -> None:
    hits = find(library, query, language="el")
    assert {hit.key for hit in hits} >= {"gpu-training-dilemma"}
    # Highlighted too: Python lower-cases a word-final Σ to ς, the text is folded to σ.
    assert_highlights(only(hits, "gpu-training-dilemma", "el"), "ανάπτυξης")


@pytest.mark.parametrize("query", ["москве", "МОСКВЕ", "Москве", "елка", "ёлка", "ЁЛКА"])
def test_cyrillic_case_insensitive_and_yo(library: Library, query: str) -> None:
    hit = only(find(library, query), "surprise", "ru")
    assert hit.paragraph == 1
    assert_highlights(hit, fold_full(query))


def test_cyrillic_in_the_bundled_articles(library: Library) -> None:
    hits = find(library, "ОБУЧЕНИЯ")
    hit = only(hits, "gpu-training-dilemma", "ru")
    assert hit.in_title and hit.paragraph == 0
    assert hit.snippet.startswith("Дилемма обучения")


@pytest.mark.parametrize("query", ["训练", "训", "GPU训练", "国际合作", "技术的优化与创新"])
def test_chinese_substrings(library: Library, query: str) -> None:
    hits = find(library, query, language="zh")
    hit = only(hits, "gpu-training-dilemma", "zh")
    assert query in paragraph_text(library, hit)
    assert_highlights(hit, query)


def test_chinese_hit_opens_at_the_right_paragraph(library: Library) -> None:
    # Only the fourth paragraph of the Chinese GPU article speaks of 知识产权 (IP).
    hit = only(find(library, "知识产权"), "gpu-training-dilemma", "zh")
    variant = library.articles["gpu-training-dilemma"].variants["zh"]
    blocks = library.load(variant).blocks
    expected = next(i for i, block in enumerate(blocks) if "知识产权" in block.plain_text)
    assert hit.paragraph == expected == 3
    assert not hit.in_title


@pytest.mark.parametrize("query", ["トレーニング", "ジレンマ", "業界"])
def test_japanese_substrings(library: Library, query: str) -> None:
    hit = only(find(library, query), "gpu-training-dilemma", "ja")
    assert query in paragraph_text(library, hit)
    assert_highlights(hit, query)


def test_korean_substring_inside_a_word(library: Library) -> None:
    hit = only(find(library, "국어"), "surprise", "ko")
    assert hit.snippet[hit.highlights[0][0] : hit.highlights[0][1]] == "국어"


def test_chinese_quoted_in_an_english_article(library: Library) -> None:
    hit = only(find(library, "欢迎"), "quote", "en")
    assert hit.paragraph == 1
    assert_highlights(hit, "欢迎")


def test_devanagari_word(library: Library) -> None:
    hit = only(find(library, "प्रौद्योगिकी"), "huang-zuckerberg-open-source", "sa")
    assert "प्रौद्योगिकी" in paragraph_text(library, hit)


def test_a_query_in_any_language_searches_every_variant(library: Library) -> None:
    article = library.articles["gpu-training-dilemma"]
    expected = {
        language
        for language, variant in article.variants.items()
        if any("GPU" in block.plain_text for block in library.load(variant).blocks)
    }
    assert len(expected) == 13  # all but Sanskrit, in six scripts
    hits = find(library, "GPU", limit=100)
    assert {hit.language for hit in hits if hit.key == article.key} == expected


def test_language_filter(library: Library) -> None:
    hits = find(library, "GPU", language="de", limit=50)
    assert hits
    assert {hit.language for hit in hits} == {"de"}
    assert find(library, "GPU", language="xx") == []


def test_at_most_one_hit_per_article_and_language_and_the_limit(library: Library) -> None:
    hits = find(library, "GPU", limit=5)
    assert len(hits) == 5
    assert [hit.score for hit in hits] == sorted(hit.score for hit in hits)


def test_words_are_anded_and_phrases_exact(library: Library) -> None:
    assert only(find(library, "große Bahnhof"), "surprise", "de")
    assert find(library, "Überraschung Москве") == []
    assert find(library, '"open source"', language="en")
    assert find(library, '"source open"', language="en") == []


def test_prefixes_from_three_characters(library: Library) -> None:
    assert only(find(library, "Bahnh"), "surprise", "de")
    assert find(library, "Ba", language="de") == []


def test_paragraph_index_matches_the_article_view(library: Library) -> None:
    for query in ["vorbereitet", "Opening", "Αθήνα", "метра"]:
        (hit,) = find(library, query)
        assert not hit.in_title
        text = fold_full(paragraph_text(library, hit)).lower()
        assert fold_full(query).lower() in text


def test_title_match(library: Library) -> None:
    hit = only(find(library, "Geschichte"), "surprise", "de")
    assert hit.in_title
    assert hit.paragraph == 0
    assert hit.snippet == "Eine Geschichte"
    assert hit.title == "Eine Geschichte"


#: Queries with no word to look for: no hit, and no error.
NOTHING_TO_FIND = ['"', '""', "-", "*", "(", ")", "{", "\x00", "\u0301", "🙂", "   ", '" "']
#: Queries full of FTS5 syntax, each with an article and language it must find (the
#: syntax is taken as text: the words in it are looked for).
LITERAL_HITS = {
    "AND": ("quote", "en"),
    "OR NOT": ("quote", "en"),
    '" OR "': ("quote", "en"),
    "e-mail": ("quote", "en"),
    "(parentheses": ("quote", "en"),
    "^start": ("reader-guide", "en"),
    "a:b": ("gpu-training-dilemma", "pt"),
    "{opening} words*": ("quote", "en"),
}


@pytest.mark.parametrize("query", NOTHING_TO_FIND)
def test_a_query_without_words_finds_nothing(library: Library, query: str) -> None:
    assert find(library, query) == []


@pytest.mark.parametrize("query", ['"unclosed', "a" * 5000, "text:qqxyzzy", "col:*zzq"])
def test_a_hostile_query_with_no_match_finds_nothing(library: Library, query: str) -> None:
    assert find(library, query) == []


@pytest.mark.parametrize("query", list(LITERAL_HITS))
def test_hostile_queries_are_searched_as_words(library: Library, query: str) -> None:
    hits = find(library, query)
    key, language = LITERAL_HITS[query]
    hit = only(hits, key, language)
    assert hit.highlights  # the words are marked where they were found
    for start, end in hit.highlights:
        assert 0 <= start < end <= len(hit.snippet)


def test_operators_are_taken_literally(library: Library) -> None:
    hit = only(find(library, "AND OR NOT"), "quote", "en")
    assert hit.paragraph == 2
    assert only(find(library, "e-mail"), "quote", "en")
    assert only(find(library, "(parentheses)"), "quote", "en")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=60))
def test_any_text_query_never_raises(library: Library, query: str) -> None:
    hits = library.search(query, limit=5)
    assert len(hits) <= 5
    for hit in hits:
        assert hit.highlights or hit.in_title, hit  # a hit shows what matched
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet)


@settings(max_examples=100, deadline=None)
@given(
    query=st.text(alphabet=st.sampled_from(list("\"-*()^:{}+ ANDORNEARxyzé训ü\\'")), max_size=30)
)
def test_fts_syntax_soup_never_raises(indexed: tuple[Library, Catalog], query: str) -> None:
    hits = search(indexed[1], query)
    # Whatever is found, is found for a word of the query: never for syntax alone.
    if not any(char.isalnum() for char in query):
        assert hits == []
    for hit in hits:
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet)


def test_snippet_is_plain_and_short_around_a_late_match(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    long = " ".join(["filler"] * 200) + " needle\x1b[31m " + " ".join(["tail"] * 50)
    (root / "long.md").write_text(f"# Long\n\n{long}\n", encoding="utf-8")
    library = Library([root], catalog=Catalog(tmp_path / "c.sqlite"))
    library.refresh()
    (hit,) = library.search("needle")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert 60 <= len(hit.snippet) <= 130
    assert "\x1b" not in hit.snippet
    ((start, end),) = hit.highlights
    assert hit.snippet[start:end] == "needle"


def test_make_snippet_counts_wide_characters() -> None:
    text = "的" * 300
    snippet, highlights = make_snippet(text, [(150, 152)])
    assert len(snippet) <= 60
    assert highlights and snippet[highlights[0][0] : highlights[0][1]] == "的的"


def parse_query(query: str) -> list[tuple[str, bool]]:
    from reader.library.search import _terms

    return [(term.text, term.phrase) for term in _terms(query)]


def test_query_parsing_and_escaping() -> None:
    assert parse_query('foo "bar baz" -x ( "unclosed') == [
        ("foo", False),
        ("bar baz", True),
        ("-x", False),
        ("unclosed", True),
    ]
    assert parse_query('- * ( ) ""') == []
    expression = match_expression([])
    assert expression == ""
    from reader.library.search import _terms

    assert match_expression(_terms('AND "x"')) == '"AND" * AND "x"'
    assert match_expression(_terms("训练")) == '" 训 练 "'
    assert match_expression(_terms("训")) == '" 训 "'
    assert match_expression(_terms("GPU训练")) == '"GPU 训 练 "'
    assert match_expression(_terms("训练GPU")) == '" 训 练 GPU" *'


def test_index_text_segments_cjk_and_folds_greek() -> None:
    assert index_text("GPU训练技术") == "GPU 训 练 技 术 "
    assert index_text("πολύ Ёлка") == "πολυ Елка"
    assert index_text("plain") == "plain"


def test_search_sees_changes_after_refresh(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    page = root / "page.md"
    page.write_text("# Lighthouse\n\nAlpha words.\n", encoding="utf-8")
    os.utime(page, (OLD, OLD))
    library = Library([root], catalog=Catalog(tmp_path / "c.sqlite"))
    library.refresh()
    assert library.search("alpha")
    assert [hit.in_title for hit in library.search("lighthouse")] == [True]
    page.write_text("# Harbour\n\nBeta words here.\n", encoding="utf-8")
    os.utime(page, (OLD + 5, OLD + 5))
    library.refresh()
    assert library.search("alpha") == []
    assert library.search("lighthouse") == []  # the old title left the index too
    assert library.search("beta")
    assert [hit.in_title for hit in library.search("harbour")] == [True]
    page.unlink()
    library.refresh()
    assert library.search("beta") == []
    assert library.search("harbour") == []


def _index_rows(catalog: Catalog, table: str, word: str) -> list[int]:
    with catalog.connection() as conn:
        query = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
        return [rowid for (rowid,) in conn.execute(query, (word,))]


def test_a_changed_page_leaves_nothing_of_itself_in_the_index(tmp_path: Path) -> None:
    # 20 paragraphs: block rowids above and below 1 << 27 (index 16 and more), a title,
    # and Chinese, all deleted exactly (a contentless FTS5 row needs its text back).
    root = tmp_path / "lib"
    root.mkdir()
    page = root / "page.md"
    blocks = [f"Alpha{index} words 训练{index}." for index in range(20)]
    page.write_text("# Lighthouse\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    (root / "other.md").write_text("# Other\n\nAlpha0 stays.\n", encoding="utf-8")
    for path in root.iterdir():
        os.utime(path, (OLD, OLD))
    catalog = Catalog(tmp_path / "c.sqlite")
    library = Library([root], catalog=catalog)
    library.refresh()
    hit = only(library.search("alpha19"), "page", "en")
    assert hit.paragraph == 19 and "Alpha19 words" in hit.snippet
    assert only(library.search("训练17"), "page", "en").paragraph == 17
    assert len(_index_rows(catalog, "fts", "alpha0")) == 2
    page.write_text("# Harbour\n\nBeta words.\n", encoding="utf-8")
    os.utime(page, (OLD + 5, OLD + 5))
    library.refresh()
    assert _index_rows(catalog, "fts", "alpha19") == []
    assert _index_rows(catalog, "fts", "练") == []
    assert _index_rows(catalog, "fts_titles", "lighthouse") == []
    assert len(_index_rows(catalog, "fts", "alpha0")) == 1  # the other page's
    assert [hit.key for hit in library.search("alpha0")] == ["other"]
    catalog.close()


def test_variant_ids_start_again_before_they_outgrow_the_rowid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.library.catalog_refresh as refresh_module

    monkeypatch.setattr(refresh_module, "MAX_VARIANT_ID", 4)
    root = tmp_path / "lib"
    root.mkdir()
    page = root / "page.md"
    catalog = Catalog(tmp_path / "c.sqlite")
    library = Library([root], catalog=catalog)
    ids = []
    for round_ in range(6):  # each rewrite gives the page a new id
        page.write_text(f"# Page\n\nWord{round_} here.\n", encoding="utf-8")
        os.utime(page, (OLD + round_, OLD + round_))
        library.refresh()
        assert only(library.search(f"word{round_}"), "page", "en").snippet == f"Word{round_} here."
        assert library.search(f"word{round_ - 1}") == []
        with catalog.connection() as conn:
            ids.append(conn.execute("SELECT max(id) FROM variants").fetchone()[0])
    assert ids == [1, 2, 3, 1, 2, 3]  # rebuilt afresh before an id could reach 4
    catalog.close()


@pytest.mark.parametrize(
    "size", [0, 1, 599, 600, 601, 1400, 5000, 600 * 256, 600 * 256 + 1, 400_000]
)
def test_packed_texts_are_cut_into_pieces_that_join_back(size: int) -> None:
    packed = random.Random(size).randbytes(size)
    rows = text_rows(77, packed)
    assert b"".join(piece for _, piece in rows) == packed
    low, high = text_range(77)
    assert [rowid for rowid, _ in rows] == list(range(low, low + len(rows)))
    assert low + len(rows) <= high and len(rows) <= 1 << TEXT_PIECE_BITS
    if size <= TEXT_PIECE_BYTES << TEXT_PIECE_BITS:
        assert all(len(piece) <= TEXT_PIECE_BYTES for _, piece in rows)
    # Near-equal pieces: no short last row (it would waste a page's end as whole rows did).
    lengths = [len(piece) for _, piece in rows]
    assert min(lengths) >= max(lengths) - len(rows)


def test_a_long_page_is_stored_in_pieces_found_and_deleted_whole(tmp_path: Path) -> None:
    # Words of random letters barely compress: 40 paragraphs take ~20 pieces.
    rng = random.Random(3)
    blocks = [
        " ".join("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8)) for _ in range(60))
        for _ in range(40)
    ]
    blocks[33] = "Needle " + blocks[33]
    root = tmp_path / "lib"
    root.mkdir()
    page = root / "page.md"
    page.write_text("# Haystack\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    os.utime(page, (OLD, OLD))
    catalog = Catalog(tmp_path / "c.sqlite")
    library = Library([root], catalog=catalog)
    library.refresh()
    hit = only(library.search("needle"), "page", "en")
    assert hit.paragraph == 33 and hit.snippet.startswith("Needle " + blocks[33][7:20])
    with catalog.connection() as conn:
        sizes = [len(body) for (body,) in conn.execute("SELECT body FROM texts ORDER BY id")]
    assert len(sizes) > 10 and max(sizes) <= TEXT_PIECE_BYTES
    page.write_text("# Haystack\n\nShort now.\n", encoding="utf-8")
    os.utime(page, (OLD + 5, OLD + 5))
    library.refresh()
    assert library.search("needle") == []
    assert only(library.search("short"), "page", "en").snippet == "Short now."
    with catalog.connection() as conn:
        assert conn.execute("SELECT count(*) FROM texts").fetchone() == (1,)
    catalog.close()


def test_cjk_paragraphs_indexed_after_the_others_are_found_and_deleted(tmp_path: Path) -> None:
    # One batch where Chinese, Japanese and English variants alternate: the writer
    # indexes the CJK paragraphs after the others (smaller rowids after larger ones).
    root = tmp_path / "lib"
    root.mkdir()
    words = {"en": "Harbour{n} lights", "zh": "港口{n}灯塔", "ja": "みなと{n}のあかり"}
    for n in range(30):
        for language, text in words.items():
            body = "\n\n".join(f"Para {k}." for k in range(n % 4)) + "\n\n" + text.format(n=n)
            (root / f"a{n}.{language}.md").write_text(f"# T{n}\n\n{body}\n", encoding="utf-8")
    for path in root.iterdir():
        os.utime(path, (OLD, OLD))
    catalog = Catalog(tmp_path / "c.sqlite")
    library = Library([root], catalog=catalog)
    library.refresh()
    for n in (0, 7, 29):
        for language, text in words.items():
            hit = only(library.search(text.format(n=n)), f"a{n}", language)
            assert hit.paragraph == n % 4 and hit.snippet == text.format(n=n)
    with catalog.connection() as conn:
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 0)")
    for n in range(30):
        page = root / f"a{n}.zh.md"
        page.write_text(f"# T{n}\n\n新的{n}\n", encoding="utf-8")
        os.utime(page, (OLD + 5, OLD + 5))
    library.refresh()
    assert library.search("港口7灯塔") == []
    assert only(library.search("新的7"), "a7", "zh").snippet == "新的7"
    assert only(library.search("harbour7"), "a7", "en")
    catalog.close()


def test_a_refresh_gives_free_pages_back(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    for index in range(60):
        words = " ".join(f"w{index}x{n}" for n in range(400))
        (root / f"p{index}.md").write_text(f"# P{index}\n\n{words}\n", encoding="utf-8")
        os.utime(root / f"p{index}.md", (OLD, OLD))
    catalog = Catalog(tmp_path / "c.sqlite")
    library = Library([root], catalog=catalog)
    library.refresh()
    for index in range(50):
        (root / f"p{index}.md").unlink()
    library.refresh()
    assert only(library.search("w55x399"), "p55", "en")
    with catalog.connection() as conn:
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert free <= pages // 1024
    catalog.close()
    assert (tmp_path / "c.sqlite").stat().st_size <= pages * 4096


def test_library_search_indexes_an_empty_catalog_first(
    bundled_library: Path, tmp_path: Path
) -> None:
    library = Library([bundled_library], catalog=Catalog(tmp_path / "c.sqlite"))
    assert library.catalog is not None and library.catalog.is_empty()
    assert only(library.search("训练"), "gpu-training-dilemma", "zh")
    assert not library.catalog.is_empty()


def test_library_without_catalog_searches_in_memory(bundled_library: Path) -> None:
    library = Library([bundled_library])
    assert only(library.search("トレーニング"), "gpu-training-dilemma", "ja")


def test_search_does_not_walk_the_library(
    indexed: tuple[Library, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_walking(*args: object) -> None:
        raise AssertionError("search must not walk the library")

    monkeypatch.setattr(os, "scandir", no_walking)
    assert search(indexed[1], "GPU")


def test_a_title_match_ranks_above_paragraph_mentions(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    pages = {
        "mentions.en.md": "# Weather report\n\nThe harbour, the harbour and the harbour again.\n",
        "title.en.md": "# The harbour\n\nBoats came in late.\n",
        "other.en.md": "# Markets\n\nNothing about the sea.\n",
    }
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    library = Library([root], catalog=Catalog(tmp_path / "c.sqlite"))
    library.refresh()
    hits = library.search("harbour")
    assert [(hit.key, hit.in_title) for hit in hits] == [("title", True), ("mentions", False)]


@given(text=st.text(max_size=40))
def test_text_without_cjk_is_told_apart_without_the_cjk_patterns(text: str) -> None:
    from reader.library.search import _CJK_CHAR, _may_have_cjk
    from reader.patterns import compiled

    if not _may_have_cjk(text):
        assert compiled(_CJK_CHAR).search(text) is None


# The query syntax as it was first written, as a regular expression.
QUERY_PARTS = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


@given(
    text=st.text(alphabet=st.sampled_from(' "\t\n\x1c\u3000\xa0ab-*文'), max_size=30) | st.text()
)
def test_query_splitting_reads_quotes_and_spaces_like_the_regular_expression(text: str) -> None:
    from reader.library.search import split_query

    expected = [
        (match.group(1), True) if match.group(1) is not None else (match.group(2), False)
        for match in QUERY_PARTS.finditer(text)
    ]
    assert split_query(text) == expected


@given(text=st.text())
def test_folding_changes_exactly_what_the_tables_change(text: str) -> None:
    from reader.library.search import _fold_tables, fold_for_words

    full, words = _fold_tables()
    assert fold_full(text) == text.translate(full)
    assert fold_for_words(text) == text.translate(words)


@given(text=st.text())
def test_snippets_are_one_line_of_visible_text(text: str) -> None:
    snippet, _ = make_snippet(text, [])
    blanks = re.compile(
        "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
    )
    assert blanks.search(snippet) is None
    assert len(snippet) <= len(text) + 2

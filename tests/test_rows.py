"""The Library's rows, built from plain data (no app): ``reader.tui.rows``."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.tui.rows import build_rows

GPU = "gpu-training-dilemma"


def test_rows_show_the_preferred_language_and_the_marks(bundled_library: Path) -> None:
    library = Library([bundled_library])
    library.scan()
    checkpoints: list[int] = []
    rows = build_rows(
        library.articles,
        ["fi", "de"],
        bookmarked={GPU},
        noted={"reader-guide"},
        new=frozenset({GPU}),
        checkpoint=lambda: checkpoints.append(1),
    )
    by_key = {row.key: row for row in rows}
    assert set(by_key) == set(library.articles)
    gpu = by_key[GPU]
    assert gpu.title == "GPU-koulutuksen dilemma ja alan kehityksen globaali näkökulma"
    assert gpu.languages[:2] == ("fi", "de")
    assert (gpu.bookmarked, gpu.noted, gpu.new) == (True, False, True)
    assert gpu.date == "2024-08-02"
    # The filter finds an article by its title in any language, and by its key.
    assert "gpu-trainingsdilemma" in gpu.search_text and GPU in gpu.search_text
    # The guide has no Finnish variant: German, the next preferred language, comes first.
    guide = by_key["reader-guide"]
    assert guide.languages[0] == "de" and "fi" not in guide.languages
    assert (guide.bookmarked, guide.noted, guide.new) == (False, True, False)
    assert checkpoints == []  # fewer rows than one checkpoint's worth


def test_without_a_preferred_variant_english_comes_first(bundled_library: Path) -> None:
    library = Library([bundled_library])
    library.scan()
    rows = build_rows(library.articles, ["xx"], set(), set())
    assert all(row.languages[0] == "en" for row in rows)
    assert not any(row.bookmarked or row.noted or row.new for row in rows)

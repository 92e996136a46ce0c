"""Bookmarks, notes and reading state as a user keeps them: the file on disk and what reads back."""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.userdata import Bookmark, Bookmarks, Note, Notes, ReadingState, UserData, UserDataError
from reader.userdata.notes import make_quote

FIXED = datetime(2026, 11, 25, 3, 40, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED


def ticking_clock() -> Callable[[], datetime]:
    """A clock that moves one minute on each call, starting at FIXED."""
    calls = iter(range(10**6))
    return lambda: FIXED + timedelta(minutes=next(calls))


def on_disk(path: Path) -> dict[str, Any]:
    """What another program would read from the file."""
    return tomllib.loads(path.read_text("utf-8"))


# Any Unicode a user or an article could bring, control characters, emoji and bidi marks
# included; lone surrogates cannot be encoded in UTF-8, so no file could hold them.
unicode_text = st.text(st.characters(exclude_categories=["Cs"]))
hard_text = st.one_of(
    unicode_text,
    st.text(
        st.sampled_from(list("\x00\x1b\x7f\x85\u202e\u200f\u05d0\u0627👩‍👧\n\r\t\"'\\#=[]{}."))
    ),
)
paragraphs = st.integers(min_value=0, max_value=2**63 - 1)
MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- bookmarks -------------------------------------------------------------------------


@pytest.fixture
def bookmarks(config_dir: Path) -> Bookmarks:
    return Bookmarks(config_dir / "bookmarks.toml", clock=fixed_clock)


def test_bookmarks_are_stored_as_blocks_in_file_order(bookmarks: Bookmarks) -> None:
    first = bookmarks.add("essays/walk.md", "fi", 3, "Kävely")
    bookmarks.add("news/rain.md", "de", 0, "Regen")
    bookmarks.add("essays/walk.md", "en", 7, "The walk")
    assert first == Bookmark("essays/walk.md", "fi", 3, "Kävely", "2026-11-25T03:40:00Z")
    text = bookmarks.path.read_text("utf-8")
    assert text.startswith("version = 1\n")
    assert text.count("[[bookmark]]\n") == 3
    assert [(b.key, b.paragraph) for b in bookmarks.all()] == [
        ("essays/walk.md", 3),
        ("news/rain.md", 0),
        ("essays/walk.md", 7),
    ]
    assert [b.paragraph for b in bookmarks.for_article("essays/walk.md")] == [3, 7]
    assert bookmarks.keys() == {"essays/walk.md", "news/rain.md"}


def test_adding_the_same_paragraph_twice_keeps_one_bookmark(bookmarks: Bookmarks) -> None:
    first = bookmarks.add("a.md", "fi", 3, "A")
    again = Bookmarks(bookmarks.path, clock=lambda: FIXED + timedelta(days=1)).add(
        "a.md", "de", 3, "A (de)"
    )
    assert again == first
    assert len(on_disk(bookmarks.path)["bookmark"]) == 1


def test_toggle_adds_then_removes_whatever_the_language(bookmarks: Bookmarks) -> None:
    assert bookmarks.toggle("a.md", "fi", 2, "A") is True
    assert [b.language for b in bookmarks.for_article("a.md")] == ["fi"]
    assert bookmarks.toggle("a.md", "de", 2, "A") is False
    assert bookmarks.all() == []
    assert "bookmark" not in on_disk(bookmarks.path)


def test_remove_one_paragraph_or_a_whole_article(bookmarks: Bookmarks) -> None:
    for paragraph in (1, 2, 3):
        bookmarks.add("a.md", "en", paragraph, "A")
    bookmarks.add("b.md", "en", 1, "B")
    assert bookmarks.remove("a.md", 2) == 1
    assert bookmarks.remove("a.md", 2) == 0
    assert [b.paragraph for b in bookmarks.for_article("a.md")] == [1, 3]
    assert bookmarks.remove("a.md") == 2
    assert [b.key for b in bookmarks.all()] == ["b.md"]


def test_malformed_bookmarks_are_skipped_but_never_dropped(config_dir: Path) -> None:
    config_dir.mkdir()
    path = config_dir / "bookmarks.toml"
    path.write_text(
        "version = 1\n"
        '[[bookmark]]\nkey = "a.md"\nlanguage = "en"\n'  # no paragraph
        '[[bookmark]]\nkey = "b.md"\nlanguage = "en"\nparagraph = -1\n'
        '[[bookmark]]\nkey = "c.md"\nlanguage = "en"\nparagraph = 2\n',  # title, created optional
        "utf-8",
    )
    bookmarks = Bookmarks(path, clock=fixed_clock)
    assert bookmarks.all() == [Bookmark("c.md", "en", 2, "", "")]
    bookmarks.add("d.md", "en", 0, "D")
    bookmarks.remove("c.md")
    bookmarks.toggle("a.md", "en", 5, "A")
    assert [entry.get("key") for entry in on_disk(path)["bookmark"]] == [
        "a.md",
        "b.md",
        "d.md",
        "a.md",
    ]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (("a.md", "en", -1, "A"), ValueError),
        (("a.md", "en", 2**63, "A"), ValueError),
        (("a.md", "en", True, "A"), TypeError),
        (("a.md", "en", 1, None), TypeError),
        (("a\ud800.md", "en", 1, "A"), ValueError),
    ],
)
def test_values_that_could_not_be_read_back_are_refused(
    bookmarks: Bookmarks, arguments: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        bookmarks.add(*arguments)  # type: ignore[arg-type]
    assert not bookmarks.path.exists()


@MANY
@given(
    entries=st.lists(st.tuples(hard_text, hard_text, paragraphs, hard_text), max_size=4),
)
def test_any_unicode_bookmark_round_trips(entries: list[tuple[str, str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bookmarks.toml"
        expected: dict[tuple[str, int], Bookmark] = {}
        for key, language, paragraph, title in entries:
            made = Bookmarks(path, clock=fixed_clock).add(key, language, paragraph, title)
            expected.setdefault((key, paragraph), made)
        if not entries:
            return
        assert Bookmarks(path).all() == list(expected.values())
        assert [
            (e["key"], e["language"], e["paragraph"], e["title"]) for e in on_disk(path)["bookmark"]
        ] == [(b.key, b.language, b.paragraph, b.title) for b in expected.values()]


# --- notes -----------------------------------------------------------------------------


@pytest.fixture
def notes(config_dir: Path) -> Notes:
    return Notes(config_dir / "notes.toml", clock=ticking_clock())


def test_a_note_on_a_paragraph_and_one_on_the_article(notes: Notes) -> None:
    on_paragraph = notes.add("a.md", "fi", "Hyvä kohta", paragraph=4, quote="Lause.")
    on_article = notes.add("a.md", "fi", "Koko juttu")
    assert on_paragraph == Note(
        on_paragraph.id,
        "a.md",
        4,
        "fi",
        "Lause.",
        "Hyvä kohta",
        "2026-11-25T03:40:00Z",
        "2026-11-25T03:40:00Z",
    )
    assert on_article.paragraph is None
    assert len(on_paragraph.id) == 12 and int(on_paragraph.id, 16) >= 0
    assert on_article.id != on_paragraph.id
    stored = on_disk(notes.path)["note"]
    assert stored[0]["paragraph"] == 4
    assert "paragraph" not in stored[1]
    assert notes.path.read_text("utf-8").count("[[note]]\n") == 2
    assert notes.for_article("a.md") == [on_paragraph, on_article]
    assert notes.keys() == {"a.md"}
    assert [note.id for note in notes.all()] == [on_paragraph.id, on_article.id]


def test_quotes_are_one_line_cut_to_120_characters(notes: Notes) -> None:
    note = notes.add("a.md", "en", "long", 0, quote="ä" * 500)
    assert note.quote == "ä" * 119 + "…"
    assert on_disk(notes.path)["note"][0]["quote"] == "ä" * 119 + "…"
    short = notes.add("a.md", "en", "short", 1, quote="  two\n lines\t ")
    assert short.quote == "two lines"


def test_updating_a_note_changes_its_text_and_time_only(notes: Notes) -> None:
    note = notes.add("a.md", "en", "draft", 1, "q")
    other = notes.add("b.md", "en", "other")
    updated = notes.update(note.id, "final")
    assert updated.text == "final"
    assert updated.created == note.created
    assert updated.updated > note.updated
    assert notes.all() == [updated, other]
    assert notes.update(note.id, "final") == updated  # same text: nothing to do


def test_updating_or_deleting_a_missing_note(notes: Notes) -> None:
    notes.add("a.md", "en", "kept")
    before = notes.path.read_bytes()
    with pytest.raises(KeyError):
        notes.update("000000000000", "x")
    assert notes.delete("000000000000") is False
    assert notes.path.read_bytes() == before


def test_deleting_notes(notes: Notes) -> None:
    first = notes.add("a.md", "en", "one")
    second = notes.add("a.md", "en", "two")
    assert notes.delete(first.id) is True
    assert notes.all() == [second]
    assert notes.delete(second.id) is True
    assert on_disk(notes.path) == {"version": 1}


def test_malformed_notes_are_skipped_but_kept(config_dir: Path) -> None:
    config_dir.mkdir()
    path = config_dir / "notes.toml"
    path.write_text(
        'version = 1\n[[note]]\nkey = "a.md"\ntext = "no id"\n'
        '[[note]]\nid = "x1"\nkey = "a.md"\ntext = "fine"\nmood = "happy"\n',
        "utf-8",
    )
    notes = Notes(path, clock=fixed_clock)
    assert [n.id for n in notes.all()] == ["x1"]
    notes.update("x1", "still fine")
    notes.add("b.md", "en", "new")
    stored = on_disk(path)["note"]
    assert stored[0] == {"key": "a.md", "text": "no id"}
    assert stored[1]["mood"] == "happy"
    assert stored[1]["text"] == "still fine"


@MANY
@given(
    key=hard_text,
    language=hard_text,
    text=hard_text,
    quote=hard_text,
    paragraph=st.none() | paragraphs,
)
def test_any_unicode_note_round_trips(
    key: str, language: str, text: str, quote: str, paragraph: int | None
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "notes.toml"
        made = Notes(path, clock=fixed_clock).add(key, language, text, paragraph, quote)
        assert made.quote == make_quote(quote)
        assert Notes(path).all() == [made]
        (stored,) = on_disk(path)["note"]
        assert (stored["key"], stored["text"], stored["quote"]) == (key, text, make_quote(quote))
        assert stored.get("paragraph") == paragraph


# --- reading state ---------------------------------------------------------------------


def test_positions_from_two_instances_are_both_kept(config_dir: Path) -> None:
    path = config_dir / "state.toml"
    first, second = ReadingState(path, fixed_clock), ReadingState(path, fixed_clock)
    first.set_position("a.md", "fi", 4)
    second.set_position("b.md", "de", 9)
    assert ReadingState(path).position("a.md") == ("fi", 4)
    assert ReadingState(path).position("b.md") == ("de", 9)
    assert on_disk(path)["articles"] == {
        "a.md": {"language": "fi", "paragraph": 4, "updated": "2026-11-25T03:40:00Z"},
        "b.md": {"language": "de", "paragraph": 9, "updated": "2026-11-25T03:40:00Z"},
    }


def test_ui_choices_round_trip(config_dir: Path) -> None:
    state = ReadingState(config_dir / "state.toml", fixed_clock)
    assert state.ui("theme") is None
    assert state.ui("theme", "textual-dark") == "textual-dark"
    state.set_ui("theme", "nord")
    assert ReadingState(config_dir / "state.toml").ui("theme") == "nord"
    assert on_disk(config_dir / "state.toml")["ui"] == {"theme": "nord"}
    state.set_ui("theme", None)
    assert state.ui("theme", "default") == "default"


def test_setting_the_same_position_again_does_not_touch_the_disk(config_dir: Path) -> None:
    state = ReadingState(config_dir / "state.toml", ticking_clock())
    state.set_position("a.md", "fi", 4)
    before = os.stat(state.path)
    state.set_position("a.md", "fi", 4)
    assert os.stat(state.path).st_ino == before.st_ino
    state.set_position("a.md", "en", 4)
    assert state.position("a.md") == ("en", 4)
    assert on_disk(state.path)["articles"]["a.md"]["updated"] == "2026-11-25T03:41:00Z"


def test_forget(config_dir: Path) -> None:
    state = ReadingState(config_dir / "state.toml", fixed_clock)
    state.set_position("x.md", "fi", 2)
    state.set_position("y.md", "en", 1)
    state.forget("y.md")
    assert state.position("y.md") is None
    assert state.position("x.md") == ("fi", 2)
    assert "y.md" not in (config_dir / "state.toml").read_text("utf-8")


def test_a_broken_state_file_reads_as_defaults_and_refuses_writes(config_dir: Path) -> None:
    config_dir.mkdir()
    content = b'version = 1\narticles = "everything"\n[ui]\ntheme = "nord"\n'
    (config_dir / "state.toml").write_bytes(content)
    state = ReadingState(config_dir / "state.toml", fixed_clock)
    assert state.position("a.md") is None
    assert state.ui("theme") is None
    assert state.error is not None
    assert "'articles' should be a table" in str(state.error)
    with pytest.raises(UserDataError):
        state.set_position("a.md", "en", 1)
    assert (config_dir / "state.toml").read_bytes() == content


@MANY
@given(key=hard_text, language=hard_text, paragraph=paragraphs, theme=hard_text)
def test_any_unicode_state_round_trips(key: str, language: str, paragraph: int, theme: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "state.toml"
        ReadingState(path, fixed_clock).set_position(key, language, paragraph)
        ReadingState(path, fixed_clock).set_ui("theme", theme)
        state = ReadingState(path)
        assert state.position(key) == (language, paragraph)
        assert state.ui("theme") == theme
        assert on_disk(path)["articles"][key]["language"] == language


# --- all together ----------------------------------------------------------------------


def test_problems_names_every_broken_file(config_dir: Path) -> None:
    data = UserData(config_dir, clock=fixed_clock)
    data.notes.add("a.md", "en", "fine")
    (config_dir / "bookmarks.toml").write_bytes(b"[[bookmark]\n")
    (config_dir / "state.toml").write_bytes(b"ui = 3\n")
    problems = data.problems()
    assert [p.path.name for p in problems] == ["bookmarks.toml", "state.toml"]
    assert problems[0].line == 1
    assert data.bookmarks.all() == []
    assert [n.text for n in data.notes.all()] == ["fine"]


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"key": 1}, "key"),
        ({"language": None}, "language"),
        ({"text": b"x"}, "text"),
        ({"quote": 3}, "quote"),
        ({"paragraph": "2"}, "paragraph"),
        ({"paragraph": -1}, "paragraph"),
    ],
)
def test_a_bad_note_argument_is_named_and_nothing_is_written(
    tmp_path: Path, bad: dict[str, object], named: str
) -> None:

    notes = UserData(tmp_path).notes
    arguments: dict[str, object] = {"key": "k", "language": "de", "text": "t", **bad}
    with pytest.raises((TypeError, ValueError), match=rf"^{named} (must|holds)"):
        notes.add(**arguments)  # type: ignore[arg-type]
    assert not (tmp_path / "notes.toml").exists()


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"key": 1}, "key"),
        ({"language": None}, "language"),
        ({"paragraph": True}, "paragraph"),
        ({"title": 2}, "title"),
    ],
)
def test_a_bad_bookmark_argument_is_named_and_nothing_is_written(
    tmp_path: Path, bad: dict[str, object], named: str
) -> None:

    bookmarks = UserData(tmp_path).bookmarks
    arguments: dict[str, object] = {"key": "k", "language": "de", "paragraph": 0, "title": "T"}
    arguments.update(bad)
    with pytest.raises((TypeError, ValueError), match=rf"^{named} (must|holds)"):
        bookmarks.add(**arguments)  # type: ignore[arg-type]
    with pytest.raises((TypeError, ValueError), match=rf"^{named} (must|holds)"):
        bookmarks.toggle(**arguments)  # type: ignore[arg-type]
    assert not (tmp_path / "bookmarks.toml").exists()


def test_a_note_without_a_quote_keeps_none(tmp_path: Path) -> None:

    note = UserData(tmp_path).notes.add("k", "de", "t")
    assert note.quote == "" and UserData(tmp_path).notes.all()[0].quote == ""


# --- what the mutation check found untested (make mutate userdata) ------------------------


def test_a_quote_of_exactly_120_characters_is_kept_whole(notes: Notes) -> None:
    assert notes.add("a.md", "en", "t", 0, quote="q" * 120).quote == "q" * 120
    assert make_quote("q" * 121) == "q" * 119 + "…"


def test_a_note_id_is_12_hex_digits_and_never_one_already_taken(
    notes: Notes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uuid

    first = notes.add("a.md", "en", "first")
    assert len(first.id) == 12 and int(first.id, 16) >= 0
    # The random id comes out equal to the first note's once: the next one is taken.
    ids = iter([first.id + "0" * 20, "abcdef012345" + "0" * 20])
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(next(ids)))
    second = notes.add("a.md", "en", "second")
    assert second.id == "abcdef012345"
    assert [n.id for n in notes.all()] == [first.id, "abcdef012345"]


def test_updating_or_deleting_with_no_notes_at_all(notes: Notes) -> None:
    with pytest.raises(KeyError) as caught:
        notes.update("000000000000", "x")
    assert caught.value.args == ("000000000000",)  # the CLI names the id it did not find
    assert notes.delete("000000000000") is False
    assert not notes.path.exists()
    notes.path.parent.mkdir(parents=True, exist_ok=True)
    notes.path.write_text("version = 1\n", "utf-8")
    with pytest.raises(KeyError):
        notes.update("000000000000", "x")
    assert notes.delete("000000000000") is False
    assert notes.path.read_text("utf-8") == "version = 1\n"


def test_a_note_text_that_is_not_text_is_named(notes: Notes) -> None:
    note = notes.add("a.md", "en", "kept")
    with pytest.raises(TypeError, match=r"^text must be a str, not int$"):
        notes.update(note.id, 5)  # type: ignore[arg-type]
    assert [n.text for n in notes.all()] == ["kept"]


def test_notes_that_are_not_an_array_of_tables_are_left_alone(config_dir: Path) -> None:
    config_dir.mkdir()
    path = config_dir / "notes.toml"
    path.write_text('version = 1\nnote = "written by hand"\n', "utf-8")
    notes = Notes(path)
    assert notes.error is not None
    assert notes.error.reason == "unexpected structure: 'note' should be [[note]] tables"
    with pytest.raises(UserDataError):
        notes.add("a.md", "en", "x")
    assert path.read_text("utf-8") == 'version = 1\nnote = "written by hand"\n'


GOOD_NOTE = {
    "id": "n1",
    "key": "a.md",
    "paragraph": 1,
    "language": "en",
    "quote": "q",
    "text": "t",
    "created": "c",
    "updated": "u",
}


@pytest.mark.parametrize(
    "bad",
    [
        {"id": 1},
        {"id": ""},
        {"key": 1},
        {"text": 1},
        {"paragraph": -1},
        {"language": 1},
        {"quote": 1},
        {"created": 1},
        {"updated": 1},
    ],
    ids=str,
)
def test_a_note_with_one_bad_field_is_skipped(bad: dict[str, object]) -> None:
    assert Note.from_toml(GOOD_NOTE) is not None
    assert Note.from_toml({**GOOD_NOTE, **bad}) is None


GOOD_BOOKMARK = {"key": "a.md", "language": "en", "paragraph": 1, "title": "T", "created": "c"}


@pytest.mark.parametrize(
    "bad",
    [{"key": 1}, {"language": 1}, {"paragraph": "1"}, {"title": 1}, {"created": 1}],
    ids=str,
)
def test_a_bookmark_with_one_bad_field_is_skipped(bad: dict[str, object]) -> None:
    assert Bookmark.from_toml(GOOD_BOOKMARK) is not None
    assert Bookmark.from_toml({**GOOD_BOOKMARK, **bad}) is None


def test_toggle_takes_only_that_paragraphs_bookmark_away(bookmarks: Bookmarks) -> None:
    bookmarks.add("a.md", "en", 1, "A")
    bookmarks.add("a.md", "en", 2, "A")
    bookmarks.add("b.md", "en", 1, "B")
    assert bookmarks.toggle("a.md", "de", 1, "A") is False
    assert [(b.key, b.paragraph) for b in bookmarks.all()] == [("a.md", 2), ("b.md", 1)]

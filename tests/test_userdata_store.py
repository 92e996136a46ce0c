"""TomlStore and friends: what ends up on disk, what a broken file does, where files live."""

from __future__ import annotations

import errno
import os
import pickle
import stat
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.userdata import (
    APP_NAME,
    Bookmarks,
    Notes,
    TomlStore,
    UserData,
    UserDataError,
    resolve_cache_dir,
    resolve_config_dir,
)
from reader.userdata.store import dumps, parse_toml

REPO = Path(__file__).resolve().parent.parent
FIXED = datetime(2026, 11, 25, 3, 40, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED


def temporaries(directory: Path) -> list[str]:
    """Names of temporary files left in a directory by writers."""
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --- reading ---------------------------------------------------------------------------


def test_missing_file_reads_as_empty_version_1_and_creates_nothing(config_dir: Path) -> None:
    store = TomlStore(config_dir / "bookmarks.toml")
    assert store.load() == {"version": 1}
    assert store.check() is None
    assert not config_dir.exists()


def test_user_data_is_cheap_to_make_and_creates_nothing_until_a_write(config_dir: Path) -> None:
    data = UserData(config_dir, clock=fixed_clock)
    assert data.problems() == []
    assert data.bookmarks.all() == []
    assert data.notes.all() == []
    assert data.state.position("a.md") is None
    assert not config_dir.exists()
    data.bookmarks.add("a.md", "en", 0, "A")
    assert sorted(p.name for p in config_dir.iterdir()) == ["bookmarks.toml", "bookmarks.toml.lock"]


def test_load_returns_a_copy_the_caller_may_change(config_dir: Path) -> None:
    store = TomlStore(config_dir / "state.toml")
    store.update(lambda data: data.update(ui={"theme": "nord"}))
    first = store.load()
    first["ui"]["theme"] = "changed in memory"
    assert store.load()["ui"] == {"theme": "nord"}


def test_a_utf8_byte_order_mark_is_accepted(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "state.toml").write_bytes(b'\xef\xbb\xbfversion = 1\nlast_opened = "a"\n')
    assert TomlStore(config_dir / "state.toml").load() == {"version": 1, "last_opened": "a"}


# --- broken files ----------------------------------------------------------------------


def write_broken(config_dir: Path, name: str, content: bytes) -> Path:
    config_dir.mkdir(exist_ok=True)
    path = config_dir / name
    path.write_bytes(content)
    return path


def test_syntax_error_gives_file_line_column_reason_and_advice(config_dir: Path) -> None:
    path = write_broken(config_dir, "bookmarks.toml", b'version = 1\n[[bookmark]]\nkey "x"\n')
    error = TomlStore(path).check()
    assert error is not None
    assert (error.path, error.line, error.column) == (path, 3, 5)
    assert error.reason == "Expected '=' after a key in a key/value pair"
    assert str(error) == (
        "bookmarks.toml line 3, column 5: Expected '=' after a key in a key/value pair"
        " — not changed; fix it or move it aside"
    )


def test_error_at_end_of_document_points_at_the_last_line(config_dir: Path) -> None:
    path = write_broken(config_dir, "notes.toml", b"version = 1\n\nunfinished")
    error = TomlStore(path).check()
    assert error is not None
    assert (error.line, error.column) == (3, 11)


def test_bytes_that_are_not_utf8_are_reported_with_their_position(config_dir: Path) -> None:
    path = write_broken(config_dir, "notes.toml", b'version = 1\ntext = "caf\xe9"\n')
    error = TomlStore(path).check()
    assert error is not None
    assert (error.line, error.column) == (2, 12)
    assert "not valid UTF-8 (byte 0xe9)" in str(error)


def test_absurd_nesting_is_an_error_not_a_crash(config_dir: Path) -> None:
    path = write_broken(config_dir, "state.toml", b"x = " + b"[" * 20000 + b"]" * 20000)
    assert isinstance(TomlStore(path).check(), UserDataError)


def test_a_directory_in_the_way_is_an_error_not_a_crash(config_dir: Path) -> None:
    (config_dir / "notes.toml").mkdir(parents=True)
    notes = Notes(config_dir / "notes.toml")
    assert notes.all() == []
    assert notes.error is not None
    assert "cannot be read" in notes.error.reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bookmarks.toml", b'bookmark = "x"\n', "'bookmark' should be [[bookmark]] tables"),
        ("bookmarks.toml", b'version = "one"\n', "'version' should be a whole number"),
    ],
)
def test_valid_toml_of_the_wrong_shape_is_read_only(
    config_dir: Path, name: str, content: bytes, reason: str
) -> None:
    path = write_broken(config_dir, name, content)
    bookmarks = Bookmarks(path, clock=fixed_clock)
    assert bookmarks.all() == []
    assert bookmarks.error is not None
    assert reason in str(bookmarks.error)
    with pytest.raises(UserDataError, match="unexpected structure"):
        bookmarks.add("a.md", "en", 1, "A")
    assert path.read_bytes() == content


def test_a_broken_file_is_never_written_and_change_never_runs(config_dir: Path) -> None:
    content = b'version = 1\n[[note]]\nid = "abc"\ntext = """never closed\n'
    path = write_broken(config_dir, "notes.toml", content)
    called: list[dict[str, Any]] = []
    with pytest.raises(UserDataError) as caught:
        TomlStore(path).update(called.append)
    assert caught.value.line is not None
    assert called == []
    assert path.read_bytes() == content
    assert temporaries(config_dir) == []


def test_the_error_is_rebuilt_each_time_and_survives_pickling(config_dir: Path) -> None:
    path = write_broken(config_dir, "notes.toml", b"= 1\n")
    store = TomlStore(path)
    first, second = store.check(), store.check()
    assert first is not None and second is not None
    assert first is not second
    assert str(first) == str(second)
    copy = pickle.loads(pickle.dumps(first))
    assert (str(copy), copy.line, copy.column, copy.path) == (
        str(first),
        first.line,
        first.column,
        first.path,
    )


def test_a_fixed_file_is_usable_again_without_restarting(config_dir: Path) -> None:
    path = write_broken(config_dir, "bookmarks.toml", b"version = \n")
    bookmarks = Bookmarks(path, clock=fixed_clock)
    assert bookmarks.error is not None
    path.write_bytes(b"version = 1\n")
    assert bookmarks.error is None
    bookmarks.add("a.md", "en", 1, "A")
    assert [b.key for b in bookmarks.all()] == ["a.md"]


def test_move_aside_keeps_the_content_under_a_dated_name(config_dir: Path) -> None:
    content = b"version = = 1\n"
    path = write_broken(config_dir, "bookmarks.toml", content)
    bookmarks = Bookmarks(path, clock=fixed_clock)
    aside = bookmarks.move_aside()
    assert aside == config_dir / "bookmarks.toml.corrupt-20261125-034000"
    assert aside.read_bytes() == content
    assert not path.exists()
    assert bookmarks.error is None
    bookmarks.add("a.md", "en", 1, "A")
    assert tomllib.loads(path.read_text("utf-8"))["bookmark"][0]["key"] == "a.md"


def test_move_aside_never_overwrites_an_earlier_copy(config_dir: Path) -> None:
    store = TomlStore(config_dir / "notes.toml", clock=fixed_clock)
    moved = []
    for content in (b"first = \n", b"second = \n", b"third = \n"):
        write_broken(config_dir, "notes.toml", content)
        moved.append(store.move_aside())
    assert [p.name for p in moved] == [
        "notes.toml.corrupt-20261125-034000",
        "notes.toml.corrupt-20261125-034000-2",
        "notes.toml.corrupt-20261125-034000-3",
    ]
    assert [p.read_bytes() for p in moved] == [b"first = \n", b"second = \n", b"third = \n"]


def test_move_aside_without_a_file_says_so(config_dir: Path) -> None:
    with pytest.raises(FileNotFoundError):
        TomlStore(config_dir / "notes.toml").move_aside()


# --- writing ---------------------------------------------------------------------------


def test_a_new_file_starts_with_version_1(config_dir: Path) -> None:
    store = TomlStore(config_dir / "state.toml")
    store.update(lambda data: data.update(last_opened="a.md"))
    text = (config_dir / "state.toml").read_text("utf-8")
    assert text.startswith("version = 1\n")
    assert tomllib.loads(text) == {"version": 1, "last_opened": "a.md"}
    assert temporaries(config_dir) == []


def test_a_newer_version_and_unknown_keys_are_kept(config_dir: Path) -> None:
    path = write_broken(
        config_dir,
        "bookmarks.toml",
        b"version = 2\n"
        b'sync = { server = "example.org", every = 15 }\n'
        b"[[bookmark]]\n"
        b'key = "old.md"\nlanguage = "de"\nparagraph = 4\ntitle = "Alt"\n'
        b'created = "2030-01-01T00:00:00Z"\ncolour = "red"\n'
        b"[bookmark.highlight]\nstart = 3\nend = 9\n"
        b"[[bookmark]]\n"
        b'note = "an entry from the future, without a key"\n'
        b"[future]\nenabled = true\n",
    )
    before = tomllib.loads(path.read_text("utf-8"))
    Bookmarks(path, clock=fixed_clock).add("new.md", "fi", 1, "Uusi")
    after = tomllib.loads(path.read_text("utf-8"))
    assert after["version"] == 2
    assert after["sync"] == before["sync"]
    assert after["future"] == {"enabled": True}
    assert after["bookmark"][:2] == before["bookmark"]
    assert after["bookmark"][2] == {
        "key": "new.md",
        "language": "fi",
        "paragraph": 1,
        "title": "Uusi",
        "created": "2026-11-25T03:40:00Z",
    }


def test_arrays_of_tables_are_written_as_blocks_and_read_back_equal() -> None:
    data = {
        "version": 1,
        "ui": {"theme": "nord"},
        "note": [
            {"id": "a", "text": "short"},
            {"id": "b", "extra": {"deep": [1, 2]}, "marks": [{"at": 1}, {"at": 2}]},
            {},
            {"only": {"sub": "table"}},
        ],
        "odd key": [{"x": 1}],
        "numbers": [1, 2],
    }
    text = dumps(data)
    assert text.count("[[note]]\n") == 4
    assert '[["odd key"]]\n' in text
    assert tomllib.loads(text) == data


def test_nothing_is_written_when_nothing_changes(config_dir: Path) -> None:
    bookmarks = Bookmarks(config_dir / "bookmarks.toml", clock=fixed_clock)
    bookmarks.add("a.md", "en", 1, "A")
    before = os.stat(bookmarks.path)
    assert bookmarks.remove("missing.md") == 0
    bookmarks.add("a.md", "en", 1, "A")
    after = os.stat(bookmarks.path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_new_file_is_private_and_an_existing_files_mode_is_kept(config_dir: Path) -> None:
    notes = Notes(config_dir / "notes.toml", clock=fixed_clock)
    notes.add("a.md", "en", "private thoughts")
    assert stat.S_IMODE(os.stat(notes.path).st_mode) == 0o600
    os.chmod(notes.path, 0o640)
    notes.add("a.md", "en", "more")
    assert stat.S_IMODE(os.stat(notes.path).st_mode) == 0o640


def test_a_symlinked_file_stays_a_symlink(config_dir: Path, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "notes.toml"
    real.parent.mkdir()
    real.write_text("version = 1\n", "utf-8")
    config_dir.mkdir()
    (config_dir / "notes.toml").symlink_to(real)
    Notes(config_dir / "notes.toml", clock=fixed_clock).add("a.md", "en", "hi")
    assert (config_dir / "notes.toml").is_symlink()
    assert tomllib.loads(real.read_text("utf-8"))["note"][0]["text"] == "hi"


def test_stray_temporary_files_are_never_read_and_are_cleaned_up(config_dir: Path) -> None:
    notes = Notes(config_dir / "notes.toml", clock=fixed_clock)
    notes.add("a.md", "en", "kept")
    stray = config_dir / ".notes.toml.k1ll3d.tmp"
    stray.write_bytes(b'version = 1\n[[note]]\nid = "ghost"\nkey = "x"\ntext = "half')
    assert [n.text for n in Notes(config_dir / "notes.toml").all()] == ["kept"]
    notes.add("a.md", "en", "second")
    assert not stray.exists()
    assert [n.text for n in notes.all()] == ["kept", "second"]


def test_text_that_cannot_be_encoded_is_refused_before_touching_the_file(
    config_dir: Path,
) -> None:
    store = TomlStore(config_dir / "notes.toml")
    with pytest.raises(ValueError, match="surrogates"):
        store.update(lambda data: data.update(text="\ud800"))
    assert not (config_dir / "notes.toml").exists()


def test_a_failed_save_is_a_user_data_error_and_keeps_the_old_file(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = Notes(config_dir / "notes.toml", clock=fixed_clock)
    notes.add("a.md", "en", "kept")
    before = notes.path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(UserDataError) as caught:
        notes.add("a.md", "en", "lost")
    monkeypatch.undo()
    assert str(caught.value) == (
        "notes.toml: could not be saved (No space left on device) — the change was not saved"
    )
    assert notes.path.read_bytes() == before
    assert temporaries(config_dir) == []
    assert [n.text for n in notes.all()] == ["kept"]


# --- locations and imports -------------------------------------------------------------


def test_config_dir_prefers_cli_then_environment_then_platform(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_config_dir("~/from-cli") == isolated_home / "from-cli"
    assert resolve_config_dir(Path("/somewhere")) == Path("/somewhere")
    monkeypatch.setenv("READER_CONFIG_DIR", "~/from-env")
    assert resolve_config_dir() == isolated_home / "from-env"
    monkeypatch.delenv("READER_CONFIG_DIR")
    assert resolve_config_dir() == isolated_home / ".config" / APP_NAME


def test_cache_dir_prefers_environment_then_platform(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_cache_dir() == isolated_home / "cache"
    monkeypatch.delenv("READER_CACHE_DIR")
    assert resolve_cache_dir() == isolated_home / ".cache" / APP_NAME


def test_userdata_never_imports_textual() -> None:
    code = "import sys, reader.userdata; print(sorted(m for m in sys.modules if 'textual' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


_COMMENTISH = st.lists(
    st.one_of(
        st.just(""),
        st.text(alphabet=" \t", max_size=3),
        st.builds(
            lambda indent, body: f"{indent}#{body}",
            st.text(alphabet=" \t", max_size=2),
            st.text(max_size=12),
        ),
        st.sampled_from(["x = 1", "[table]", "# ok\r", "\r", "#\x00", "#\x7f", "#\x0b"]),
    ),
    max_size=6,
).map("\n".join)


@given(text=_COMMENTISH)
def test_a_comment_only_file_reads_as_tomllib_reads_it(text: str) -> None:
    # The commented-out config.toml template is read without loading tomllib; the
    # answer must be exactly tomllib's, including its refusals.
    path = Path("config.toml")
    try:
        expected: dict[str, Any] | None = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        expected = None
    try:
        found: dict[str, Any] | None = parse_toml(path, text.encode("utf-8", "surrogatepass"))
    except UserDataError:
        found = None
    assert found == expected


# --- what the mutation check found untested (make mutate userdata) ------------------------


def test_an_error_at_the_end_after_a_final_newline_points_at_the_last_line(
    config_dir: Path,
) -> None:
    for content, where in (
        (b"x = [1,\n", "line 1, column 8"),
        (b"a = 1\nx = [1,\n", "line 2, column 8"),
    ):
        path = write_broken(config_dir, "notes.toml", content)
        error = TomlStore(path).check()
        assert error is not None
        assert str(error) == f"notes.toml {where}: Invalid value — " + (
            "not changed; fix it or move it aside"
        )


def test_a_bad_byte_on_a_later_line_is_placed_from_that_lines_start(config_dir: Path) -> None:
    path = write_broken(config_dir, "notes.toml", b'version = 1\na = "x"\nb = "caf\xe9"\n')
    error = TomlStore(path).check()
    assert error is not None
    assert (error.line, error.column) == (3, 9)


def test_absurd_nesting_says_so(config_dir: Path) -> None:
    path = write_broken(config_dir, "state.toml", b"x = " + b"[" * 20000 + b"]" * 20000)
    error = TomlStore(path).check()
    assert error is not None
    assert str(error) == "state.toml: values are nested too deeply — " + (
        "not changed; fix it or move it aside"
    )


def test_a_wrong_version_is_explained(config_dir: Path) -> None:
    path = write_broken(config_dir, "bookmarks.toml", b'version = "1"\n')
    error = TomlStore(path).check()
    assert error is not None
    assert str(error) == (
        "bookmarks.toml: unexpected structure: 'version' should be a whole number"
        " — not changed; fix it or move it aside"
    )


def test_a_file_that_cannot_be_read_is_named_with_the_systems_reason(config_dir: Path) -> None:
    (config_dir / "notes.toml").mkdir(parents=True)
    error = Notes(config_dir / "notes.toml").error
    assert error is not None
    assert str(error) == "notes.toml: cannot be read (Is a directory) — " + (
        "not changed; fix it or move it aside"
    )


@pytest.mark.parametrize("text", ["\r# comment\n", "\x0c# comment\n", "X # comment\n"])
def test_a_line_that_only_looks_like_a_comment_is_an_error(config_dir: Path, text: str) -> None:
    # Not a comment to TOML (a lone CR, a form feed, a bare key before the #): the file
    # is broken, not empty, and is never overwritten.
    path = write_broken(config_dir, "notes.toml", text.encode())
    notes = Notes(path)
    assert notes.error is not None
    with pytest.raises(UserDataError):
        notes.add("a.md", "en", "x")
    assert path.read_bytes() == text.encode()


def test_a_change_that_changes_nothing_creates_no_file(config_dir: Path) -> None:
    store = TomlStore(config_dir / "bookmarks.toml")
    assert store.update(lambda data: None) == {"version": 1}
    assert not (config_dir / "bookmarks.toml").exists()
    assert Bookmarks(config_dir / "bookmarks.toml").remove("a.md") == 0
    assert not (config_dir / "bookmarks.toml").exists()


def test_a_hand_written_file_without_version_gets_one_on_the_next_write(config_dir: Path) -> None:
    path = write_broken(
        config_dir,
        "bookmarks.toml",
        b'[[bookmark]]\nkey = "a.md"\nlanguage = "en"\nparagraph = 1\n',
    )
    Bookmarks(path, clock=fixed_clock).add("b.md", "en", 2, "B")
    assert path.read_text("utf-8").startswith("version = 1\n\n[[bookmark]]\n")
    assert tomllib.loads(path.read_text("utf-8"))["version"] == 1
    assert [b.key for b in Bookmarks(path).all()] == ["a.md", "b.md"]


def test_the_data_an_update_returns_is_the_callers_to_change(config_dir: Path) -> None:
    store = TomlStore(config_dir / "notes.toml")
    written = store.update(lambda data: data.update(note=[{"id": "a", "text": "kept"}]))
    written["note"].append({"id": "b", "text": "never written"})
    written["note"][0]["text"] = "changed in memory only"
    assert store.load() == {"version": 1, "note": [{"id": "a", "text": "kept"}]}


def _write_and_die_before_the_rename(path: Path) -> None:
    """In a child process: start a note, and die the moment its file would replace the
    old one (a power cut or a kill -9 at the worst time)."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from reader.userdata import Notes\n"
        "os.replace = lambda *a, **k: os._exit(9)\n"
        "Notes(Path(sys.argv[1])).add('a.md', 'en', 'half written')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    died = subprocess.run([sys.executable, "-c", code, str(path)], env=env, check=False)
    assert died.returncode == 9


def test_a_writer_that_dies_before_the_rename_leaves_the_old_file_and_the_next_write_tidies(
    config_dir: Path,
) -> None:
    path = config_dir / "notes.toml"
    notes = Notes(path, clock=fixed_clock)
    notes.add("a.md", "en", "kept")
    before = path.read_bytes()
    (config_dir / "draft.tmp").write_text("the user's own file")
    (config_dir / ".bookmarks.toml.other.tmp").write_text("another file's writer")
    _write_and_die_before_the_rename(path)
    assert path.read_bytes() == before
    # The dead writer's file is beside the old one (same directory, so the rename would
    # have been atomic), hidden and named after it.
    (left,) = [name for name in temporaries(config_dir) if name.startswith(".notes.toml.")]
    assert left.endswith(".tmp")
    assert b"half written" in (config_dir / left).read_bytes()
    notes.add("a.md", "en", "second")
    assert temporaries(config_dir) == [".bookmarks.toml.other.tmp", "draft.tmp"]
    assert [n.text for n in notes.all()] == ["kept", "second"]


def test_move_aside_names_a_missing_file(config_dir: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"notes\.toml"):
        TomlStore(config_dir / "notes.toml").move_aside()


def test_move_aside_dates_the_copy_in_utc(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time
    from datetime import timedelta, timezone

    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the local zone is neither the clock's nor UTC
    time.tzset()
    try:
        path = write_broken(config_dir, "notes.toml", b"broken = \n")
        at_home = datetime(2026, 11, 25, 12, 0, tzinfo=timezone(timedelta(hours=2)))
        aside = TomlStore(path, clock=lambda: at_home).move_aside()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert aside.name == "notes.toml.corrupt-20261125-100000"


def test_a_file_that_cannot_be_moved_aside_stays_and_says_why(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root renames in a read-only directory, so the refusal is injected here (the
    # `permissions` tests cover read-only directories for an ordinary user).
    path = write_broken(config_dir, "notes.toml", b"broken = \n")

    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(UserDataError) as caught:
        Notes(path).move_aside()
    monkeypatch.undo()
    assert str(caught.value) == (
        "notes.toml: could not be moved aside (Permission denied) — nothing was changed"
    )
    assert path.read_bytes() == b"broken = \n"


def test_a_file_written_by_another_instance_after_a_move_aside_is_read(config_dir: Path) -> None:
    path = write_broken(config_dir, "notes.toml", b"broken = \n")
    mine = Notes(path, clock=fixed_clock)
    mine.move_aside()
    Notes(path, clock=fixed_clock).add("a.md", "en", "from the other window")
    assert [n.text for n in mine.all()] == ["from the other window"]

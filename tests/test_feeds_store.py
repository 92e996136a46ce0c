"""feeds.toml and feeds-state.toml: what ends up on disk, concurrent writers, broken files."""

from __future__ import annotations

import subprocess
import sys
import threading
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.cli import main
from reader.userdata.feed_state import MAX_SEEN, FeedState
from reader.userdata.feeds import Feeds, same_url
from reader.userdata.new_marks import NewMarks
from reader.userdata.store import UserDataError
from tests.conftest import REPO

FIXED = datetime(2026, 11, 25, 3, 40, tzinfo=UTC)


def test_feeds_toml_is_versioned_readable_and_deduplicated(config_dir: Path) -> None:
    feeds = Feeds(config_dir / "feeds.toml", clock=lambda: FIXED)
    feed, added = feeds.add("https://example.org/feed.xml", "Example News")
    assert added and feed.title == "Example News"
    again, added = feeds.add("HTTPS://Example.ORG/feed.xml#latest", "Other")
    assert not added and again == feed
    data = tomllib.loads((config_dir / "feeds.toml").read_text("utf-8"))
    assert data == {
        "version": 1,
        "feed": [
            {
                "url": "https://example.org/feed.xml",
                "title": "Example News",
                "added": "2026-11-25T03:40:00Z",
            }
        ],
    }
    assert "[[feed]]" in (config_dir / "feeds.toml").read_text("utf-8")


def test_set_title_fills_an_empty_title_but_never_replaces_the_users(config_dir: Path) -> None:
    feeds = Feeds(config_dir / "feeds.toml")
    feeds.add_many([("https://a.example/feed", ""), ("https://b.example/feed", "Mine")])
    feeds.set_title("https://a.example/feed", "From the feed")
    feeds.set_title("https://b.example/feed", "From the feed")
    assert [f.title for f in feeds.all()] == ["From the feed", "Mine"]


def test_unknown_keys_and_comments_of_other_versions_are_kept(config_dir: Path) -> None:
    path = config_dir / "feeds.toml"
    config_dir.mkdir(parents=True)
    path.write_text(
        'version = 1\nsync = "later"\n\n[[feed]]\nurl = "https://a.example/feed"\n'
        'title = "A"\ncolour = "blue"\n',
        "utf-8",
    )
    feeds = Feeds(path)
    feeds.add("https://b.example/feed")
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["sync"] == "later"
    assert data["feed"][0]["colour"] == "blue"
    assert [f["url"] for f in data["feed"]] == ["https://a.example/feed", "https://b.example/feed"]


def test_a_broken_feeds_toml_is_never_overwritten(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_dir / "feeds.toml"
    config_dir.mkdir(parents=True)
    broken = b'version = 1\n[[feed]]\nurl = "https://a.example/feed\n'
    path.write_bytes(broken)
    feeds = Feeds(path)
    assert feeds.all() == []
    with pytest.raises(UserDataError):
        feeds.add("https://b.example/feed")
    for args in (["feeds", "list"], ["feeds", "remove", "https://a.example/feed"]):
        assert main(args) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith("reader: feeds.toml line 3")
        assert err.count("\n") == 1
    assert path.read_bytes() == broken


def test_feeds_remove_and_its_state(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feeds = Feeds(config_dir / "feeds.toml")
    feeds.add("https://a.example/feed", "A")
    assert main(["feeds", "remove", "https://b.example/feed"]) == 1
    assert "not following https://b.example/feed" in capsys.readouterr().err
    assert main(["feeds", "remove", "https://A.example/feed"]) == 0
    assert "stopped following A" in capsys.readouterr().out
    assert feeds.all() == []


WORKER = """
import sys
from pathlib import Path
from reader.userdata.feeds import Feeds
from reader.userdata.feed_state import FeedState
from reader.userdata.new_marks import NewMarks

feeds, state, worker = Feeds(Path(sys.argv[1])), FeedState(Path(sys.argv[2])), int(sys.argv[3])
marks = NewMarks(Path(sys.argv[2]).with_name("new.toml"))
print("ready", flush=True)
sys.stdin.readline()  # start together
for i in range(40):
    feeds.add(f"https://site{worker}.example/feed{i}", f"feed {worker}/{i}")
    state.record_imported("https://shared.example/feed", [f"id-{worker}-{i}"],
                          [f"https://shared.example/{worker}/{i}"])
    marks.add([f"key-{worker}-{i}"])
print("done", flush=True)
"""


def test_two_processes_adding_feeds_and_recording_entries_lose_nothing(tmp_path: Path) -> None:
    feeds_path, state_path = tmp_path / "config" / "feeds.toml", tmp_path / "data" / "state.toml"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(feeds_path), str(state_path), str(n)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0 and out.strip() == "done"
    urls = {feed.url for feed in Feeds(feeds_path).all()}
    assert urls == {f"https://site{w}.example/feed{i}" for w in range(3) for i in range(40)}
    status = FeedState(state_path).status("https://shared.example/feed")
    assert status.seen == {f"id-{w}-{i}" for w in range(3) for i in range(40)}
    assert status.imported == 120
    assert len(NewMarks(state_path.with_name("new.toml")).keys()) == 120


def test_threads_recording_several_feeds_at_once_lose_nothing(tmp_path: Path) -> None:
    state = FeedState(tmp_path / "feeds-state.toml")
    start = threading.Barrier(4)

    def work(feed: int) -> None:
        start.wait()
        for i in range(25):
            url = f"https://f{feed}.example/feed"
            state.record_imported(url, [f"{feed}-{i}"], [])
        state.record_success(url, entries=25, etag=f'"e{feed}"', last_modified="")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fresh = FeedState(tmp_path / "feeds-state.toml")
    for feed in range(4):
        status = fresh.status(f"https://f{feed}.example/feed")
        assert (status.imported, status.entries, status.etag) == (25, 25, f'"e{feed}"')
        assert len(status.seen) == 25


def test_an_error_forgets_the_validators_and_a_success_clears_the_error(tmp_path: Path) -> None:
    state = FeedState(tmp_path / "s.toml", clock=lambda: FIXED)
    url = "https://a.example/feed"
    state.record_success(url, entries=3, etag='"v1"', last_modified=HTTP_DATE)
    assert (state.status(url).etag, state.status(url).last_modified) == ('"v1"', HTTP_DATE)
    state.record_error(url, "HTTP 500 from a.example")
    status = state.status(url)
    assert (status.etag, status.last_modified, status.last_error) == (
        "",
        "",
        "HTTP 500 from a.example",
    )
    assert status.last_error_at == "2026-11-25T03:40:00Z"
    state.record_success(url, entries=None, etag=None, last_modified=None)
    status = state.status(url)
    assert (status.last_error, status.entries, status.last_success) == (
        "",
        3,
        "2026-11-25T03:40:00Z",
    )


HTTP_DATE = "Tue, 14 Nov 2023 22:13:20 GMT"


def test_new_marks_are_cleared_one_by_one_and_seen_ids_are_capped(tmp_path: Path) -> None:
    state, marks = FeedState(tmp_path / "s.toml"), NewMarks(tmp_path / "new.toml")
    url = "https://a.example/feed"
    state.record_imported(url, ["a"], ["https://a.example/1"])
    marks.add(["one", "two"])
    marks.add(["two"])
    assert marks.keys() == {"one", "two"}
    marks.clear("one")
    assert marks.keys() == {"two"}
    before = (tmp_path / "new.toml").stat().st_mtime_ns
    marks.clear("one")  # not marked: the file is not written
    assert (tmp_path / "new.toml").stat().st_mtime_ns == before
    state.record_known(url, [f"id{i}" for i in range(MAX_SEEN + 10)], [])
    seen = state.status(url).seen
    assert len(seen) == MAX_SEEN and "a" not in seen and f"id{MAX_SEEN + 9}" in seen
    state.forget(url)
    assert state.status(url).seen == frozenset()


def test_same_url_ignores_case_of_scheme_and_host_and_the_fragment() -> None:
    assert same_url(" HTTPS://Example.org/Feed?x=1#top ") == "https://example.org/Feed?x=1"


def test_a_broken_fetch_state_stops_a_refresh_before_anything_is_fetched(
    isolated_home: Path, config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Feeds(config_dir / "feeds.toml").add("http://127.0.0.1:9/feed.xml", "Nowhere")
    state = isolated_home / "data" / "feeds-state.toml"
    state.parent.mkdir(parents=True)
    broken = b"version = 1\n[feeds\n"
    state.write_bytes(broken)
    assert main(["feeds", "refresh"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("reader: feeds-state.toml line 2") and err.count("\n") == 1
    assert state.read_bytes() == broken
    # the list still shows the feeds, and says why their history is missing
    assert main(["feeds", "list"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Nowhere\thttp://127.0.0.1:9/feed.xml\tnever\t0 entries\tok")
    assert err.startswith("reader: feeds-state.toml line 2")

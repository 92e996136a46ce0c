"""One snapshot per screen, and the scripts that need care (Chinese, Sanskrit, Greek).

Plain ``def`` tests (pytest-textual-snapshot). After a deliberate change, look at the
report and approve with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from reader.library import Library, bundled_library_path
from reader.tui.app import ReaderApp
from reader.userdata import UserData
from reader.userdata.config import Config
from tests.conftest import REPO
from tests.tui_helpers import settle

FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _app(
    config_dir: Path,
    *,
    languages: tuple[str, ...] = ("de",),
    open_key: str | None = None,
    language: str | None = None,
) -> ReaderApp:
    userdata = UserData(config_dir, clock=lambda: FIXED)
    library = Library([bundled_library_path()], name="bundled library")
    app = ReaderApp(
        library, userdata, languages=languages, open_key=open_key, open_language=language
    )
    app.theme = "textual-dark"
    return app


async def _settle(pilot: Pilot[None]) -> None:
    await settle(pilot)


class TestLibrary:
    def test_library(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        UserData(config_dir, clock=lambda: FIXED).bookmarks.add(
            "gpu-training-dilemma", "de", 0, "x"
        )
        assert snap_compare(_app(config_dir), terminal_size=(100, 24), run_before=_settle)

    def test_library_filtered(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("slash", *"Huang")

        assert snap_compare(_app(config_dir), terminal_size=(100, 24), run_before=run_before)


class TestArticle:
    def test_article_german(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        UserData(config_dir, clock=lambda: FIXED).notes.add(
            "gpu-training-dilemma", "de", "Eine Notiz", paragraph=0, quote="Mit der"
        )
        app = _app(config_dir, open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(100, 32), run_before=_settle)

    def test_article_chinese_80(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        app = _app(config_dir, languages=("zh",), open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(80, 30), run_before=_settle)

    def test_article_sanskrit_80(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        app = _app(config_dir, languages=("sa",), open_key="huang-zuckerberg-open-source")
        assert snap_compare(app, terminal_size=(80, 30), run_before=_settle)

    def test_article_greek_80(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        app = _app(config_dir, languages=("el",), open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(80, 30), run_before=_settle)

    def test_markdown_guide(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("J", "J", "J", "J")
            await settle(pilot)

        app = _app(config_dir, languages=("en",), open_key="reader-guide")
        assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)

    def test_side_by_side_140(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)

        app = _app(config_dir, languages=("de", "ja"), open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(140, 36), run_before=run_before)

    def test_find(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("slash", *"GPU")
            await settle(pilot)

        app = _app(config_dir, open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)


class TestModals:
    def test_language_picker(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)

        app = _app(config_dir, open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)

    def test_note_editor(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("a", *"Zu prüfen")
            await settle(pilot)

        app = _app(config_dir, open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)


class TestLists:
    def test_bookmarks(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        userdata = UserData(config_dir, clock=lambda: FIXED)
        userdata.bookmarks.add("gpu-training-dilemma", "de", 2, "GPU-Trainingsdilemma")
        userdata.bookmarks.add("huang-zuckerberg-open-source", "zh", 0, "黄仁勋、扎克伯格")

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("B")
            await settle(pilot)

        assert snap_compare(_app(config_dir), terminal_size=(100, 20), run_before=run_before)

    def test_notes(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        userdata = UserData(config_dir, clock=lambda: FIXED)
        userdata.notes.add(
            "gpu-training-dilemma", "el", "Σημείωση", paragraph=1, quote="Η επιδίωξη"
        )

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("A")
            await settle(pilot)

        assert snap_compare(_app(config_dir), terminal_size=(100, 20), run_before=run_before)

    def test_help(self, snap_compare, config_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.chdir(REPO)

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        # Fixed paths: the help screen shows where files live.
        userdata = UserData(Path("/tmp/polyglot-reader-snapshot/config"), clock=lambda: FIXED)
        library = Library([Path("assets/library")], name="bundled library")
        app = ReaderApp(library, userdata, languages=("de",))
        app.theme = "textual-dark"
        assert snap_compare(app, terminal_size=(100, 50), run_before=run_before)


class TestScripts:
    """Line breaking by script: no line starts with closing punctuation or splits a Latin
    word (tests/test_linebreak.py checks every snapshot for it); right to left."""

    def test_article_chinese_40(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        app = _app(config_dir, languages=("zh",), open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(40, 40), run_before=_settle)

    def test_article_japanese_40(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        app = _app(config_dir, languages=("ja",), open_key="gpu-training-dilemma")
        assert snap_compare(app, terminal_size=(40, 40), run_before=_settle)

    def test_article_japanese_80(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        app = _app(config_dir, languages=("ja",), open_key="huang-zuckerberg-open-source")
        assert snap_compare(app, terminal_size=(80, 30), run_before=_settle)

    def test_article_persian_reordered_by_the_reader(self, snap_compare, config_dir: Path) -> None:  # type: ignore[no-untyped-def]
        """bidi = "reader": right-aligned, in display order, Arabic letters joined;
        the <!--more--> divider and the editor's comment are nowhere."""
        userdata = UserData(config_dir, clock=lambda: FIXED)
        library = Library([REPO / "tests" / "fixtures" / "persian"], name="Persian")
        app = ReaderApp(
            library,
            userdata,
            config=Config(bidi="reader"),
            languages=("fa",),
            open_key="reading-in-many-languages",
        )
        app.theme = "textual-dark"
        assert snap_compare(app, terminal_size=(80, 30), run_before=_settle)

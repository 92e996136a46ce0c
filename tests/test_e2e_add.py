"""End to end in tmux: add an article from a loopback web site with `+`, then read it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tmux_driver import TMUX, Tmux
from tests.web_site import IMPORTED, WebSite, article_path, build_news_site, source_text

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

REPO = Path(__file__).resolve().parent.parent
READER = [sys.executable, "-m", "reader"]


def test_plus_adds_a_page_with_its_languages_and_enter_reads_it(
    web_site: WebSite, tmp_path: Path
) -> None:
    build_news_site(web_site)
    own = tmp_path / "own"
    own.mkdir()
    (tmp_path / "config").mkdir()
    # A configured library of the user's own: the bundled samples (which hold this very
    # article) are not shown, so the article on screen is the imported one.
    (tmp_path / "config" / "config.toml").write_text(f"libraries = [{str(own)!r}]\n")
    env = dict(os.environ)
    env.update(
        READER_CONFIG_DIR=str(tmp_path / "config"),
        READER_CACHE_DIR=str(tmp_path / "cache"),
        READER_DATA_DIR=str(tmp_path / "data"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    url = web_site.url(article_path("el"))
    with Tmux(tmp_path, width=120, height=40, env=env) as tmux:
        tmux.start([*READER, "--lang", "de"], cwd=REPO)
        tmux.wait_for("0 articles", timeout=30)
        tmux.send_keys("+")
        tmux.wait_for("Add article from URL")
        tmux.send_text(url)
        tmux.send_keys("Enter")
        screen = tmux.wait_for("Added gpu-training-dilemma: 7 languages", timeout=60)
        rows = [line.strip("█▌▐ ") for line in screen.splitlines()]
        for language in IMPORTED:  # a progress line per variant
            assert any(row.startswith(f"{language} ") for row in rows), screen
        assert "HTTP 404" in screen  # the missing Finnish page
        tmux.wait_for("enter open · escape close")
        tmux.send_keys("Enter")
        german = source_text("de")
        tmux.wait_for(german.title[:40], german.paragraphs[0][:40], timeout=30)
        tmux.send_keys("]")  # the next language, same paragraph
        tmux.wait_for(source_text("el").paragraphs[0][:30], timeout=30)
        tmux.send_keys("Escape")
        tmux.wait_for("1 articles", timeout=30)
        tmux.send_keys("q")
        assert tmux.wait_for_exit() == 0
    listed = subprocess.run(
        [*READER, "list", "--json"], capture_output=True, env=env, cwd=REPO, check=True
    )
    (article,) = json.loads(listed.stdout)
    assert article["key"] == "gpu-training-dilemma"
    assert sorted(article["languages"]) == sorted(IMPORTED)

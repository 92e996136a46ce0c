"""End to end in tmux: follow a loopback feed, press R in the Library, read what came in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.feed_site import Entry, article_title, publish_article, rss, serve_feed
from tests.tmux_driver import TMUX, Tmux

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

REPO = Path(__file__).resolve().parent.parent
READER = [sys.executable, "-m", "reader"]


def test_r_brings_a_feeds_articles_into_the_library_marked_until_read(
    tmp_path: Path, web_site: Any
) -> None:
    entries = [
        Entry(article_title(n), publish_article(web_site, n), guid=f"urn:e2e:{n}") for n in (1, 2)
    ]
    url = serve_feed(web_site, "/feed.xml", rss("Loopback News", entries), etag='"e2e"')
    env = dict(os.environ)
    env.update(
        READER_CONFIG_DIR=str(tmp_path / "config"),
        READER_CACHE_DIR=str(tmp_path / "cache"),
        READER_DATA_DIR=str(tmp_path / "data"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    added = subprocess.run(
        [*READER, "feeds", "add", url], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert added.returncode == 0, added.stderr

    first, second = article_title(1, "en")[:40], article_title(2, "en")[:40]
    with Tmux(tmp_path, width=120, height=40, env=env) as tmux:
        tmux.start([*READER, "--lang", "en"], cwd=REPO)
        tmux.wait_for("q Quit", gone=[first])
        tmux.send_keys("R")
        screen = tmux.wait_for(first, second, "2 new articles from 1 feed", timeout=60)
        marked = [line for line in screen.splitlines() if first in line or second in line]
        assert len(marked) == 2 and all(line.lstrip().startswith("•") for line in marked)

        # open the first one; back in the Library it has lost its mark, the other not
        tmux.send_text("/")
        tmux.wait_for("Filter", gone=["q Quit"])
        tmux.send_text("1: ")
        tmux.wait_for("1 match")
        tmux.send_keys("Enter")
        tmux.wait_for("¶ 1/", timeout=30)
        tmux.send_keys("Escape")  # back to the Library
        tmux.wait_for("1 match", gone=["¶ 1/"])
        tmux.send_keys("Escape")  # the filter cleared: both articles again
        screen = tmux.wait_for(first, second, gone=["1 match"])
        rows = {
            title: next(line for line in screen.splitlines() if title in line)
            for title in (first, second)
        }
        assert not rows[first].lstrip().startswith("•")
        assert rows[second].lstrip().startswith("•")
        tmux.send_keys("q")
        assert tmux.wait_for_exit() == 0

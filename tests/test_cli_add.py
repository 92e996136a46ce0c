"""``reader add URL``: the command line, its output, and every bad input (issue 10).

Every test talks to a real HTTP server on 127.0.0.1 (tests/web_site.py); the autouse
``no_internet`` fixture refuses any other connection. Deadlines are shortened (they
are module constants read at call time) so that the hostile servers are quick to test.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reader.sources.fetch as fetch_module
from reader.cli import main
from tests.conftest import REPO
from tests.web_site import (
    IMPORTED,
    LANGUAGES,
    WebSite,
    article_path,
    build_news_site,
    expected_paragraphs,
    source_text,
)

EXISTING = '+++\ntitle = "Already here"\nlang = "en"\n+++\n\nAn article the user had before.\n'


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library that holds one article already: a failed add must leave it as it was."""
    directory = tmp_path / "lib"
    directory.mkdir()
    (directory / "before.en.md").write_text(EXISTING, "utf-8")
    return directory


@pytest.fixture
def short_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 s deadline and 1 s read timeout instead of 60 s and 30 s."""
    monkeypatch.setattr(fetch_module, "DEADLINE", 2.0)
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 1.0)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _add(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["add", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_then_list_shows_one_article_in_every_language(
    web_site: WebSite, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    build_news_site(web_site)
    # Before: the bundled sample library is what the reader shows.
    assert main(["list", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert "gpu-training-dilemma" in [a["key"] for a in before] and len(before) == 3
    code, out, err = _add(capsys, web_site.url(article_path("de")))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("de ") and source_text("de").title in lines[0]
    assert sum(1 for line in lines if line.split()[0] in IMPORTED) == len(LANGUAGES)
    assert any(line.startswith("skipped") and "HTTP 404" in line for line in lines)
    assert lines[-1].startswith("added gpu-training-dilemma: 7 languages (de ")
    imported = isolated_home / "data" / "library"
    assert len(list(imported.glob("gpu-training-dilemma.*.md"))) == len(LANGUAGES)
    # After: the user's own article; the bundled samples step aside.
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["key"] for a in listed] == ["gpu-training-dilemma"]
    assert sorted(listed[0]["languages"]) == sorted(IMPORTED)
    assert listed[0]["titles"]["ja"] == source_text("ja").title
    # Each variant's text is its page's text.
    assert main(["show", "gpu-training-dilemma", "--lang", "el"]) == 0
    shown = capsys.readouterr().out
    for paragraph in expected_paragraphs("el"):
        assert paragraph in shown


def test_add_json(web_site: WebSite, capsys: pytest.CaptureFixture[str], library: Path) -> None:
    build_news_site(web_site)
    code, out, _ = _add(
        capsys, web_site.url(article_path("en")), "--library", str(library), "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert set(result) >= {"key", "languages", "files", "skipped"}
    assert result["key"] == "gpu-training-dilemma"
    assert result["languages"][0] == "en-US"
    assert sorted(result["languages"]) == sorted(IMPORTED)
    assert sorted(Path(f).name for f in result["files"]) == sorted(
        f"gpu-training-dilemma.{tag}.md" for tag in IMPORTED
    )
    skipped = {item["url"]: item["reason"] for item in result["skipped"]}
    assert "HTTP 404" in skipped[web_site.url(article_path("fi"))]
    assert skipped[web_site.url("/")].startswith("another page")


def test_configured_libraries_and_the_imported_one_are_read_together(
    web_site: WebSite, capsys: pytest.CaptureFixture[str], config_dir: Path, bundled_library: Path
) -> None:
    build_news_site(web_site)
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(f"libraries = [{str(bundled_library)!r}]\n")
    assert _add(capsys, web_site.url(article_path("fr")), "--only", "fr,de")[0] == 0
    assert main(["list", "--json"]) == 0
    keys = [a["key"] for a in json.loads(capsys.readouterr().out)]
    # The configured copy of the bundled library, and the imported article (its key
    # equals a bundled one: two roots, one article key).
    assert "huang-zuckerberg-open-source" in keys and "gpu-training-dilemma" in keys


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


BAD = "bad input"


@pytest.mark.usefixtures("short_limits")
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unreachable", r"cannot connect"),
        ("timeout", r"did not answer in time|took longer than 2 s"),
        ("drip-body", r"took longer than 2 s"),
        ("drip-headers", r"took longer than 2 s"),
        ("redirect-loop", r"more than 10 redirects"),
        ("redirect-to-file", r"not http"),
        ("404", r"HTTP 404 Not Found"),
        ("500", r"HTTP 500 Internal Server Error"),
        ("not-html", r"not a web page \(image/png\)"),
        ("over-cap", r"page larger than 10 MiB"),
        ("over-cap-streamed", r"page larger than 10 MiB"),
        ("bomb", r"page larger than 10 MiB"),
        ("no-text", r"no article text found"),
        ("binary", r"binary|no article text|not an HTML page"),
        ("file-url", r"only http and https"),
        ("javascript-url", r"only http and https"),
    ],
)
def test_bad_input_one_line_exit_1_nothing_written(
    web_site: WebSite,
    capsys: pytest.CaptureFixture[str],
    library: Path,
    name: str,
    expected: str,
) -> None:
    site = web_site
    url = site.url(f"/{name}")
    if name == "unreachable":
        url = f"http://127.0.0.1:{_refused_port()}/article.html"
    elif name == "timeout":
        site.hang(f"/{name}")
    elif name == "drip-body":
        site.drip(f"/{name}")
    elif name == "drip-headers":
        site.drip(f"/{name}", headers_first=False)
    elif name == "redirect-loop":
        site.redirect("/redirect-loop", "/redirect-loop-2")
        site.redirect("/redirect-loop-2", "/redirect-loop")
    elif name == "redirect-to-file":
        site.redirect(f"/{name}", "file:///etc/passwd")
    elif name in ("404", "500"):
        site.add(f"/{name}", "<p>error page</p>", status=int(name))
    elif name == "not-html":
        site.add(f"/{name}", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png")
    elif name == "over-cap":
        site.add(f"/{name}", b"<p>" + b"a" * (11 * 1024 * 1024))
    elif name == "over-cap-streamed":
        site.stream(f"/{name}", 11 * 16, b"a" * 65536)
    elif name == "bomb":
        site.gzip_bomb(f"/{name}", megabytes=16)
    elif name == "no-text":
        site.add(f"/{name}", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    elif name == "binary":
        site.add(f"/{name}", b"\0\1\2\3" * 1000, content_type=None)
    elif name == "file-url":
        url = "file:///etc/passwd"
    elif name == "javascript-url":
        url = "javascript:alert(1)"
    before = _files(library)
    started = time.monotonic()
    code, out, err = _add(capsys, url, "--library", str(library))
    elapsed = time.monotonic() - started
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("reader: ")
    assert re.search(expected, err), err
    assert "Traceback" not in err
    assert _files(library) == before  # nothing written, nothing left behind
    assert elapsed < 15  # the 2 s deadline holds (generous: the machine is shared)


def test_wrong_and_undeclared_charsets_are_decoded_like_a_browser(
    web_site: WebSite, capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    text = source_text("ru")
    body = "".join(f"<p>{p}</p>" for p in text.paragraphs)
    page = (
        f"<html><head><title>{text.title}</title></head>"
        f"<body><article><h1>{text.title}</h1>{body}</article></body></html>"
    )
    # The header says UTF-8, the bytes are cp1251.
    web_site.add(
        "/wrong.html",
        page.encode("cp1251", "xmlcharrefreplace"),
        content_type="text/html; charset=utf-8",
    )
    # Only a <meta> names the encoding (koi8-r), the header none.
    meta = page.replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    )
    web_site.add("/meta.html", meta.encode("koi8_r", "xmlcharrefreplace"), content_type="text/html")
    for path in ("/wrong.html", "/meta.html"):
        code, out, err = _add(capsys, web_site.url(path), "--library", str(library), "--json")
        assert code == 0, err
        result = json.loads(out)
        assert result["languages"] == ["ru"]
        written = Path(result["files"][0]).read_text("utf-8")
        assert text.title in written and text.paragraphs[0] in written


def test_escape_sequences_and_bidi_controls_are_removed(
    web_site: WebSite, capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    evil_title = "Title \x1b]0;pwned\x07with \u202eevil\u202c \x1b[31mred\x1b[0m"
    paragraph = (
        "A paragraph long enough to be an article, \x1b[2J with an escape sequence, "
        "a bidi override \u202e here \u202c and a *star* and [link](javascript:alert(1))."
    )
    page = (
        f"<html lang='en'><head><title>{evil_title}</title></head><body><article>"
        f"<h1>{evil_title}</h1><p>{paragraph}</p><p>{paragraph}</p>"
        "<p><a href='javascript:alert(1)'>click me</a> and more text that is plain.</p>"
        "</article></body></html>"
    )
    web_site.add("/evil.html", page)
    code, out, err = _add(capsys, web_site.url("/evil.html"), "--library", str(library))
    assert code == 0, err
    for text in (out, err):
        assert "\x1b" not in text and "\u202e" not in text
    (written,) = [p for p in library.glob("*.md") if p.name != "before.en.md"]
    content = written.read_text("utf-8")
    assert "\x1b" not in content and "\u202e" not in content and "\x07" not in content
    # The page's text stays text (escaped), and no link points to javascript:.
    assert re.search(r"(?<!\\)\]\(", content) is None
    assert main(["show", "evil", "--library", str(library)]) == 0
    shown = capsys.readouterr().out
    assert "click me" in shown and "\x1b" not in shown
    assert "a *star* and [link](javascript:alert(1))." in shown


def test_hreflang_to_file_javascript_and_other_hosts_is_not_followed(
    web_site: WebSite, capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    build_news_site(web_site)
    text = source_text("en")
    other_host = f"http://localhost:{web_site.port}{article_path('de')}"
    head = (
        '<link rel="alternate" hreflang="de" href="file:///etc/passwd">'
        '<link rel="alternate" hreflang="fr" href="javascript:alert(1)">'
        f'<link rel="alternate" hreflang="ja" href="{other_host}">'
        '<link rel="alternate" hreflang="x-default" href="/en/">'
    )
    body = "".join(f"<p>{p}</p>" for p in text.paragraphs)
    page = (
        f"<html lang='en'><head><title>{text.title}</title>{head}</head>"
        f"<body><article><h1>{text.title}</h1>{body}</article></body></html>"
    )
    web_site.add("/solo.html", page)
    web_site.requests.clear()
    code, out, _ = _add(capsys, web_site.url("/solo.html"), "--library", str(library), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["languages"] == ["en"]
    assert {"url": other_host, "reason": "on another site (use --any-host to follow)"} in result[
        "skipped"
    ]
    assert web_site.requests == ["/solo.html"]
    # With --any-host the other host's page is followed (and it is a real variant: its
    # links do not point back, so it is reported as another page, not merged).
    code, out, _ = _add(
        capsys, web_site.url("/solo.html"), "--library", str(library), "--json", "--any-host"
    )
    assert code == 0
    hosts = [headers.get("host") for headers in web_site.request_headers]
    assert f"localhost:{web_site.port}" in hosts
    skipped = {item["url"]: item["reason"] for item in json.loads(out)["skipped"]}
    assert skipped[other_host].startswith("another page")


def test_a_real_process_reports_an_error_in_one_line(tmp_path: Path) -> None:
    env = {
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "READER_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    url = f"http://127.0.0.1:{_refused_port()}/x.html"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "add", url],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("reader: 127.0.0.1:") and result.stderr.count("\n") == 1
    assert not (tmp_path / "data" / "library").exists()

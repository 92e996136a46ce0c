"""reader show KEY --lang A --with B [--sentences] [--json]: two variants, aligned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.library.text_page import parse_text_page
from reader.text.sentences import split_sentences
from tests.conftest import BUNDLED_LIBRARY
from tests.test_cli import run
from tests.test_tui_sentences import merge_japanese_paragraphs

GPU = "gpu-training-dilemma"
HUANG = "huang-zuckerberg-open-source"


def paragraphs(root: Path, article: str, language: str) -> list[str]:
    text = (root / f"{article}.{language}.txt").read_text(encoding="utf-8")
    return [block.plain_text for block in parse_text_page(text).blocks]


def test_sentence_pairs_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "show", HUANG, "--lang", "en", "--with", "zh", "--sentences", "--json"
    )
    assert (code, err) == (0, "")
    records = json.loads(out)
    assert [record["paragraph"] for record in records] == [0, 1, 2, 3, 4]
    assert all(set(record) >= {"paragraph", "pairs"} for record in records)
    english = paragraphs(BUNDLED_LIBRARY, HUANG, "en")
    chinese = paragraphs(BUNDLED_LIBRARY, HUANG, "zh")
    for number, record in enumerate(records):
        # Every sentence of both paragraphs, once, in order.
        assert [s for pair in record["pairs"] for s in pair["left"]] == split_sentences(
            english[number], "en"
        )
        assert [s for pair in record["pairs"] for s in pair["right"]] == split_sentences(
            chinese[number], "zh"
        )
    last = records[4]["pairs"]
    assert [len(pair["left"]) for pair in last] == [2, 1, 1]
    assert last[0]["left"][1].startswith("The episode in which the two swapped jackets")
    assert last[0]["right"] == [
        "总之，黄仁勋和扎克伯格支持AI大模型开源，两人互换外套以表达兄弟情谊的事件，是国际背景下科技发展的一个缩影。"
    ]


def test_paragraph_pairs_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", GPU, "--lang", "de", "--with", "sa", "--json")
    assert code == 0
    records = json.loads(out)
    german = paragraphs(BUNDLED_LIBRARY, GPU, "de")
    sanskrit = paragraphs(BUNDLED_LIBRARY, GPU, "sa")
    assert [record["pairs"] for record in records] == [
        [{"left": [de], "right": [sa]}] for de, sa in zip(german, sanskrit, strict=True)
    ]


def test_plain_text_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", GPU, "--lang", "de", "--with", "sa", "--sentences")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "2024-08-02 · Deutsch (de) ⇄ संस्कृतम् (sa)"
    second = lines.index("¶ 2 ⇄ ¶ 2")
    assert lines[second + 3].startswith("de  Der verrückte Absturz von Llama 3.1")
    assert lines[second + 4].startswith("sa  लामा ३.१ इत्यस्य")


def test_merged_paragraphs_pair_with_the_one_that_translates_them(
    capsys: pytest.CaptureFixture[str], bundled_library: Path
) -> None:
    merge_japanese_paragraphs(bundled_library)
    library = ["--library", str(bundled_library)]
    code, out, _ = run(capsys, *library, "show", GPU, "--lang", "de", "--with", "ja", "--json")
    assert code == 0
    beads = [(r["left_paragraphs"], r["right_paragraphs"]) for r in json.loads(out)]
    assert beads == [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3]), ([5], [4])]
    code, out, _ = run(capsys, *library, "show", GPU, "--lang", "de", "--with", "ja")
    assert "¶ 2-3 ⇄ ¶ 2" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--sentences"], 2, "reader: --sentences and --json go with --with CODE\n"),
        (["--json"], 2, "reader: --sentences and --json go with --with CODE\n"),
        (
            ["--lang", "en", "--with", "en"],
            1,
            "reader: --with names the same language as the article is shown in (en)\n",
        ),
        (["--with", "ko"], 1, f"reader: '{GPU}' has no ko variant (it has: "),
    ],
)
def test_mistakes_get_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    result, out, err = run(capsys, "show", GPU, *args)
    assert (result, out) == (code, "")
    assert err.startswith(message) and err.count("\n") == 1

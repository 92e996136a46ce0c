"""reader words (add, list, remove, export) and reader notes export, on the bundled library."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.cli import main

GPU = "gpu-training-dilemma"
GERMAN_SENTENCE = (
    "Die Entstehung dieser Probleme kann einerseits auf die Komplexität und Unsicherheit "
    "der Technologie selbst zurückzuführen sein, andererseits aber auch auf den "
    "Wettbewerbsdruck des internationalen Marktes zurückzuführen sein."
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _add_german_word(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "words", "add", GPU, "Wettbewerbsdruck", "--lang", "de", "--with", "en",
        "--meaning", "competitive pressure",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == f"saved 'Wettbewerbsdruck' (de, ¶2, sentence 3) from {GPU}\n"


def test_a_word_is_saved_with_its_sentence_and_the_aligned_translation(
    capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    _add_german_word(capsys)
    code, out, _ = run(capsys, "words", "--json")
    assert code == 0
    (entry,) = json.loads(out)
    assert set(entry) == {
        "word", "language", "key", "paragraph", "sentence", "text", "translation",
        "meaning", "created",
    }  # fmt: skip
    assert (entry["key"], entry["paragraph"], entry["sentence"]) == (GPU, 1, 2)
    assert entry["text"] == GERMAN_SENTENCE
    assert entry["translation"] == {
        "language": "en",
        "text": "These problems may stem on the one hand from the complexity and uncertainty "
        "of the technology itself, but on the other hand also from the competitive "
        "pressure of the international market.",
    }
    assert 'word = "Wettbewerbsdruck"' in (config_dir / "words.toml").read_text("utf-8")


def test_paragraph_and_sentence_point_at_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "words", "add", GPU, "科技", "--lang", "zh", "--with", "ru",
        "--paragraph", "1", "--sentence", "1",
    )  # fmt: skip
    assert code == 0 and "(zh, ¶1, sentence 1)" in out
    (entry,) = json.loads(run(capsys, "words", "--json")[1])
    assert entry["translation"]["language"] == "ru"
    assert entry["text"] == "随着全球经济一体化的不断推进，科技领域的竞争日益激烈。"
    assert entry["translation"]["text"].startswith(
        "По мере углубления глобальной экономической интеграции"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Quantencomputer", "--lang", "de"], "reader: no sentence of gpu-training-dilemma"),
        (["Wettbewerbsdruck", "--lang", "de", "--paragraph", "99"], "reader: paragraph must be"),
        (["Technologie", "--lang", "de", "--paragraph", "2", "--sentence", "40"], "sentence must"),
        (["Technologie", "--lang", "de", "--sentence", "2"], "reader: --sentence needs"),
        (["Technologie", "--lang", "de", "--with", "ko"], "has no ko variant"),
        (["   ", "--lang", "de"], "reader: the word is empty"),
    ],
)
def test_bad_word_commands_fail_in_one_line_and_save_nothing(
    capsys: pytest.CaptureFixture[str], config_dir: Path, args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "words", "add", GPU, *args)
    assert code == 1 and out == ""
    assert message in err and err.startswith("reader: ") and err.count("\n") == 1
    assert not (config_dir / "words.toml").exists()


def test_list_filter_and_remove(capsys: pytest.CaptureFixture[str]) -> None:
    _add_german_word(capsys)
    run(capsys, "words", "add", GPU, "训练", "--lang", "zh")
    code, out, _ = run(capsys, "words", "--lang", "zh")
    assert code == 0 and out.startswith("训练\tzh\tgpu-training-dilemma\t¶1.")
    assert "Wettbewerbsdruck" not in out
    code, out, _ = run(capsys, "words", "remove", "wettbewerbsdruck")
    assert (code, out) == (0, "removed 1 entry\n")
    code, _, err = run(capsys, "words", "remove", "wettbewerbsdruck")
    assert code == 1 and "is not in your word list" in err
    assert [w["word"] for w in json.loads(run(capsys, "words", "--json")[1])] == ["训练"]


def test_anki_export_parses_into_front_back_and_tags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add_german_word(capsys)
    target = tmp_path / "words.csv"
    code, out, _ = run(capsys, "words", "export", "--anki", str(target))
    assert (code, out) == (0, f"wrote 1 card to {target}\n")
    (row,) = list(csv.reader(io.StringIO(target.read_text("utf-8"))))
    front, back, tags = row
    assert front.startswith("<b>Wettbewerbsdruck</b><br>Die Entstehung dieser Probleme")
    assert "auf den <b>Wettbewerbsdruck</b> des internationalen" in front
    assert back.startswith("competitive pressure<br><i>These problems may stem")
    assert tags == "lang::de article::gpu-training-dilemma"


def test_markdown_exports(capsys: pytest.CaptureFixture[str]) -> None:
    _add_german_word(capsys)
    code, out, _ = run(capsys, "words", "export", "--markdown")
    assert code == 0
    assert "## GPU-Trainingsdilemma und globale Perspektive der Branchenentwicklung" in out
    assert "- **Wettbewerbsdruck** (de): competitive pressure" in out
    assert (
        run(capsys, "notes", "add", GPU, "gut erklärt", "--lang", "de", "--paragraph", "2")[0] == 0
    )
    code, out, _ = run(capsys, "--lang", "en", "notes", "export", "--markdown")
    assert code == 0
    assert "### ¶ 2 (de)" in out
    assert "> Das Streben nach technologischen Durchbrüchen" in out
    assert "> *The pursuit of technological breakthroughs" in out and "(en)" in out
    assert out.endswith("gut erklärt\n")

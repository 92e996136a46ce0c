"""Two variants of an article paragraph by paragraph (or sentence by sentence), aligned,
for ``reader show KEY --lang A --with B [--sentences] [--json]``.

The records are what ``--json`` prints and what the text output is drawn from: one per
paragraph bead of the alignment (``reader.text.parallel``), each with its pairs of
paragraphs, or with ``--sentences`` of sentences, left and right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.languages import describe
from reader.sanitize import clean, clean_line
from reader.text.parallel import ParallelText

if TYPE_CHECKING:
    from rich.text import Text

    from reader.library.model import Document


def parallel_records(
    left: Document,
    right: Document,
    left_language: str,
    right_language: str,
    *,
    sentences: bool = False,
) -> list[dict[str, Any]]:
    """The aligned variants as JSON-ready records.

    Returns:
        ``[{"paragraph", "left_paragraphs", "right_paragraphs", "pairs": [{"left":
        [text, ...], "right": [text, ...]}]}]``: ``paragraph`` is the first left
        paragraph of the bead (from 0; ``None`` for paragraphs only the right variant
        has), the two lists name every paragraph of the bead on each side, and each pair
        holds paragraphs (or, with ``sentences``, sentences) that translate each other.
    """
    parallel = ParallelText(
        [clean(block.plain_text) for block in left.blocks],
        [clean(block.plain_text) for block in right.blocks],
        left_language,
        right_language,
        left_headings=[block.kind == "heading" for block in left.blocks],
        right_headings=[block.kind == "heading" for block in right.blocks],
    )
    records: list[dict[str, Any]] = []
    for bead, pair in enumerate(parallel.pairs):
        if sentences:
            pairs = [
                {
                    "left": [parallel.sentence_text(ref) for ref in sentence_pair.left],
                    "right": [parallel.sentence_text(ref, "right") for ref in sentence_pair.right],
                }
                for sentence_pair in parallel.sentence_pairs(bead)
            ]
        else:
            pairs = [
                {
                    "left": [parallel.texts["left"][i] for i in pair.left],
                    "right": [parallel.texts["right"][j] for j in pair.right],
                }
            ]
        records.append(
            {
                "paragraph": pair.left[0] if pair.left else None,
                "left_paragraphs": list(pair.left),
                "right_paragraphs": list(pair.right),
                "pairs": pairs,
            }
        )
    return records


def _numbers(indexes: list[int]) -> str:
    if not indexes:
        return "—"
    if len(indexes) == 1:
        return f"¶ {indexes[0] + 1}"
    return f"¶ {indexes[0] + 1}-{indexes[-1] + 1}"


def _header(left: Document, right: Document, left_language: str, right_language: str) -> str:
    title = f"{clean_line(left.title)}  ⇄  {clean_line(right.title)}"
    meta = f"{describe(left_language)} ⇄ {describe(right_language)}"
    if left.date:
        meta = f"{clean_line(left.date)} · {meta}"
    return f"{title}\n{meta}\n"


def parallel_plain(
    left: Document,
    right: Document,
    left_language: str,
    right_language: str,
    *,
    sentences: bool = False,
) -> str:
    """The aligned variants as plain text: per bead a ``¶ 2 ⇄ ¶ 2`` line, then each pair
    as a line of the left language and a line of the right, each led by its tag."""
    width = max(len(left_language), len(right_language)) + 2
    lines = [_header(left, right, left_language, right_language)]
    for record in parallel_records(left, right, left_language, right_language, sentences=sentences):
        lines.append(
            f"{_numbers(record['left_paragraphs'])} ⇄ {_numbers(record['right_paragraphs'])}"
        )
        for pair in record["pairs"]:
            for tag, texts in ((left_language, pair["left"]), (right_language, pair["right"])):
                if texts:
                    lines.append(f"{tag:<{width}}" + " ".join(texts).replace("\n", " "))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def parallel_rich(
    left: Document,
    right: Document,
    left_language: str,
    right_language: str,
    *,
    sentences: bool = False,
) -> list[Text]:
    """The same for a terminal: the right variant dimmed under the left one."""
    from rich.text import Text

    texts = [Text(_header(left, right, left_language, right_language), style="bold")]
    for record in parallel_records(left, right, left_language, right_language, sentences=sentences):
        numbers = f"{_numbers(record['left_paragraphs'])} ⇄ {_numbers(record['right_paragraphs'])}"
        texts.append(Text(numbers, style="bold cyan"))
        for pair in record["pairs"]:
            if pair["left"]:
                texts.append(Text(" ".join(pair["left"])))
            if pair["right"]:
                texts.append(Text("  " + " ".join(pair["right"]), style="dim"))
            if sentences:
                texts.append(Text(""))
        if not sentences:
            texts.append(Text(""))
    return texts

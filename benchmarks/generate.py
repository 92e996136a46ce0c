"""Write a synthetic multilingual library for the benchmarks.

    python benchmarks/generate.py OUT_DIR --articles N --languages en,de,ru,zh,el [--seed S]
                                  [--vocabulary zipf|random]

writes N articles x L languages in the by-filename layout
(``OUT_DIR/<bucket>/<slug>.<lang>.md``, :data:`DEFAULT_BUCKETS` buckets): Markdown with
TOML front matter (``title``, ``date``, ``tags``, and ``translationKey`` for
:data:`TRANSLATION_KEY_SHARE` of the articles, whose files then have a slug of their
own per language), about 2 KB per variant, 5-8 paragraphs with the same count in every
language of an article. The text is drawn from hand-written word lists
(``wordlists.py``): German with umlauts and ß, Russian, Greek with the tonos, Chinese
without spaces, and so on. :data:`RARE_SHARE` of the articles carry their language's
*rare word* (``Überraschung`` in German) in one paragraph of every variant, so that a
search for it has a known number of hits.

``--vocabulary random`` writes the worst case for an inverted index instead: the same
files, sizes, front matter and rare-word sentences, but every other word is a fresh
string of random letters of the language's alphabet, and Chinese text is random
characters of the 20,902 CJK unified ideographs (with the default languages, one
variant in five), so nearly every word and every bigram occurs once in the library.

The output is a function of the arguments alone (no clock, no network). Article 0 is
the newest and a long read (8 paragraphs, about 6 KB per variant) so that it scrolls
in a 120x40 terminal; the run script opens it. ``OUT_DIR/.benchmark.json`` (a dot
file, which the reader skips) records the arguments, the totals and what the run
script needs to know about the library (article 0's key, titles and body words, the
rare words and how many articles carry them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from array import array
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wordlists import ENGLISH, Vocabulary, vocabulary

#: Name of the manifest file written into the library (dot files are not pages).
MANIFEST = ".benchmark.json"
#: Bumped when the same arguments would produce a different library.
GENERATOR_VERSION = 1
DEFAULT_LANGUAGES = ("en", "de", "ru", "zh", "el")
DEFAULT_BUCKETS = 100
DEFAULT_SEED = 1
#: Date of article 0; the other articles are older.
NEWEST_DATE = dt.date(2025, 6, 30)
#: Articles are spread over this many days before :data:`NEWEST_DATE`.
DATE_SPAN_DAYS = 20 * 365
#: Articles 0 .. LIST_ROWS-1 are the newest ones, one day apart, in index order: they
#: are the rows the Library screen shows first, and body words chosen as markers
#: (:attr:`Newest.markers`) are checked not to occur in their titles.
LIST_ROWS = 60
#: Paragraphs per variant (inclusive range).
PARAGRAPHS = (5, 8)
#: Body bytes per variant (UTF-8, inclusive range); front matter adds about 150.
BODY_BYTES = (1400, 2200)
#: Body bytes of article 0 in every language (it must scroll).
LONG_READ_BYTES = 6000
#: Sentences drawn per language before the articles are written.
POOL_SENTENCES = 3000
TRANSLATION_KEY_SHARE = 0.03
#: Articles (1 ..) whose last paragraphs give ``--vocabulary random`` its sample queries.
SAMPLE_ARTICLES = 3
RARE_SHARE = 0.05
TITLE_MAX_CHARS = (60, 22)  # spaced scripts, Chinese
#: Sentence shapes: F function word, A adjective, N noun, V verb, X name, D number.
SENTENCE_PATTERNS = (
    "F A N V F N F N",
    "N V F A N",
    "F N F N V F N F A N , F F N V",
    "X V F A N F N",
    "F A N F X V F N F N",
    "F N V F N , F N V F A N",
    "F D F N V F A N",
    "F A N F N V F N , F F A N",
)
TITLE_PATTERNS = ("A N F N", "N V F A N", "X : A N", "N F X", "A N V F N")
#: ``zipf``: sentences from hand-written word lists (few words, used very unevenly, as
#: in real text); ``random``: words of random letters (see :class:`_RandomLanguage`).
VOCABULARIES = ("zipf", "random")
#: Letters of the random words per script, beyond the script's basic alphabet.
_RANDOM_EXTRA = {"de": "äöüß", "fr": "éèàçê", "es": "ñáéíóú", "el": "άέήίόύώ", "ru": "ё"}
_RANDOM_ALPHABETS = {
    "latin": "abcdefghijklmnopqrstuvwxyz",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
}
#: Random bytes that become a space (of 256): words of about 6 letters on average.
_RANDOM_SPACES = 40
#: UTF-8 bytes of one random sentence (inclusive range).
_RANDOM_SENTENCE_BYTES = (40, 200)
#: Random Chinese text uses the CJK unified ideographs U+4E00 .. U+9FA5.
_HAN_FIRST, _HAN_COUNT = 0x4E00, 20902
_SLUG_UNSAFE = re.compile(r"[^\w]+")


@dataclass
class Newest:
    """What the run script needs to know about article 0.

    Attributes:
        key: Its article key (``<bucket>/<slug>``).
        titles: Title per language.
        markers: Per language, a body word (Chinese: characters) of its first paragraph
            that occurs in no title of the first :data:`LIST_ROWS` articles, so that it
            appears on screen only once the article itself is shown.
    """

    key: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """What :func:`generate_library` wrote (saved as ``OUT_DIR/.benchmark.json``).

    Attributes:
        version: :data:`GENERATOR_VERSION`.
        articles: Articles written.
        languages: Language tags, in the order given.
        seed: Random seed.
        buckets: Sub-directories the files are spread over.
        vocabulary: ``zipf`` or ``random`` (see :data:`VOCABULARIES`).
        files: Files written (``articles * len(languages)``).
        bytes: Their total size.
        seconds: Time taken to write them.
        newest: About article 0.
        rare_words: The rare word per language.
        rare_articles: How many articles carry the rare word (in every language).
        translation_keys: How many articles use ``translationKey``.
        samples: ``--vocabulary random`` only: per language, queries that occur in the
            library (whole random words and three-letter prefixes, or two and three
            Chinese characters), for the search figures of that library.
    """

    version: int
    articles: int
    languages: list[str]
    seed: int
    buckets: int
    vocabulary: str = "zipf"
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    newest: Newest = field(default_factory=Newest)
    rare_words: dict[str, str] = field(default_factory=dict)
    rare_articles: int = 0
    translation_keys: int = 0
    samples: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest as JSON text."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse :meth:`to_json` output.

        Raises:
            ValueError: The text is not a manifest of this generator version.
        """
        data: dict[str, Any] = json.loads(text)
        if data.get("version") != GENERATOR_VERSION:
            raise ValueError(f"manifest version {data.get('version')!r}, not {GENERATOR_VERSION}")
        newest = Newest(**data.pop("newest"))
        return cls(newest=newest, **data)


def read_manifest(library: Path) -> Manifest | None:
    """The manifest of a generated library, or ``None`` if it has none (or a bad one)."""
    try:
        return Manifest.from_json((library / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None


class _Language:
    """One language's vocabulary and pool of ready-made sentences."""

    def __init__(self, tag: str, seed: int) -> None:
        self.tag = tag
        self.vocab: Vocabulary = vocabulary(tag)
        self.rng = random.Random(f"{seed}:{tag}")
        self.sentences = [self.sentence() for _ in range(POOL_SENTENCES)]
        self.sizes = [len(s.encode("utf-8")) for s in self.sentences]
        self.joiner = " " if self.vocab.spaced else ""

    def _fill(self, pattern: str, rng: random.Random) -> list[str]:
        vocab = self.vocab
        words: list[str] = []
        for slot in pattern.split():
            if slot == "F":
                words.append(rng.choice(vocab.function))
            elif slot == "A":
                words.append(rng.choice(vocab.adjectives))
            elif slot == "N":
                words.append(rng.choice(vocab.nouns))
            elif slot == "V":
                words.append(rng.choice(vocab.verbs))
            elif slot == "X":
                words.append(rng.choice(vocab.names))
            elif slot == "D":
                words.append(str(rng.choice((rng.randint(2, 99), rng.randint(1990, 2025)))))
            else:
                words.append(slot)
        return words

    def _join(self, words: list[str]) -> str:
        if self.vocab.spaced:
            text = " ".join(words).replace(" , ", ", ").replace(" : ", ": ")
        else:
            text = "".join(words).replace(",", "，").replace(":", "：")
        return text[:1].upper() + text[1:]

    def sentence(self) -> str:
        """A new sentence of a random shape, with its full stop."""
        words = self._fill(self.rng.choice(SENTENCE_PATTERNS), self.rng)
        return self._join(words) + ("." if self.vocab.spaced else "。")

    def title(self, rng: random.Random) -> str:
        """A headline of at most :data:`TITLE_MAX_CHARS` characters."""
        limit = TITLE_MAX_CHARS[0] if self.vocab.spaced else TITLE_MAX_CHARS[1]
        text = ""
        for _ in range(10):
            text = self._join(self._fill(rng.choice(TITLE_PATTERNS), rng))
            if len(text) <= limit:
                return text
        return text[:limit].rstrip(" ：:")

    def body(self, rng: random.Random, paragraphs: int, size: int) -> list[str]:
        """``paragraphs`` paragraphs of about ``size`` UTF-8 bytes in all."""
        budget = size // paragraphs
        count = len(self.sentences)
        result: list[str] = []
        for _ in range(paragraphs):
            parts: list[str] = []
            used = 0
            while used < budget:
                index = int(rng.random() * count)
                parts.append(self.sentences[index])
                used += self.sizes[index] + 1
            result.append(self.joiner.join(parts))
        return result


class _RandomLanguage(_Language):
    """A language whose words are fresh random strings (``--vocabulary random``).

    Spaced scripts: random letters of the language's alphabet (:data:`_RANDOM_ALPHABETS`
    plus :data:`_RANDOM_EXTRA`), a space after about one letter in six. Chinese: random
    ideographs in clauses of 6-20 characters. Random bytes are mapped through a table,
    so 250 MB of text take seconds, not minutes.
    """

    def __init__(self, tag: str, seed: int) -> None:
        self.tag = tag
        self.vocab = vocabulary(tag)
        self.rng = random.Random(f"{seed}:{tag}:random")
        self.joiner = " " if self.vocab.spaced else ""
        base = tag.split("-")[0].lower()
        letters = _RANDOM_ALPHABETS.get(self.vocab.script, _RANDOM_ALPHABETS["latin"])
        letters += _RANDOM_EXTRA.get(base, "")
        table = {code: letters[code % len(letters)] for code in range(256 - _RANDOM_SPACES)}
        table.update(dict.fromkeys(range(256 - _RANDOM_SPACES, 256), " "))
        self.table = table
        self.bytes_per_char = sum(len(c.encode("utf-8")) for c in table.values()) / 256

    def _words(self, rng: random.Random, size: int) -> str:
        """About ``size`` UTF-8 bytes of random words (spaced scripts)."""
        raw = rng.randbytes(max(8, int(size / self.bytes_per_char)))
        return " ".join(raw.decode("latin-1").translate(self.table).split())

    def _han(self, rng: random.Random, size: int) -> str:
        """About ``size`` UTF-8 bytes of random ideographs in clauses."""
        count = max(4, size // 3)
        codes = array("H", rng.randbytes(2 * count))
        chars = [chr(_HAN_FIRST + code % _HAN_COUNT) for code in codes]
        position = rng.randint(6, 20)
        while position < len(chars) - 4:
            chars[position] = "，"
            position += rng.randint(6, 20)
        chars[-1] = "。"
        return "".join(chars)

    def title(self, rng: random.Random) -> str:
        """Random words (characters) of headline length."""
        if not self.vocab.spaced:
            return self._han(rng, 3 * rng.randint(8, TITLE_MAX_CHARS[1]))[:-1]
        text = self._words(rng, rng.randint(25, TITLE_MAX_CHARS[0]))
        return (text[:1].upper() + text[1:])[: TITLE_MAX_CHARS[0]].strip()

    def body(self, rng: random.Random, paragraphs: int, size: int) -> list[str]:
        """``paragraphs`` paragraphs of random words, about ``size`` UTF-8 bytes in all.

        Like the word-list text, a paragraph is sentences until its share of ``size`` is
        reached, so both vocabularies give libraries of about the same size.
        """
        budget = size // paragraphs
        result: list[str] = []
        for _ in range(paragraphs):
            parts: list[str] = []
            used = 0
            while used < budget:
                if self.vocab.spaced:
                    text = self._words(rng, rng.randint(*_RANDOM_SENTENCE_BYTES))
                    parts.append(text[:1].upper() + text[1:] + ".")
                else:
                    parts.append(self._han(rng, rng.randint(*_RANDOM_SENTENCE_BYTES)))
                used += len(parts[-1].encode("utf-8")) + 1
            result.append(self.joiner.join(parts))
        return result


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page(title: str, date: dt.date, tags: Sequence[str], key: str | None, body: list[str]) -> str:
    lines = ["+++", f"title = {_toml_string(title)}", f"date = {date.isoformat()}"]
    lines.append("tags = [" + ", ".join(_toml_string(tag) for tag in tags) + "]")
    if key is not None:
        lines.append(f"translationKey = {_toml_string(key)}")
    lines.append("+++")
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def _slug(words: str) -> str:
    return _SLUG_UNSAFE.sub("-", words.casefold()).strip("-_")


def _marker(language: _Language, paragraph: str, titles: list[str]) -> str:
    """A piece of ``paragraph`` that occurs in none of ``titles`` (see :class:`Newest`)."""
    folded = [title.casefold() for title in titles]
    if language.vocab.spaced:
        for raw in paragraph.split():
            word = raw.strip(".,:;!?")
            if len(word) >= 7 and not any(word.casefold() in title for title in folded):
                return word
        return paragraph.split()[0]
    for start in range(0, max(1, len(paragraph) - 4)):
        piece = paragraph[start : start + 4]
        if "，" not in piece and "。" not in piece and not any(piece in t for t in folded):
            return piece
    return paragraph[:4]


def _samples(language: _Language, paragraph: str) -> list[str]:
    """Two queries that find ``paragraph`` (see :attr:`Manifest.samples`)."""
    if not language.vocab.spaced:
        start = len(paragraph) // 3
        return [paragraph[start : start + 2], paragraph[2 * start : 2 * start + 3]]
    words = [word.strip(".") for word in paragraph.split() if len(word.strip(".")) >= 6]
    if len(words) < 2:
        return []
    return [words[len(words) // 2], words[-1][:3]]


def generate_library(
    out: Path,
    articles: int,
    languages: Sequence[str],
    seed: int = DEFAULT_SEED,
    buckets: int = DEFAULT_BUCKETS,
    vocabulary_kind: str = "zipf",
) -> Manifest:
    """Write the library into ``out`` (created if missing) and its manifest.

    Raises:
        FileExistsError: ``out`` exists and is not empty.
        ValueError: Bad counts, no languages or an unknown vocabulary.
    """
    if vocabulary_kind not in VOCABULARIES:
        raise ValueError(f"--vocabulary must be one of {', '.join(VOCABULARIES)}")
    if articles < 1 or buckets < 1:
        raise ValueError("--articles and --buckets must be at least 1")
    tags = list(dict.fromkeys(tag.strip() for tag in languages if tag.strip()))
    if not tags:
        raise ValueError("no languages given")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    started = time.perf_counter()
    rng = random.Random(seed)
    kind = _RandomLanguage if vocabulary_kind == "random" else _Language
    langs = [kind(tag, seed) for tag in tags]
    # Slugs (file names) come from the English word lists in either vocabulary.
    english = _Language("en", seed)
    width = len(str(buckets - 1))
    bucket_names = [f"{index:0{width}d}" for index in range(buckets)]
    for name in bucket_names:
        (out / name).mkdir()
    manifest = Manifest(GENERATOR_VERSION, articles, tags, seed, buckets, vocabulary_kind)
    manifest.rare_words = {lang.tag: lang.vocab.rare for lang in langs}
    first_titles: dict[str, list[str]] = {tag: [] for tag in tags}
    first_body: dict[str, str] = {}
    total_bytes = 0
    for index in range(articles):
        if index < LIST_ROWS:
            date = NEWEST_DATE - dt.timedelta(days=index)
        else:
            date = NEWEST_DATE - dt.timedelta(days=rng.randint(LIST_ROWS, DATE_SPAN_DAYS))
        long_read = index == 0
        paragraphs = PARAGRAPHS[1] if long_read else rng.randint(*PARAGRAPHS)
        size = LONG_READ_BYTES if long_read else rng.randint(*BODY_BYTES)
        slug_words = english.title(rng) if index else ENGLISH.nouns[0] + " " + ENGLISH.nouns[1]
        slug = f"{_slug(slug_words)}-{index}"
        translation_key = slug if index and rng.random() < TRANSLATION_KEY_SHARE else None
        rare_at = rng.randrange(paragraphs) if index and rng.random() < RARE_SHARE else None
        tag_count = rng.randint(1, 3)
        bucket = out / bucket_names[index % buckets]
        manifest.translation_keys += translation_key is not None
        manifest.rare_articles += rare_at is not None
        for lang in langs:
            title = lang.title(rng)
            body = lang.body(rng, paragraphs, size)
            if rare_at is not None:
                rare = rng.choice(lang.vocab.rare_sentences)
                body[rare_at] = lang.joiner.join((body[rare_at], rare))
            name = slug
            if translation_key is not None:  # paths differ: only the key groups them
                name = f"{_slug(title)}-{index}"
            chosen_tags = rng.sample(lang.vocab.tags, tag_count)
            data = _page(title, date, chosen_tags, translation_key, body).encode("utf-8")
            with open(bucket / f"{name}.{lang.tag}.md", "wb") as handle:
                handle.write(data)
            total_bytes += len(data)
            if index < LIST_ROWS:
                first_titles[lang.tag].append(title)
            if index == 0:
                first_body[lang.tag] = body[0]
            if vocabulary_kind == "random" and 1 <= index <= SAMPLE_ARTICLES:
                manifest.samples.setdefault(lang.tag, []).extend(_samples(lang, body[-1]))
    manifest.files = articles * len(langs)
    manifest.bytes = total_bytes
    manifest.newest = Newest(
        key=f"{bucket_names[0]}/{_slug(ENGLISH.nouns[0] + ' ' + ENGLISH.nouns[1])}-0",
        titles={tag: titles[0] for tag, titles in first_titles.items()},
        markers={
            lang.tag: _marker(lang, first_body[lang.tag], first_titles[lang.tag]) for lang in langs
        },
    )
    manifest.seconds = time.perf_counter() - started
    (out / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def describe(manifest: Manifest, out: Path) -> str:
    """One line about what was written."""
    return (
        f"wrote {manifest.files:,} files ({manifest.articles:,} articles x "
        f"{len(manifest.languages)} languages, {manifest.buckets} buckets, "
        f"{manifest.vocabulary} vocabulary), "
        f"{manifest.bytes / 1e6:.1f} MB in {manifest.seconds:.1f} s -> {out}"
    )


def parse_languages(text: str) -> list[str]:
    """``"en,de, ru"`` -> ``["en", "de", "ru"]``."""
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="new or empty directory")
    parser.add_argument("--articles", type=int, default=1000, metavar="N", help="(1000)")
    parser.add_argument(
        "--languages",
        default=",".join(DEFAULT_LANGUAGES),
        metavar="TAGS",
        help=f"comma-separated language tags ({','.join(DEFAULT_LANGUAGES)})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help="(1)")
    parser.add_argument(
        "--buckets", type=int, default=DEFAULT_BUCKETS, metavar="B", help="sub-directories (100)"
    )
    parser.add_argument(
        "--vocabulary",
        choices=VOCABULARIES,
        default="zipf",
        help="zipf: sentences of word lists (default); random: words of random letters",
    )
    args = parser.parse_args(argv)
    try:
        manifest = generate_library(
            args.out,
            args.articles,
            parse_languages(args.languages),
            args.seed,
            args.buckets,
            args.vocabulary,
        )
    except (OSError, ValueError) as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 1
    print(describe(manifest, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

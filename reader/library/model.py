"""The library's data model: variants, articles, documents and their blocks.

All classes are frozen dataclasses with no behaviour beyond small derived views, so that
they can be cached, compared in tests and handed between threads safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal[
    "paragraph", "heading", "list", "quote", "table", "code", "rule", "html", "notice"
]
ProblemKind = Literal[
    "unreadable",  # the file system refused: permission, vanished, path too long, link loop
    "outside_library",  # a symlink that leads outside the library's root
    "directory_loop",  # a directory reached again through a symlink or a bind mount
    "too_deep",  # directories nested deeper than the walk goes
    "not_a_file",  # a FIFO, socket or device
    "not_text",  # binary, or in no encoding the reader can decode
    "parse_failed",  # nested too deeply to parse, or its parse stalled or crashed a worker
    "duplicate",  # a second variant of one language of an article; grouping kept another
    "front_matter",  # shown: its front matter could not be read and was ignored
    "cut",  # shown: only the first part (too big, too long, nested or formatted too much)
]
#: Kinds of :class:`Problem` whose page is still in the library, shown with a notice.
SHOWN_KINDS: frozenset[ProblemKind] = frozenset({"front_matter", "cut"})


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with its emphasis.

    Attributes:
        text: The (untrusted) text of the run.
        bold: Strong emphasis.
        italic: Emphasis.
        code: Inline code.
        href: Link target if the run is a link (not yet checked for a safe scheme).
    """

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block of a document: the unit that paragraphs are counted in.

    Attributes:
        kind: What the block is.
        spans: Inline content (paragraph, heading, quote, code, html, notice).
        level: Heading level, or nesting for lists.
        items: List items, each a tuple of spans, with their depth and marker.
        rows: Table rows (the first is the header), each a tuple of cells of spans.
    """

    kind: BlockKind
    spans: tuple[Span, ...] = ()
    level: int = 0
    items: tuple[ListItem, ...] = ()
    rows: tuple[tuple[tuple[Span, ...], ...], ...] = ()

    @property
    def plain_text(self) -> str:
        """The block's text without formatting, for search, quotes and filtering."""
        if self.kind == "list":
            return "\n".join("".join(s.text for s in item.spans) for item in self.items)
        if self.kind == "table":
            return "\n".join(
                " | ".join("".join(s.text for s in cell) for cell in row) for row in self.rows
            )
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list block.

    Attributes:
        spans: The item's inline content.
        depth: Nesting depth, 0 for top level.
        marker: ``•`` for bullets, ``3.`` for ordered items.
    """

    spans: tuple[Span, ...]
    depth: int = 0
    marker: str = "•"


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed variant: what the Article view shows.

    Attributes:
        title: The title (enclosing typographic quotes removed).
        date: ISO date string if the page has one.
        advertised: Languages the page's language bar advertises.
        blocks: Body blocks; block *i* of one variant is parallel to block *i* of another.
        next_title: A trailing "next article" title split off the last paragraph.
        notices: Things the reader should know (truncation, front matter ignored…).
        problem_notice: The notice that lists the page among the library's problems,
            with its kind (the first such one), or ``None``.
    """

    title: str
    date: str | None = None
    advertised: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    next_title: str | None = None
    notices: tuple[str, ...] = ()
    problem_notice: tuple[ProblemKind, str] | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    translation_key: str | None = None
    language: str | None = None

    @property
    def paragraph_count(self) -> int:
        """How many blocks the body has."""
        return len(self.blocks)


@dataclass(frozen=True, slots=True)
class Variant:
    """One language version of an article, as found on disk.

    Attributes:
        key: The article key this variant belongs to.
        language: Normalised BCP 47 tag.
        path: The file's path (its library root, as given, joined with the path found
            below it; may hold undecodable bytes as surrogate escapes).
        relpath: Path relative to the library root, with ``/`` separators.
        title: Title shown in lists.
        date: ISO date, if known.
        advertised: Languages the page's language bar advertises.
        size: File size in bytes when scanned.
        mtime_ns: Modification time when scanned.
        paragraphs: Number of body blocks.
        language_source: ``"filename"``, ``"directory"``, ``"front matter"``,
            ``"default"`` or ``"detected"``.
    """

    key: str
    language: str
    path: str
    relpath: str
    title: str
    date: str | None = None
    advertised: tuple[str, ...] = ()
    size: int = 0
    mtime_ns: int = 0
    paragraphs: int = 0
    language_source: str = "filename"


@dataclass(frozen=True, slots=True)
class Article:
    """A group of variants of one text, keyed by a stable article key.

    Attributes:
        key: ``translationKey`` or the relative path without language and extension.
        variants: Variants by language tag, in a stable order.
    """

    key: str
    variants: dict[str, Variant] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        """Tags of the variants present, sorted."""
        return sorted(self.variants)

    @property
    def advertised(self) -> list[str]:
        """Tags any variant's language bar advertises, in bar order."""
        seen: dict[str, None] = {}
        for variant in self.variants.values():
            for tag in variant.advertised:
                seen.setdefault(tag, None)
        return list(seen)

    @property
    def date(self) -> str | None:
        """The earliest date any variant gives."""
        dates = [v.date for v in self.variants.values() if v.date]
        return min(dates) if dates else None

    def titles(self) -> dict[str, str]:
        """Title per language."""
        return {tag: variant.title for tag, variant in sorted(self.variants.items())}


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that was skipped or degraded during a scan, and why.

    Attributes:
        path: The path as found (may not be valid UTF-8 on disk; shown sanitised).
        reason: One human sentence.
        kind: What went wrong, set where the problem is found (the reason is for people).
    """

    path: str
    reason: str
    kind: ProblemKind

    @property
    def skipped(self) -> bool:
        """``True`` if the file is not in the library at all (else it is shown with a
        notice)."""
        return self.kind not in SHOWN_KINDS

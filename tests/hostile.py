"""A library of hostile files, and what the reader must do with each.

Article text, titles, front matter and file names come from strangers
(ARCHITECTURE.md, "Untrusted text"). :func:`write_hostile_corpus` writes one library
that holds every trick we know of (terminal escape sequences in every form, markup,
bidi controls, odd encodings and line ends, parser bombs, file-system traps) and
returns a :class:`Case` per file saying what a safe reader does with it. The tests in
``test_hostile_corpus.py`` and ``test_e2e_tmux.py`` check those promises.

Every title holds a distinctive ASCII word (``Clearscreen``, ``Osctitle``…) so that a
test can find the article with the Library screen's filter.
"""

from __future__ import annotations

import codecs
import os
import random
import re
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

#: What must never reach a terminal: C0 controls except tab and newline, DEL, C1
#: controls (ESC, CSI, OSC… among them) and bidi embedding, override and isolate controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: ``article``: listed, and not among the problems. ``degraded``: listed *and* a
#: problem that is not skipped. ``skipped``: only a problem. ``either``: no promise
#: but the universal ones (no crash, no hang, nothing forbidden shown).
Expect = Literal["article", "degraded", "skipped", "either"]

# Escape sequences used below, named for readability.
ESC = "\x1b"
BEL = "\x07"
ST = "\x1b\\"
PAYLOAD = "PWNED"


def forbidden(text: str) -> list[str]:
    """The forbidden characters in ``text``, as ``U+XXXX`` strings (empty if clean)."""
    return [f"U+{ord(char):04X}" for char in FORBIDDEN.findall(text)]


@dataclass(frozen=True)
class Case:
    """One hostile file (or trap) and the safe behaviour it must meet.

    Attributes:
        name: Short unique id (used as the pytest id).
        relpath: Root-relative path with ``/``, as the library reports it (undecodable
            bytes as U+FFFD). For ``prefix`` cases, a directory.
        expect: See :data:`Expect`.
        family: The kind of attack (``escape``, ``markup``, ``front-matter``…).
        title: The title lists show (after cleaning), when the case is listed.
        reason: Words the problem's reason contains (``degraded`` and ``skipped``).
        shows: Text the plain rendering must contain (markup shown literally…).
        hides: Text that must appear nowhere in what is shown (payloads).
        prefix: The problem is reported for some path under ``relpath``.
        heavy: Large or slow to parse (left out of corpora for per-key CLI runs).
        literal: Markup that must be shown as typed, in every rendering.
        skip: Why the case cannot be checked here, if it cannot.
        permissions: The case needs file permissions to apply (root ignores them).
    """

    name: str
    relpath: str
    expect: Expect
    family: str
    title: str | None = None
    reason: str | None = None
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()
    prefix: bool = False
    heavy: bool = False
    literal: tuple[str, ...] = ()
    skip: str | None = None
    permissions: bool = False


@dataclass
class _Corpus:
    """Collects cases and, when it has a root, writes their files."""

    root: Path | None
    heavy: bool
    exclude: Collection[str] = ()
    cases: list[Case] = field(default_factory=list)

    def add(self, case: Case, write: Callable[[Path], None]) -> None:
        if (case.heavy and not self.heavy) or case.family in self.exclude:
            return
        if any(existing.name == case.name for existing in self.cases):
            raise ValueError(f"duplicate case name {case.name!r}")
        self.cases.append(case)
        if self.root is not None:
            write(self.root)

    def file(self, case: Case, data: str | bytes, *, name: str | bytes | None = None) -> None:
        """A regular file at ``case.relpath`` (or at the raw ``name``, for byte names)."""

        def write(root: Path) -> None:
            target: str | bytes = name if name is not None else case.relpath
            path = os.path.join(os.fsencode(root), os.fsencode(target))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)

        self.add(case, write)


def write_hostile_corpus(
    root: Path, *, heavy: bool = True, exclude: Collection[str] = ()
) -> list[Case]:
    """Write the hostile library into ``root`` (which may exist and be empty).

    Args:
        root: The library directory.
        heavy: Include the large and slow-to-parse files (several MiB in all).
        exclude: Families to leave out (``"file-name"``…).

    Returns:
        One :class:`Case` per file or trap written.
    """
    root.mkdir(parents=True, exist_ok=True)
    corpus = _Corpus(root, heavy, exclude)
    _build(corpus)
    return corpus.cases


def hostile_cases(*, heavy: bool = True, exclude: Collection[str] = ()) -> list[Case]:
    """The cases :func:`write_hostile_corpus` writes, without writing anything."""
    corpus = _Corpus(None, heavy, exclude)
    _build(corpus)
    return corpus.cases


def _build(corpus: _Corpus) -> None:
    _escapes(corpus)
    _markup_and_links(corpus)
    _front_matter(corpus)
    _file_names(corpus)
    _encodings(corpus)
    _line_ends(corpus)
    _sizes(corpus)
    _markdown_bombs(corpus)
    _file_system_traps(corpus)


# -- terminal escape sequences ----------------------------------------------------------


def _escapes(c: _Corpus) -> None:
    c.file(
        Case(
            "esc-csi-md",
            "escape/esc-csi.md",
            "article",
            "escape",
            title="Clearscreen Red title",
            shows=("Before red text after.", "item bold red", "window RENAMED"),
            hides=("2J", "[31m"),
        ),
        f"# Clearscreen {ESC}[2J{ESC}[31mRed{ESC}[0m title\n\n"
        f"Before {ESC}[2J{ESC}[H{ESC}[31mred text{ESC}[0m after.\n\n"
        f"* item {ESC}[1;31mbold red{ESC}[0m\n\n"
        # screen/tmux "ESC k" window name: the reader removes ESC k, the word is inert.
        f"window {ESC}kRENAMED{ST}\n",
    )
    c.file(
        Case(
            "esc-csi-txt",
            "escape/raw-csi.txt",
            "article",
            "escape",
            title="Rawcsi blink page",
            shows=("Line alt screen and hidden cursor mouse.",),
            hides=("1049", "?25"),
        ),
        f"Rawcsi {ESC}[2J{ESC}[1;1H{ESC}[5mblink{ESC}[0m page\n2024-01-02\n\n"
        f"Line {ESC}[?1049halt screen{ESC}[?1049l and {ESC}[?25lhidden cursor"
        f"{ESC}[?1000h mouse.\n",
    )
    c.file(
        Case(
            "osc-title",
            "escape/osc-title.txt",
            "article",
            "escape",
            title="Osctitle  window  name",
            shows=("Body sets the title.",),
            hides=(PAYLOAD,),
        ),
        f"Osctitle {ESC}]0;{PAYLOAD}{BEL} window {ESC}]2;{PAYLOAD}{ST} name\n\n"
        f"Body {ESC}]0;{PAYLOAD}{BEL}sets {ESC}]1;{PAYLOAD}{BEL}the {ESC}]2;{PAYLOAD}{ST}title.\n",
    )
    c.file(
        Case(
            "osc52-clipboard",
            "escape/osc52.md",
            "article",
            "escape",
            title="Clipboard  heist",
            shows=("Copy this now.",),
            hides=("UFdORUQ", PAYLOAD),
        ),
        # YAML double quotes turn \e and \a into ESC and BEL.
        '---\ntitle: "Clipboard \\e]52;c;UFdORUQ=\\a heist"\n---\n\n'
        f"Copy {ESC}]52;c;UFdORUQ={BEL}this {ESC}]52;p;UFdORUQ={ST}now.\n",
    )
    c.file(
        Case(
            "osc8-hyperlink",
            "escape/osc8.md",
            "article",
            "escape",
            title="Hyperlink trap",
            shows=("Click here please.",),
            hides=("evil.example",),
        ),
        f"# Hyperlink trap\n\nClick {ESC}]8;;https://evil.example/{ST}here{ESC}]8;;{ST} please.\n",
    )
    c.file(
        Case(
            "dcs-apc-pm-sos",
            "escape/string-sequences.md",
            "article",
            "escape",
            title="Stringseq DCS  APC  end",
            shows=("Sixel  gone, kitty  gone, PM  gone, SOS  gone, open",),
            hides=(PAYLOAD, "UFdORUQ", "~~@@"),
        ),
        f"# Stringseq DCS {ESC}P1$r0m{ST} APC {ESC}_Gf=100;{PAYLOAD}{ST} end\n\n"
        f"Sixel {ESC}Pq#0;2;0;0;0#1;2;100;100;0~~@@vv@@~~{ST} gone, "
        f"kitty {ESC}_Ga=T,f=100;UFdORUQ={ST} gone, PM {ESC}^{PAYLOAD}{ST} gone, "
        f"SOS {ESC}X{PAYLOAD}{ST} gone, open{ESC}]0;{PAYLOAD} runs to the end\n",
    )
    c.file(
        Case(
            "c1-controls",
            "escape/c1.md",
            "article",
            "escape",
            title="Eightbit red  title",
            shows=("CSI red, OSC , DCS , APC , done.",),
            hides=(PAYLOAD,),
        ),
        "# Eightbit \x9b2J\x9b31mred\x9b0m \x9d0;PWNED\x07 title\n\n"
        "CSI \x9b31mred\x9b0m, OSC \x9d2;PWNED\x9c, DCS \x90q\x9c, APC \x9fPWNED\x9c, done.\n",
    )
    c.file(
        Case("c1-raw-bytes", "escape/c1-raw.txt", "either", "escape"),
        b"Rawcone \x9b2J title\n\nBody \x9b31mred\x9d0;PWNED\x07 text caf\xe9 na\xefve.\n",
    )
    c.file(
        Case(
            "c0-controls",
            "escape/c0.txt",
            "article",
            "escape",
            title="Controlchars bellbackvtffdel title",
            shows=("Bell backspaceXXX verticaltab formfeed delete end.",),
        ),
        "Controlchars \x07bell\x08back\x0bvt\x0cff\x7fdel title\n\n"
        "Bell\x07 backspace\x08\x08\x08XXX vertical\x0btab form\x0cfeed delete\x7f end.\n",
    )
    c.file(
        Case(
            "c0-in-front-matter",
            "escape/c0-front-matter.md",
            "article",
            "escape",
            title="Frontcr carriagereturn bell",
        ),
        '+++\ntitle = "Frontcr carriage\\rreturn \\u0007bell\\u0008"\n+++\n\nBody.\n',
    )
    c.file(
        Case(
            "bidi-trojan-source",
            "escape/bidi.md",
            "article",
            "escape",
            title="Bidiswap evil isolate title",
            shows=(
                "Text LRE RLE LRO LRI FSI RLO.",
                'if access_level != "user # Check if admin ":',
            ),
        ),
        "# Bidiswap \u202eevil\u202c \u2067isolate\u2069 title\n\n"
        "```python\n"
        'access_level = "user"\n'
        'if access_level != "user\u202e \u2066# Check if admin\u2069 \u2066":\n'
        '    print("You are an admin.")\n'
        "```\n\n"
        "Text \u202aLRE\u202c \u202bRLE\u202c \u202dLRO\u202c \u2066LRI\u2069 \u2068FSI\u2069 "
        "\u202eRLO.\n",
    )
    c.file(
        Case(
            "zero-width",
            "escape/zero-width.md",
            "article",
            "escape",
            title="Zerowidth\u200b\u200c\u200d\u2060 title",
            shows=("Zero\u200bwidth space and soft\u00adhyphen.",),
        ),
        "# Zerowidth\u200b\u200c\u200d\u2060 title\n\n"
        "Zero\u200bwidth space and soft\u00adhyphen.\n",
    )
    zalgo = "e" + "\u0301" * 200
    c.file(
        Case("combining-stack", "escape/combining.md", "article", "escape", title=f"Zalgo {zalgo}"),
        f"# Zalgo {zalgo}\n\n"
        + ("a" + "\u0300\u0301\u0302\u0303" * 50 + " ") * 100
        + "\n\nz"
        + "\u0336" * 10_000
        + "\n",
    )


# -- markup and links -------------------------------------------------------------------


def _markup_and_links(c: _Corpus) -> None:
    c.file(
        Case(
            "rich-textual-markup",
            "markup/markup.md",
            "article",
            "markup",
            title="Markup [@click=app.quit]quit[/] title",
            literal=(
                "[@click=app.quit]quit[/]",
                "[link=https://evil.example]y[/link]",
                "[bold red]loud[/bold red]",
                "[on red]x[/on red] :smile: [reverse]r[/]",
            ),
        ),
        "# Markup [@click=app.quit]quit[/] title\n\n"
        "Click [@click=app.quit]quit[/] or [link=https://evil.example]y[/link] or "
        "[bold red]loud[/bold red] or [/] or [on red]x[/on red] :smile: [reverse]r[/].\n",
    )
    c.file(
        Case(
            "markup-text-page",
            "markup/markup-text.txt",
            "article",
            "markup",
            title="Markupline [@click=app.quit]q[/] [b]bold[/b]",
            literal=("[@click=app.bell]ring[/] [link=javascript:alert(1)]js[/link]",),
        ),
        "Markupline [@click=app.quit]q[/] [b]bold[/b]\n\n"
        "[@click=app.bell]ring[/] [link=javascript:alert(1)]js[/link]\n",
    )
    c.file(
        Case(
            "link-schemes",
            "markup/links.md",
            "article",
            "markup",
            title="Linktrap schemes",
            shows=("ok <https://example.org/ok>", "mail <mailto:a@example.org: not opened>"),
        ),
        "# Linktrap schemes\n\n"
        "[js](javascript:alert(1)) [JS](JAVASCRIPT:alert(1)) [ent](&#106;avascript:alert(1)) "
        "[vb](vbscript:msgbox(1)) [file](file:///etc/passwd) "
        "[data](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> "
        "[mail](mailto:a@example.org) [ftp](ftp://example.org/x) [ssh](ssh://evil.example) "
        "[rel](../../etc/passwd) [ok](https://example.org/ok) "
        f"[esc](https://example.org/{ESC}]0;{PAYLOAD}{BEL})\n",
    )
    # Problems list file names: markup there must stay text too (a DataTable parses str
    # cells as markup: '[/]' would raise, '[@click=...]' would become an action).
    c.file(
        Case(
            "markup-close-tag-in-problem-path",
            "markup/x[/]y.md",
            "skipped",
            "markup",
            reason="binary",
        ),
        b"Binary\x00",
    )
    c.file(
        Case(
            "markup-action-in-problem-path",
            "markup/[@click=app.quit]bin.md",
            "skipped",
            "markup",
            reason="binary",
        ),
        b"Binary\x00",
    )
    c.file(
        Case(
            "html-and-script",
            "markup/html.md",
            "article",
            "markup",
            title="Htmltrap page",
            shows=("<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>'),
        ),
        "# Htmltrap page\n\n<script>alert(1)</script>\n\n"
        'Inline <a href="javascript:alert(1)">x</a> here.\n',
    )


# -- front matter -----------------------------------------------------------------------


def _front_matter(c: _Corpus) -> None:
    c.file(
        Case(
            "fm-title-escapes",
            "front-matter/title-escapes.md",
            "article",
            "front-matter",
            title="Frontesc  title",
            hides=(PAYLOAD,),
        ),
        '---\ntitle: "Frontesc \\e[2J\\e]0;PWNED\\a title"\n---\n\nBody.\n',
    )
    c.file(
        Case(
            "fm-title-newline",
            "front-matter/title-newline.md",
            "article",
            "front-matter",
            title="Frontnewline first second third",
        ),
        '+++\ntitle = "Frontnewline first\\nsecond\\tthird"\n+++\n\nBody.\n',
    )
    c.file(
        Case("fm-hostile-key", "front-matter/key.md", "article", "front-matter", title="Frontkey"),
        '+++\ntitle = "Frontkey"\ntranslationKey = "fmkey-\\u001b[31m-\\u009b-\\u202e-\\n-end"\n'
        "+++\n\nBody.\n",
    )
    c.file(
        Case(
            "fm-hostile-lang", "front-matter/lang.md", "article", "front-matter", title="Frontlang"
        ),
        '---\ntitle: Frontlang\nlang: "\\e]0;PWNED\\a"\n---\n\nBody.\n',
    )
    c.file(
        Case(
            "fm-impossible-date-yaml",
            "front-matter/date-yaml.md",
            "degraded",
            "front-matter",
            title="Impossibledate yaml",
            reason="out of range",
        ),
        "---\ndate: 2024-02-30\n---\n# Impossibledate yaml\n\nBody.\n",
    )
    c.file(
        Case(
            "fm-impossible-date-toml",
            "front-matter/date-toml.md",
            "degraded",
            "front-matter",
            title="Impossibledate toml",
            reason="date",
        ),
        "+++\ndate = 2024-02-30\n+++\n# Impossibledate toml\n\nBody.\n",
    )
    digits = "9" * 5000
    c.file(
        Case(
            "fm-5000-digits-toml",
            "front-matter/bigint.md",
            "degraded",
            "front-matter",
            title="Bigint toml",
            reason="digits",
        ),
        f"+++\nn = {digits}\n+++\n# Bigint toml\n\nBody.\n",
    )
    c.file(
        Case(
            "fm-5000-digits-yaml",
            "front-matter/bigint-yaml.md",
            "degraded",
            "front-matter",
            title="Bigint yaml",
            reason="digits",
        ),
        f"---\nn: {digits}\n---\n# Bigint yaml\n\nBody.\n",
    )
    # Hexadecimal and sexagesimal integers are not limited when parsed, only by str().
    for name, kind, value in (
        ("fm-hex-title-yaml", "yaml", "0x" + "f" * 5000),
        ("fm-hex-title-toml", "toml", "0x" + "f" * 5000),
        ("fm-sexagesimal-title-yaml", "yaml", "1" + ":59" * 3000),
    ):
        fence, sep = ("---", ":") if kind == "yaml" else ("+++", " =")
        word = name.split("-")[1].capitalize()
        c.file(
            Case(
                name,
                f"front-matter/{name}.md",
                "degraded",
                "front-matter",
                title=f"Hugenumber {word} {kind}",
                reason="digits",
            ),
            f"{fence}\ntitle{sep} {value}\n{fence}\n# Hugenumber {word} {kind}\n\nBody.\n",
        )
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        laughs.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    c.file(
        Case(
            "fm-billion-laughs",
            "front-matter/laughs.md",
            "degraded",
            "front-matter",
            title="Laughs bomb",
            reason="aliases",
        ),
        "---\n" + "\n".join(laughs) + "\ntitle: *i\n---\n# Laughs bomb\n\nBody.\n",
    )
    c.file(
        Case(
            "fm-toml-nested-arrays",
            "front-matter/toml-nested.md",
            "degraded",
            "front-matter",
            title="Nestedtoml arrays",
            reason="nested",
        ),
        "+++\na = " + "[" * 10_000 + "]" * 10_000 + "\n+++\n# Nestedtoml arrays\n\nBody.\n",
    )
    c.file(
        Case(
            "fm-toml-nested-tables",
            "front-matter/toml-nested-tables.md",
            "degraded",
            "front-matter",
            title="Nestedtoml tables",
            reason="nested",
        ),
        "+++\na = " + "{b = " * 5_000 + "1" + "}" * 5_000 + "\n+++\n# Nestedtoml tables\n",
    )
    c.file(
        Case(
            "fm-yaml-nested-sequences",
            "front-matter/yaml-nested.md",
            "degraded",
            "front-matter",
            title="Nestedyaml dashes",
            reason="nested",
        ),
        "---\n" + "- " * 20_000 + "x\n---\n# Nestedyaml dashes\n",
    )
    c.file(
        Case(
            "fm-yaml-python-tag",
            "front-matter/python-tag.md",
            "degraded",
            "front-matter",
            title="Pythontag yaml",
            reason="constructor",
        ),
        "---\ntitle: !!python/object/apply:os.system ['echo PWNED > pwned-marker']\n---\n"
        "# Pythontag yaml\n",
    )
    c.file(
        Case(
            "fm-yaml-escaped-tag",
            "front-matter/escaped-tag.md",
            "degraded",
            "front-matter",
            title="Escapedtag yaml",
        ),
        "---\ntitle: !<tag:%1b]0;PWNED%07%c2%9b> x\n---\n# Escapedtag yaml\n",
    )
    c.file(
        Case(
            "fm-toml-raw-escape",
            "front-matter/toml-raw-escape.md",
            "degraded",
            "front-matter",
            title="Rawtoml escape",
            reason="invalid TOML",
        ),
        f'+++\ntitle = "{ESC}]0;{PAYLOAD}{BEL}"\n+++\n# Rawtoml escape\n',
    )
    c.file(
        Case(
            "fm-over-64k",
            "front-matter/huge.md",
            "degraded",
            "front-matter",
            title="Hugefront matter",
            reason="64 KiB",
        ),
        "---\ntitle: x\npad: " + "a" * 70_000 + "\n---\n# Hugefront matter\n",
    )
    c.file(
        Case(
            "fm-unterminated",
            "front-matter/unterminated.md",
            "article",
            "front-matter",
            title="Unterminated",
            shows=("title: Not front matter",),
        ),
        "---\ntitle: Not front matter\n\nBody.\n",
    )


# -- file names -------------------------------------------------------------------------


def _file_names(c: _Corpus) -> None:
    names = (
        ("name-esc", f"names/esc-{ESC}[31mred{ESC}]0;{PAYLOAD}{BEL}.md", "Escname file"),
        ("name-c1-bidi", "names/c1-\x9b31m-\u202egnp.md", "Conename file"),
        ("name-markup", "names/[@click=app.quit]q[bold red]x.md", "Markupname file"),
        ("name-newline", "names/new\nline.md", "Newlinename file"),
        ("name-zero-width", "names/zero\u200bwidth.md", "Zwname file"),
        ("name-very-long", "names/" + "L" * 240 + ".md", "Longname file"),
    )
    for name, relpath, title in names:
        c.file(
            Case(name, relpath, "article", "file-name", title=title),
            f"# {title}\n\nBody of {name}.\n",
        )
    c.file(
        Case(
            "name-not-utf8",
            "names/latin1-\ufffd\ufffd.md",
            "article",
            "file-name",
            title="Latinname file",
        ),
        "# Latinname file\n\nBody.\n",
        name=b"names/latin1-\xe9\xff.md",
    )
    # Two default-language variants of one key: the second is a problem whose reason
    # quotes the key (with its C1 control).
    c.file(
        Case("name-dup-kept", "names/dup-\x9b.en.md", "article", "file-name", title="Dupname kept"),
        "# Dupname kept\n",
    )
    c.file(
        Case(
            "name-dup-second",
            "names/dup-\x9b.md",
            "skipped",
            "file-name",
            reason="second en variant",
        ),
        "# Dupname second\n",
    )


# -- encodings --------------------------------------------------------------------------

_RUSSIAN = (
    "Дилемма обучения на видеокартах",
    "Когда исследователи обсуждают обучение больших языковых моделей, они часто говорят о "
    "стоимости вычислений и о том, сколько видеокарт нужно купить для одного эксперимента. "
    "Но настоящая проблема заключается в другом: время ожидания результатов растёт быстрее, "
    "чем бюджеты лабораторий.",
)
_CHINESE = (
    "图形处理器训练的两难困境",
    "当研究人员讨论大型语言模型的训练时，他们经常谈论计算成本以及一次实验需要购买多少显卡。"
    "但真正的问题在于另一方面：等待结果的时间比实验室预算增长得更快。"
    "这就是为什么许多团队开始重新考虑他们的方法。",
)
_JAPANESE = (
    "GPU学習のジレンマ",
    "研究者が大規模言語モデルの学習について議論するとき、彼らはしばしば計算コストや、"
    "一つの実験のために何枚のグラフィックカードを購入する必要があるかについて話します。"
    "しかし本当の問題は別のところにあります。結果を待つ時間が研究室の予算よりも速く増えているのです。",
)
_GREEK = (
    "Το δίλημμα της εκπαίδευσης σε κάρτες γραφικών",
    "Όταν οι ερευνητές συζητούν την εκπαίδευση μεγάλων γλωσσικών μοντέλων, μιλούν συχνά για "
    "το κόστος των υπολογισμών και για το πόσες κάρτες γραφικών χρειάζεται να αγοράσουν για "
    "ένα μόνο πείραμα. Όμως το πραγματικό πρόβλημα βρίσκεται αλλού: ο χρόνος αναμονής των "
    "αποτελεσμάτων αυξάνεται γρηγορότερα από τους προϋπολογισμούς των εργαστηρίων.",
)


def _encodings(c: _Corpus) -> None:
    c.file(
        Case(
            "utf8-bom",
            "encoding/utf8-bom.md",
            "article",
            "encoding",
            title="Bomtitle UTF-8 Ünïcödé",
        ),
        codecs.BOM_UTF8 + '---\ntitle: "Bomtitle UTF-8 Ünïcödé"\n---\n\nText.\n'.encode(),
    )
    page = "{title}\n\nGrüße, 你好, Ωμέγα: body text.\n"
    for name, bom, encoding, title in (
        ("utf16-le-bom", codecs.BOM_UTF16_LE, "utf-16-le", "Utfsixteen LE Grüße 你好"),
        ("utf16-be-bom", codecs.BOM_UTF16_BE, "utf-16-be", "Utfsixteen BE Grüße 你好"),
        ("utf32-le-bom", codecs.BOM_UTF32_LE, "utf-32-le", "Utfthirtytwo LE Ωμέγα"),
        ("utf32-be-bom", codecs.BOM_UTF32_BE, "utf-32-be", "Utfthirtytwo BE Ωμέγα"),
    ):
        c.file(
            Case(name, f"encoding/{name}.txt", "article", "encoding", title=title),
            bom + page.format(title=title).encode(encoding),
        )
    for name, language, encoding, (title, body) in (
        ("cp1251-russian", "ru", "cp1251", _RUSSIAN),
        ("gbk-chinese", "zh", "gbk", _CHINESE),
        ("shift-jis-japanese", "ja", "shift_jis", _JAPANESE),
        ("iso8859-7-greek", "el", "iso-8859-7", _GREEK),
    ):
        c.file(
            Case(
                name,
                f"encoding/{name}.{language}.txt",
                "article",
                "encoding",
                title=title,
                shows=(body[:20], "Decoded from"),
            ),
            f"{title}\n\n{body}\n\n{body}\n".encode(encoding),
        )
    c.file(
        Case("utf16-no-bom", "encoding/utf16-no-bom.txt", "skipped", "encoding", reason="binary"),
        "Nobom sixteen\n\nText.\n".encode("utf-16-le"),
    )
    c.file(
        Case(
            "bom-then-garbage",
            "encoding/bom-garbage.md",
            "skipped",
            "encoding",
            reason="byte-order mark",
        ),
        codecs.BOM_UTF8 + b"# Bomgarbage \xff\xfe\xc3\x28\n",
    )
    c.file(
        Case(
            "utf16-odd-length",
            "encoding/utf16-odd.txt",
            "skipped",
            "encoding",
            reason="byte-order mark",
        ),
        codecs.BOM_UTF16_LE + "Oddsixteen".encode("utf-16-le") + b"\x41",
    )
    c.file(
        Case("nul-bytes", "binary/nul.txt", "skipped", "binary", reason="binary"),
        b"Nulbyte title\n\nabc\x00def\n",
    )
    c.file(
        Case("png-header", "binary/image.md", "skipped", "binary", reason="binary"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
        b"\x00\x00\x00\x1f\xf3\xffa" + bytes(range(1, 256)) * 4,
    )
    noise = random.Random(1)
    c.file(
        Case("random-bytes", "binary/noise.txt", "either", "binary"),
        bytes(noise.randrange(1, 256) for _ in range(4000)),
    )


# -- line ends --------------------------------------------------------------------------


def _line_ends(c: _Corpus) -> None:
    template = "{word} title\n2024-03-04\n\nFirst para\nstill first.\n\nSecond para.\n"
    for name, word, newline in (
        ("crlf", "Crlfpage", "\r\n"),
        ("cr-only", "Cronlypage", "\r"),
        ("u2028", "Lineseppage", "\u2028"),
        ("u2029", "Parasep page", "\u2029"),
        ("nel", "Nelpage", "\x85"),
    ):
        c.file(
            Case(
                f"line-ends-{name}",
                f"line-ends/{name}.txt",
                "article",
                "line-ends",
                title=f"{word} title",
                shows=("First para still first.", "Second para.", "2024-03-04"),
            ),
            template.format(word=word).replace("\n", newline),
        )
    c.file(
        Case(
            "line-ends-mixed-md",
            "line-ends/mixed.md",
            "article",
            "line-ends",
            title="Mixedends markdown",
            shows=("One two", "Three."),
        ),
        "# Mixedends markdown\r\n\r\nOne\rtwo\n\r\nThree.\u2028",
    )


# -- size -------------------------------------------------------------------------------


def _sizes(c: _Corpus) -> None:
    # 4 MiB is the default limit; the cut falls inside a two-byte character.
    header = "Hugefile cut\n\n"
    paragraph = ("Очень длинный текст. " * 50).strip() + "\n\n"
    limit = 4 * 1024 * 1024
    count = limit // len(paragraph.encode()) + 20
    huge = (header + paragraph * count).encode()
    while huge[limit] & 0xC0 != 0x80:  # until the byte after the cut continues a character
        huge = b"x" + huge
    c.file(
        Case(
            "over-size-limit",
            "size/huge.txt",
            "degraded",
            "size",
            title=huge[: huge.index(b"\n")].decode(),
            reason="larger than 4096 KiB",
            shows=("Очень длинный текст.",),
            heavy=True,
        ),
        huge,
    )
    c.file(
        Case(
            "one-megabyte-line-txt",
            "size/line.txt",
            "article",
            "size",
            title="Onemegline text",
            shows=("word word",),
            heavy=True,
        ),
        "Onemegline text\n\n" + "word " * 200_000 + "\n",
    )
    c.file(
        Case(
            "one-megabyte-image-brackets",
            "size/brackets.md",
            "degraded",
            "size",
            title="Onemegline brackets",
            reason="Markdown formatting",
            heavy=True,
        ),
        "# Onemegline brackets\n\n" + "![" * 500_000 + "\n",
    )
    c.file(
        Case(
            "many-paragraphs-txt",
            "size/paragraphs.txt",
            "degraded",
            "size",
            title="Manyparas text",
            reason="Only the first",
            heavy=True,
        ),
        "Manyparas text\n\n" + "p\n\n" * 100_000,
    )


# -- Markdown bombs ---------------------------------------------------------------------


def _markdown_bombs(c: _Corpus) -> None:
    c.file(
        Case(
            "table-10000-rows",
            "markdown/table.md",
            "degraded",
            "markdown",
            title="Bigtable rows",
            reason="Only the first",
            heavy=True,
        ),
        "# Bigtable rows\n\n| a | b |\n|---|---|\n" + "| x | y |\n" * 10_000,
    )
    c.file(
        Case(
            "table-100000-columns",
            "markdown/wide-table.md",
            "article",
            "markdown",
            title="Widetable columns",
            heavy=True,
        ),
        "# Widetable columns\n\n|" + "a|" * 100_000 + "\n|" + "-|" * 100_000 + "\n",
    )
    c.file(
        Case(
            "blockquote-1000-deep",
            "markdown/quote.md",
            "degraded",
            "markdown",
            reason="levels of nesting",
            title="Deepquote markdown",
            shows=("After the quote.",),
        ),
        "# Deepquote markdown\n\n" + ">" * 1000 + " deep\n\nAfter the quote.\n",
    )
    c.file(
        Case(
            "blockquote-staircase",
            "markdown/quote-stairs.md",
            "degraded",
            "markdown",
            reason="levels of nesting",
            title="Stairquote markdown",
            shows=("After the stairs.",),
        ),
        "# Stairquote markdown\n\n"
        + "".join(">" * depth + " step\n" for depth in range(1, 1001))
        + "\nAfter the stairs.\n",
    )
    c.file(
        Case(
            "list-500-deep",
            "markdown/nested-list.md",
            "degraded",
            "markdown",
            reason="levels of nesting",
            title="Deeplist markdown",
        ),
        "# Deeplist markdown\n\n"
        + "".join("  " * depth + "- item\n" for depth in range(500))
        + "\nAfter the list.\n",
    )
    c.file(
        Case(
            "list-flat-megabyte",
            "markdown/long-list.md",
            "degraded",
            "markdown",
            title="Longlist markdown",
            reason="Only the first",
            heavy=True,
        ),
        "# Longlist markdown\n\n" + "- a\n" * 250_000,
    )
    c.file(
        Case(
            "emphasis-megabyte-line",
            "markdown/emphasis.md",
            "degraded",
            "markdown",
            title="Emphasisline markdown",
            reason="Markdown formatting",
            heavy=True,
        ),
        "# Emphasisline markdown\n\n" + "*a _b " * 170_000 + "\n",
    )


# -- file-system traps ------------------------------------------------------------------


def _file_system_traps(c: _Corpus) -> None:
    as_root = "running as root: chmod 0 does not stop root from reading"
    root_only = as_root if hasattr(os, "geteuid") and os.geteuid() == 0 else None

    def symlink(relpath: str, target: str) -> Callable[[Path], None]:
        def write(root: Path) -> None:
            (root / relpath).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, root / relpath)

        return write

    c.add(
        Case("symlink-dir-loop", "traps/loop", "skipped", "file-system", reason="loop"),
        symlink("traps/loop", "."),
    )
    c.add(
        Case("symlink-self-loop", "traps/selfloop.md", "skipped", "file-system", reason="loop"),
        symlink("traps/selfloop.md", "selfloop.md"),
    )
    c.add(
        Case("symlink-dangling", "traps/dangling.md", "skipped", "file-system", reason="dangling"),
        symlink("traps/dangling.md", "missing.md"),
    )
    c.add(
        Case(
            "symlink-dir-ancestor-loop",
            "traps/deeper/up",
            "skipped",
            "file-system",
            reason="loop",
        ),
        symlink("traps/deeper/up", "../.."),
    )
    c.add(
        Case(
            "symlink-to-dev-zero",
            "traps/zero.md",
            "skipped",
            "file-system",
            reason="symlink leads outside the library: /dev/zero",
        ),
        symlink("traps/zero.md", "/dev/zero"),
    )
    # Followed, either would read the whole system (or a secret) into the library.
    c.add(
        Case(
            "symlink-to-file-system-root",
            "traps/everything",
            "skipped",
            "file-system",
            reason="symlink leads outside the library: /",
        ),
        symlink("traps/everything", "/"),
    )
    c.add(
        Case(
            "symlink-to-file-outside",
            "traps/passwd.md",
            "skipped",
            "file-system",
            reason="symlink leads outside the library: /etc/passwd",
            skip=None if _plain_file("/etc/passwd") else "no plain /etc/passwd here",
        ),
        symlink("traps/passwd.md", "/etc/passwd"),
    )

    def fifo(root: Path) -> None:
        (root / "traps").mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / "traps/fifo.md")

    c.add(
        Case("fifo", "traps/fifo.md", "skipped", "file-system", reason="not a regular file"),
        fifo,
    )

    def unreadable_file(root: Path) -> None:
        path = root / "traps/unreadable.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Unreadable file\n")
        path.chmod(0)

    c.add(
        Case(
            "unreadable-file",
            "traps/unreadable.md",
            "skipped",
            "file-system",
            reason="permission denied",
            skip=root_only,
            permissions=True,
        ),
        unreadable_file,
    )

    def unreadable_directory(root: Path) -> None:
        directory = root / "traps/locked"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "inside.md").write_text("# Locked inside\n")
        directory.chmod(0)

    c.add(
        Case(
            "unreadable-directory",
            "traps/locked",
            "skipped",
            "file-system",
            reason="permission denied",
            skip=root_only,
            permissions=True,
        ),
        unreadable_directory,
    )
    # Paths longer than PATH_MAX (4096): a page in every directory of a deep chain
    # of long names, so that wherever the root is, some page's path is too long.
    c.add(
        Case(
            "over-long-path",
            "traps/long",
            "skipped",
            "file-system",
            reason="path too long",
            prefix=True,
        ),
        _long_path_chain("traps/long", page=True),
    )
    c.add(
        Case(
            "over-long-directory",
            "traps/longdirs",
            "skipped",
            "file-system",
            reason="path too long",
            prefix=True,
        ),
        _long_path_chain("traps/longdirs", page=False),
    )


def _plain_file(path: str) -> bool:
    """``True`` if ``path`` is a regular file that is no symlink (so a link names it)."""
    return os.path.isfile(path) and os.path.realpath(path) == path


def _long_path_chain(relpath: str, *, page: bool) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        name = "d" * 200
        top = root / relpath
        top.mkdir(parents=True, exist_ok=True)
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for _ in range(25):  # 25 * 201 characters: too long wherever the root is
                if page:
                    page_fd = os.open(
                        "p" * 200 + ".md",
                        os.O_WRONLY | os.O_CREAT,
                        stat.S_IRUSR | stat.S_IWUSR,
                        dir_fd=fd,
                    )
                    os.write(page_fd, b"# Longpath page\n")
                    os.close(page_fd)
                os.mkdir(name, dir_fd=fd)
                child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = child
        finally:
            os.close(fd)

    return write

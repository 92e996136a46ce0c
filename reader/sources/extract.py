"""A fetched page as an article: its main text as Markdown, its metadata and its links
to other languages.

trafilatura finds the main text (no navigation, footer or ads) in the HTML that
:mod:`reader.sources.fetch` downloaded (never with its own downloader); its XML tree
is turned into Markdown here, so that every piece of text is sanitised and escaped
(a title or paragraph can never become markup, a link only ever points to http(s)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from reader.sanitize import clean, clean_line, safe_link
from reader.sources.charset import UndecodableError, decode_html
from reader.sources.fetch import Fetched, host_of

#: A page whose main text is shorter than this (in letters) has "no article text".
MIN_TEXT_LETTERS = 40
#: HTML beyond this many characters is not handed to the extractor: its time grows
#: with the page (about 4 s per MB on a busy 2-core machine), and an article's page is
#: rarely a tenth of it.
MAX_EXTRACT_CHARS = 3_000_000
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_LINK_HEADER_PART = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_LINK_PARAM = re.compile(r"""\s*;\s*([A-Za-z*-]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))""")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#~!])")
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


class ExtractError(Exception):
    """A page that holds no article; ``str(error)`` is the one-line message."""


@dataclass(frozen=True)
class Alternate:
    """A link to a language variant.

    Attributes:
        url: Absolute URL (fragment removed).
        hreflang: The tag as written (``en_US``, ``x-default``), sanitised.
        where: ``"link"`` (``<link rel=alternate>``), ``"header"`` (``Link:``) or
            ``"anchor"`` (a visible language switcher).
    """

    url: str
    hreflang: str
    where: str


@dataclass
class Page:
    """What the reader keeps of a page.

    Attributes:
        url: The URL asked for.
        final_url: After redirects.
        canonical: ``<link rel=canonical>`` (absolute), if any.
        title: Sanitised, one line.
        date: ``YYYY-MM-DD`` or ``None``.
        markdown: The main text as Markdown (sanitised, escaped).
        blocks: How many blocks (paragraphs, headings, lists, quotes) it has.
        plain: The main text without markup (for the language detector).
        html_lang: ``<html lang>`` as written, if any.
        content_language: The ``Content-Language`` header, if any.
        alternates: Links to language variants, in document order.
        encoding: The encoding the page was decoded with.
        truncated: The page was longer than :data:`MAX_EXTRACT_CHARS` and was cut.
    """

    url: str
    final_url: str
    canonical: str | None
    title: str
    date: str | None
    markdown: str
    blocks: int
    plain: str
    html_lang: str | None
    content_language: str | None
    alternates: list[Alternate] = field(default_factory=list)
    encoding: str = "utf-8"
    truncated: bool = False


def parse_page(fetched: Fetched) -> Page:
    """Decode, parse and extract a fetched page.

    Raises:
        ExtractError: If the page cannot be decoded or holds no article text.
    """
    from lxml import etree, html

    host = host_of(fetched.final_url)
    try:
        text, encoding = decode_html(fetched.body, fetched.headers.get("content-type", ""))
    except UndecodableError as error:
        raise ExtractError(f"{host}: {error}") from error
    text = _XML_DECLARATION.sub("", text, count=1)
    truncated = len(text) > MAX_EXTRACT_CHARS
    if truncated:
        text = text[:MAX_EXTRACT_CHARS]  # lxml closes what the cut left open
    if not text.strip():
        raise ExtractError(f"{host}: empty page")
    try:
        tree = html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ExtractError(f"{host}: not an HTML page") from error
    base = fetched.final_url
    base_href = tree.xpath("string(//base/@href)")
    if base_href:
        base = urljoin(base, str(base_href).strip())
    alternates = _alternates(tree, base) + _link_header(fetched.headers.get("link", ""), base)
    canonical = None
    for href in tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
    ):
        canonical = _absolute(str(href), base)
        break
    html_lang = str(
        tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    )
    import trafilatura

    document = trafilatura.bare_extraction(
        text,
        url=fetched.final_url,
        with_metadata=True,
        include_links=True,
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    body = getattr(document, "body", None) if document is not None else None
    if body is None:
        raise ExtractError(f"{host}: no article text found on the page")
    title = clean_line(str(getattr(document, "title", "") or "")).strip()
    markdown, blocks, plain = _to_markdown(body, title)
    if sum(1 for char in plain if char.isalpha()) < MIN_TEXT_LETTERS:
        raise ExtractError(f"{host}: no article text found on the page")
    if not title:
        title = clean_line(plain.strip().split("\n", 1)[0])[:120]
    date = getattr(document, "date", None)
    return Page(
        url=fetched.url,
        final_url=fetched.final_url,
        canonical=canonical,
        title=title,
        date=str(date)[:10] if date else None,
        markdown=markdown,
        blocks=blocks,
        plain=plain,
        html_lang=clean_line(html_lang).strip() or None,
        content_language=clean_line(fetched.headers.get("content-language", "")).strip() or None,
        alternates=alternates,
        encoding=encoding,
        truncated=truncated,
    )


def _absolute(href: str, base: str) -> str | None:
    """``href`` resolved against ``base`` (relative and protocol-relative), without its
    fragment; ``None`` unless it is http(s)."""
    href = href.strip()
    if not href or clean_line(href, visible=True) != href:
        return None
    try:
        url = urljoin(base, href).split("#", 1)[0]
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _alternates(tree: Any, base: str) -> list[Alternate]:
    found: list[Alternate] = []
    links = tree.xpath(
        "//link[@hreflang][contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
    )
    for element in links:
        url = _absolute(str(element.get("href") or ""), base)
        if url:
            found.append(Alternate(url, clean_line(str(element.get("hreflang"))).strip(), "link"))
    for element in tree.xpath("//a[@href][@hreflang or @lang]"):
        tag = element.get("hreflang") or element.get("lang")
        url = _absolute(str(element.get("href") or ""), base)
        if url and tag:
            found.append(Alternate(url, clean_line(str(tag)).strip(), "anchor"))
    return found


def _link_header(value: str, base: str) -> list[Alternate]:
    """Alternates from ``Link: <url>; rel="alternate"; hreflang="de", ...``."""
    found: list[Alternate] = []
    for match in _LINK_HEADER_PART.finditer(value or ""):
        params = {
            name.lower(): quoted if quoted else bare
            for name, quoted, bare in _LINK_PARAM.findall(match.group(2))
        }
        if "alternate" not in params.get("rel", "").lower().split() or not params.get("hreflang"):
            continue
        url = _absolute(match.group(1), base)
        if url:
            found.append(Alternate(url, clean_line(params["hreflang"]).strip(), "header"))
    return found


# --- trafilatura's XML to Markdown -------------------------------------------------------


def _to_markdown(body: Any, title: str) -> tuple[str, int, str]:
    """Markdown, block count and plain text of trafilatura's XML ``body``."""
    blocks: list[str] = []
    plain: list[str] = []
    for element in body:
        _block(element, blocks, plain)
    # The page's own <h1> repeats the title the reader already shows.
    if blocks and plain and plain[0].strip() == title.strip() and blocks[0].startswith("#"):
        blocks.pop(0)
        plain.pop(0)
    return "\n\n".join(blocks) + ("\n" if blocks else ""), len(blocks), "\n".join(plain)


def _block(element: Any, blocks: list[str], plain: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("graphic", "lb", "comments", "fw", "note"):
        return
    if tag == "head":
        rend = str(element.get("rend") or "h2")
        level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
        text, words = _inline(element)
        if words.strip():
            blocks.append("#" * level + " " + text.strip())
            plain.append(words.strip())
        return
    if tag == "list":
        lines = _list_lines(element, 0, plain)
        if lines:
            blocks.append("\n".join(lines))
        return
    if tag == "quote":
        inner: list[str] = []
        if len(element) and all(
            isinstance(child.tag, str) and child.tag in ("p", "list", "head") for child in element
        ):
            for child in element:
                _block(child, inner, plain)
        else:
            text, words = _inline(element)
            if words.strip():
                inner.append(_block_safe(text.strip()))
                plain.append(words.strip())
        if inner:
            quoted = "\n>\n".join("\n".join("> " + line for line in b.split("\n")) for b in inner)
            blocks.append(quoted)
        return
    if tag == "table":
        for row in element.iter("row"):
            cells = [_inline(cell) for cell in row if cell.tag == "cell"]
            text = " · ".join(c[0].strip() for c in cells if c[1].strip())
            if text:
                blocks.append(_block_safe(text))
                plain.append(" ".join(c[1].strip() for c in cells))
        return
    if tag == "code":
        code = clean("".join(element.itertext())).strip("\n")
        if code.strip():
            fence = "~~~~" if "```" in code else "```"
            blocks.append(f"{fence}\n{code.replace(fence, '')}\n{fence}")
            plain.append(code)
        return
    text, words = _inline(element)
    if words.strip():
        blocks.append(_block_safe(text.strip()))
        plain.append(words.strip())


def _list_lines(element: Any, depth: int, plain: list[str]) -> list[str]:
    ordered = str(element.get("rend") or "") == "ol"
    lines: list[str] = []
    number = 0
    for item in element:
        if item.tag != "item":
            continue
        number += 1
        nested = [child for child in item if child.tag == "list"]
        text, words = _inline(item, skip=("list",))
        marker = f"{number}. " if ordered else "- "
        indent = "   " * depth if ordered else "  " * depth
        if words.strip():
            lines.append(indent + marker + _block_safe(text.strip()))
            plain.append(words.strip())
        for child in nested:
            lines.extend(_list_lines(child, depth + 1, plain))
    return lines


def _inline(element: Any, skip: tuple[str, ...] = ()) -> tuple[str, str]:
    """``(markdown, plain)`` of an element's text and inline children."""
    parts: list[str] = [_escape(element.text or "")]
    words: list[str] = [_words(element.text or "")]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in skip:
            pass
        elif tag == "lb":
            parts.append(" ")
            words.append(" ")
        else:
            inner, inner_words = _inline(child)
            words.append(inner_words)
            rend = str(child.get("rend") or "")
            if not inner_words.strip():
                parts.append(inner)
            elif tag == "ref":
                parts.append(_link(inner, str(child.get("target") or "")))
            elif tag == "hi" and rend in ("#b", "#strong"):
                parts.append(_wrap(inner, "**"))
            elif tag == "hi" and rend in ("#i", "#em"):
                parts.append(_wrap(inner, "*"))
            elif tag == "hi" and rend == "#t":
                parts.append(_wrap(inner, "`") if "`" not in inner_words else inner)
            else:
                parts.append(inner)
        parts.append(_escape(child.tail or ""))
        words.append(_words(child.tail or ""))
    return _collapse("".join(parts)), _collapse("".join(words))


def _wrap(text: str, mark: str) -> str:
    """``**bold**``, keeping the spaces around the text outside the marks."""
    stripped = text.strip()
    if mark == "`":
        stripped = stripped.replace("\\", "")
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{mark}{stripped}{mark}{end}"


def _link(text: str, target: str) -> str:
    url = safe_link(target.strip())
    if url is None:
        return text
    escaped = quote(url, safe=":/?#[]@!$&'*+,;=%~-._")
    return f"[{text.strip()}](<{escaped}>)"


def _words(text: str) -> str:
    return clean(text)


def _escape(text: str) -> str:
    """Untrusted text, sanitised and escaped so that Markdown reads it as plain text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text)


def _block_safe(text: str) -> str:
    """Escape what would make a paragraph's start a list item, quote or heading."""

    def escape(match: re.Match[str]) -> str:
        mark = match.group(2)
        if mark[0].isdigit():  # "1984. Ein Jahr" is not an ordered list
            return match.group(1) + mark[:-1] + "\\" + mark[-1]
        return match.group(1) + "\\" + mark

    return _BLOCK_START.sub(escape, text, count=1)

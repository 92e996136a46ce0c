"""Front matter: TOML (``+++``) or YAML (``---``, safe loading only), with bomb defences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reader.sanitize import clean_line

#: Front matter larger than this is not parsed (a real one is a few hundred bytes).
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Nesting deeper than this is rejected before the parser can recurse into it.
MAX_NESTING = 32


class FrontMatterError(ValueError):
    """Front matter that is present but cannot be used; the message says why."""


@dataclass(frozen=True)
class FrontMatter:
    """The fields the reader uses, already checked and turned into plain strings.

    Attributes:
        title: ``title``.
        date: ``date`` as ``YYYY-MM-DD``.
        lang: ``lang`` (or ``language``), not yet normalised.
        translation_key: ``translationKey``.
        tags: ``tags``.
        source: ``source``.
    """

    title: str | None = None
    date: str | None = None
    lang: str | None = None
    translation_key: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None


def split_front_matter(text: str) -> tuple[str | None, str | None, str]:
    """Split a Markdown file into (format, front matter text, body).

    Leading blank lines, a BOM and trailing spaces on the delimiter lines are tolerated.

    Returns:
        ``("toml" | "yaml" | None, raw front matter or None, body)``. An unterminated
        block is treated as no front matter.
    """
    lines = text.lstrip("\ufeff").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return None, None, text
    opener = lines[index].rstrip()
    if opener not in ("+++", "---"):
        return None, None, text
    closers = ("+++",) if opener == "+++" else ("---", "...")
    for end in range(index + 1, len(lines)):
        if lines[end].rstrip() in closers:
            raw = "\n".join(lines[index + 1 : end])
            body = "\n".join(lines[end + 1 :])
            return ("toml" if opener == "+++" else "yaml"), raw, body
    return None, None, text


def parse_front_matter(kind: str, raw: str) -> FrontMatter:
    """Parse front matter text of ``kind`` (``"toml"`` or ``"yaml"``).

    Raises:
        FrontMatterError: For syntax errors, YAML aliases, deep nesting, huge numbers,
            impossible dates or oversized blocks, with a human reason.
    """
    if len(raw.encode("utf-8", "replace")) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError("front matter larger than 64 KiB")
    _check_nesting(raw)
    try:
        data = _load_toml(raw) if kind == "toml" else _load_yaml(raw)
    except FrontMatterError:
        raise
    except RecursionError as error:
        raise FrontMatterError(f"{kind.upper()} front matter nested too deeply") from error
    except Exception as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        # Parser messages may quote the file; the reason is shown in problem lists.
        message = clean_line(message)[:160]
        raise FrontMatterError(f"invalid {kind.upper()} front matter: {message}") from error
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise FrontMatterError(f"{kind.upper()} front matter is not a table of keys")
    return _fields(data)


def _check_nesting(raw: str) -> None:
    depth = deepest = 0
    for char in raw:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    if deepest > MAX_NESTING:
        raise FrontMatterError(f"front matter nested more than {MAX_NESTING} levels deep")


def _load_toml(raw: str) -> Any:
    import tomllib

    return tomllib.loads(raw)


def _load_yaml(raw: str) -> Any:
    import yaml

    class _NoAliasLoader(yaml.SafeLoader):
        """Safe loader that refuses aliases: front matter never needs them, bombs do."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.events.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                line = event.start_mark.line + 1
                raise FrontMatterError(
                    f"YAML aliases are not allowed in front matter (line {line})"
                )
            return super().compose_node(parent, index)

    try:
        return yaml.load(raw, Loader=_NoAliasLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = clean_line(str(getattr(error, "problem", None) or "syntax error"))[:160]
        raise FrontMatterError(f"invalid YAML front matter{where}: {problem}") from error


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float):
        try:
            text = str(value)
        except ValueError as error:
            # A hexadecimal or sexagesimal integer may parse, yet have too many digits
            # for str() (sys.get_int_max_str_digits).
            raise FrontMatterError("front matter number has too many digits") from error
        return text[:1000]
    return None


def _key(value: Any) -> str | None:
    # A key is a one-line identifier printed by `reader list` and stored in bookmarks.
    text = _text(value)
    return (clean_line(text).strip() or None) if text is not None else None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def _fields(data: dict[str, Any]) -> FrontMatter:
    tags = data.get("tags")
    tag_list: tuple[str, ...] = ()
    if isinstance(tags, list):
        tag_list = tuple(t for t in (_text(tag) for tag in tags[:100]) if t)
    elif isinstance(tags, str):
        tag_list = (tags,)
    return FrontMatter(
        title=_text(data.get("title")),
        date=_date(data.get("date")),
        lang=_text(data.get("lang") or data.get("language")),
        translation_key=_key(data.get("translationKey") or data.get("translationkey")),
        tags=tag_list,
        source=_text(data.get("source")),
    )

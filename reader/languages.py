"""Language registry: BCP 47 tags, English names, endonyms, aliases and language bars.

Tags are normalised with :mod:`langcodes` (``pt-br`` -> ``pt-BR``, ``zh-cn`` -> ``zh-CN``).
``langcodes`` and its name data are imported lazily: the name tables cost ~50 ms to load
and nothing on the startup path needs them.

This module never imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

#: ``default_language`` value that asks for detection of untagged pages.
AUTO_LANGUAGE = "auto"

#: The reference site's language bar, in its order, label -> tag. The site writes
#: "한어" (Korean for "the Chinese language") for its Chinese edition.
SITE_LANGUAGE_LABELS: dict[str, str] = {
    "한어": "zh",
    "Русский язык": "ru",
    "English": "en",
    "Français": "fr",
    "Indonesian": "id",
    "Sanskrit": "sa",
    "日本語": "ja",
    "Deutsch": "de",
    "Português": "pt",
    "Ελληνικά": "el",
    "español": "es",
    "Italiano": "it",
    "Suomalainen": "fi",
    "Latina": "la",
}

#: Endonyms where the CLDR name is not what readers of that language write on a
#: language switcher (CLDR says "संस्कृत भाषा" and "suomi").
_ENDONYM_OVERRIDES: dict[str, str] = {
    "sa": "संस्कृतम्",
    "fi": "Suomi",
    "zh": "中文",
    "la": "Latina",
}

#: Names of common languages, so that showing them never imports langcodes' name
#: tables (~90 ms) on the UI thread; generated from langcodes (CLDR) with the
#: overrides above applied.
_COMMON_ENDONYMS: dict[str, str] = {
    "zh": "中文",
    "ru": "Русский",
    "en": "English",
    "fr": "Français",
    "id": "Bahasa Indonesia",
    "sa": "संस्कृतम्",
    "ja": "日本語",
    "de": "Deutsch",
    "pt": "Português",
    "el": "Ελληνικά",
    "es": "Español",
    "it": "Italiano",
    "fi": "Suomi",
    "la": "Latina",
    "ko": "한국어",
    "ar": "العربية",
    "he": "עברית",
    "hi": "हिन्दी",
    "nl": "Nederlands",
    "pl": "Polski",
    "sv": "Svenska",
    "da": "Dansk",
    "nb": "Norsk bokmål",
    "no": "Norsk",
    "tr": "Türkçe",
    "uk": "Українська",
    "cs": "Čeština",
    "hu": "Magyar",
    "ro": "Română",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "fa": "فارسی",
    "bg": "Български",
    "hr": "Hrvatski",
    "sr": "Српски",
    "sk": "Slovenčina",
    "sl": "Slovenščina",
    "et": "Eesti",
    "lv": "Latviešu",
    "lt": "Lietuvių",
    "ca": "Català",
    "eu": "Euskara",
    "gl": "Galego",
    "ga": "Gaeilge",
    "cy": "Cymraeg",
    "is": "Íslenska",
    "ms": "Bahasa Malaysia",
    "bn": "বাংলা",
    "ta": "தமிழ்",
    "ur": "اردو",
    "sw": "Kiswahili",
}
_COMMON_ENGLISH_NAMES: dict[str, str] = {
    "zh": "Chinese",
    "ru": "Russian",
    "en": "English",
    "fr": "French",
    "id": "Indonesian",
    "sa": "Sanskrit",
    "ja": "Japanese",
    "de": "German",
    "pt": "Portuguese",
    "el": "Greek",
    "es": "Spanish",
    "it": "Italian",
    "fi": "Finnish",
    "la": "Latin",
    "ko": "Korean",
    "ar": "Arabic",
    "he": "Hebrew",
    "hi": "Hindi",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "nb": "Norwegian Bokmål",
    "no": "Norwegian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "cs": "Czech",
    "hu": "Hungarian",
    "ro": "Romanian",
    "vi": "Vietnamese",
    "th": "Thai",
    "fa": "Persian",
    "bg": "Bulgarian",
    "hr": "Croatian",
    "sr": "Serbian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "et": "Estonian",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "ca": "Catalan",
    "eu": "Basque",
    "gl": "Galician",
    "ga": "Irish",
    "cy": "Welsh",
    "is": "Icelandic",
    "ms": "Malay",
    "bn": "Bangla",
    "ta": "Tamil",
    "ur": "Urdu",
    "sw": "Swahili",
}


#: Further labels that appear on language switchers in the wild.
_EXTRA_ALIASES: dict[str, str] = {
    "中文": "zh",
    "汉语": "zh",
    "漢語": "zh",
    "简体中文": "zh-Hans",
    "繁體中文": "zh-Hant",
    "Русский": "ru",
    "русский": "ru",
    "Español": "es",
    "Deutsch": "de",
    "Suomi": "fi",
    "suomi": "fi",
    "Bahasa Indonesia": "id",
    "Indonesia": "id",
    "संस्कृतम्": "sa",
    "संस्कृत": "sa",
    "Latin": "la",
    "Lingua latina": "la",
    "Italiano": "it",
    "Français": "fr",
    "Português": "pt",
    "한국어": "ko",
    "日本語": "ja",
    "Ελληνικά": "el",
    "Greek": "el",
    "German": "de",
    "French": "fr",
    "Spanish": "es",
    "Italian": "it",
    "Portuguese": "pt",
    "Russian": "ru",
    "Chinese": "zh",
    "Japanese": "ja",
    "Finnish": "fi",
    "Korean": "ko",
}

ALIASES: dict[str, str] = {**_EXTRA_ALIASES, **SITE_LANGUAGE_LABELS}

# A syntactically plausible tag: a 2- or 3-letter primary subtag, optional script,
# region or variant subtags. Filename suffixes must match this before langcodes is asked.
_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# Filename suffixes are held to two-letter primary subtags: three-letter words such as
# "old", "new" or "bak" are valid ISO 639-3 codes but almost never mean a language there.
_FILENAME_TAG_SHAPE = re.compile(r"^[A-Za-z]{2}(?:[-_](?:[A-Za-z]{4}|[A-Za-z]{2}|[0-9]{3}))*$")
# ISO 639-1 codes that are their own canonical form, so the common case ("de",
# "pt-br", "zh-Hant") is normalised without importing langcodes (~25 ms at start-up).
# Deprecated codes (iw, in, ji, jw, mo, sh, tl) are left to langcodes, which maps them.
_TWO_LETTER_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs "
    "cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha "
    "he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn "
    "ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb "
    "nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd "
    "se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tn to tr ts tt tw ty "
    "ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"
)
_CANONICAL_TWO_LETTER = frozenset(_TWO_LETTER_CODES.split())
# Scripts are left to langcodes too: it drops the ones a language implies (de-Latn -> de).
_SIMPLE_TAG = re.compile(r"^([A-Za-z]{2})(?:[-_]([A-Za-z]{2}))?$")
_BAR_SEPARATORS = " \t·|/•,;-–—"


@lru_cache(maxsize=4096)
def normalize_tag(text: str) -> str | None:
    """Return the canonical BCP 47 form of ``text``, or ``None`` if it is not a language tag.

    Args:
        text: A tag in any case, with ``-`` or ``_`` (``pt_br``, ``ZH-cn``).

    Returns:
        The normalised tag (``pt-BR``, ``zh-CN``), or ``None`` for anything that is not a
        valid tag naming a language (``12``, ``v0``, ``und``).
    """
    candidate = text.strip()
    if not _TAG_SHAPE.match(candidate):
        return None
    simple = _SIMPLE_TAG.match(candidate)
    if simple and simple.group(1).lower() in _CANONICAL_TWO_LETTER:
        language, region = simple.groups()
        return f"{language.lower()}-{region.upper()}" if region else language.lower()
    import langcodes

    candidate = candidate.replace("_", "-")
    if not langcodes.tag_is_valid(candidate):
        return None
    standard = str(langcodes.standardize_tag(candidate))
    if standard.split("-")[0].lower() in {"und", "zxx", "mul", "mis"}:
        return None
    return standard


def tag_from_filename_suffix(suffix: str) -> str | None:
    """Return the language tag of a filename's language suffix (``post.de.md`` -> ``de``).

    Stricter than :func:`normalize_tag`: only two-letter primary subtags count, so that
    ``v0.12.md`` or ``notes.old.md`` are never read as languages.
    """
    if not _FILENAME_TAG_SHAPE.match(suffix):
        return None
    return normalize_tag(suffix)


def primary_subtag(tag: str) -> str:
    """Return the language subtag of ``tag`` (``pt-BR`` -> ``pt``)."""
    return tag.split("-", 1)[0].lower()


@lru_cache(maxsize=1024)
def english_name(tag: str) -> str:
    """Return the English name of the language ``tag`` names (``de`` -> ``German``)."""
    if tag in _COMMON_ENGLISH_NAMES:
        return _COMMON_ENGLISH_NAMES[tag]
    import langcodes

    try:
        return str(langcodes.Language.get(tag).display_name("en"))
    except (ValueError, LookupError):
        return tag


@lru_cache(maxsize=1024)
def endonym(tag: str) -> str:
    """Return the language's name in itself, capitalised as on a language switcher.

    ``de`` -> ``Deutsch``, ``el`` -> ``Ελληνικά``, ``sa`` -> ``संस्कृतम्``, ``fi`` -> ``Suomi``.
    """
    known = _ENDONYM_OVERRIDES.get(tag) or _COMMON_ENDONYMS.get(tag)
    if known is not None:
        return known
    import langcodes

    try:
        name = str(langcodes.Language.get(tag).autonym())
    except (ValueError, LookupError):
        return tag
    if not name or name == tag:
        return english_name(tag)
    return name[0].upper() + name[1:]


def describe(tag: str) -> str:
    """Return ``"Deutsch (de)"``: the endonym with the tag, as shown to readers."""
    return f"{endonym(tag)} ({tag})"


def resolve_language(text: str) -> str | None:
    """Resolve what a user typed (a tag, an alias, an English name or endonym) to a tag.

    Returns:
        The normalised tag, or ``None`` if nothing matches.
    """
    stripped = text.strip()
    if not stripped:
        return None
    alias = ALIASES.get(stripped) or _casefolded_aliases().get(stripped.casefold())
    if alias is not None:
        return alias
    tag = normalize_tag(stripped)
    if tag is not None:
        return tag
    import langcodes

    try:
        return str(langcodes.find(stripped).to_tag())
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _casefolded_aliases() -> dict[str, str]:
    return {label.casefold(): tag for label, tag in ALIASES.items()}


@lru_cache(maxsize=1)
def _bar_labels() -> list[tuple[str, str]]:
    """Known labels, longest first, so "Русский язык" wins over "Русский"."""
    labels = {unicodedata.normalize("NFC", k).casefold(): v for k, v in ALIASES.items()}
    return sorted(labels.items(), key=lambda item: -len(item[0]))


def parse_language_bar(line: str) -> list[str] | None:
    """Parse a language-bar line whose names may run together with no separator.

    ``"한어Русский языкEnglishFrançais"`` -> ``["zh", "ru", "en", "fr"]``.

    Args:
        line: One line of text.

    Returns:
        The tags in order (without repeats) if the whole line consists of at least two
        known language labels (optionally separated by spaces, ``·``, ``|``…), else ``None``.
    """
    text = unicodedata.normalize("NFC", line).strip()
    if not text or len(text) > 600:
        return None
    folded = text.casefold()
    # Case folding can change lengths (ß -> ss); only fold when it does not.
    if len(folded) != len(text):
        folded = text
    labels = _bar_labels()
    found: list[str] = []
    position = 0
    while position < len(folded):
        if folded[position] in _BAR_SEPARATORS:
            position += 1
            continue
        for label, tag in labels:
            if folded.startswith(label, position):
                if tag not in found:
                    found.append(tag)
                position += len(label)
                break
        else:
            return None
    return found if len(found) >= 2 else None


def order_by_preference(tags: Iterable[str], preferred: Iterable[str]) -> list[str]:
    """Order ``tags`` by the user's preference list, then the rest alphabetically.

    A preference matches a tag exactly or by primary subtag (``pt`` prefers ``pt-BR``).
    """
    available = list(dict.fromkeys(tags))
    ordered: list[str] = []
    for want in preferred:
        for tag in available:
            if tag not in ordered and (tag == want or primary_subtag(tag) == primary_subtag(want)):
                ordered.append(tag)
    ordered.extend(sorted(tag for tag in available if tag not in ordered))
    return ordered


def pick_language(tags: Iterable[str], preferred: Iterable[str]) -> str | None:
    """Return the first of ``tags`` in the user's preference order (or ``None`` if empty)."""
    ordered = order_by_preference(tags, preferred)
    return ordered[0] if ordered else None

"""Guess the language of a page that names none (no suffix, directory or front matter).

py3langid (a maintained fork of langid.py, 97 languages) is imported on first use
only: with numpy and its model it costs ~0.7 s, which a library whose files are all
tagged never pays, and which is paid in the scan worker, never on the startup path.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from reader.languages import normalize_tag

#: Below this many letters a guess is noise.
MIN_LETTERS = 20
#: Below this probability the guess is not used.
MIN_PROBABILITY = 0.80
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """Return the language tag of ``text``, or ``None`` if it cannot be told reliably.

    Args:
        text: Some of the page (title and first paragraphs are plenty).
    """
    sample = text[:3000]
    if sum(1 for char in sample if char.isalpha()) < MIN_LETTERS:
        return None
    try:
        with _lock:  # the identifier keeps scratch state; one guess at a time
            language, probability = _identifier().classify(sample)
    except (ImportError, OSError, ValueError):
        return None
    if probability < MIN_PROBABILITY:
        return None
    return normalize_tag(str(language))

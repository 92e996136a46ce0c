"""The reader's preferences as the screens use them: the languages in order, how wide
the text gets, and who puts right-to-left lines in display order.

Made once by the app (``--lang``, then ``config.toml``) and handed to the screens that
need it, so that no screen reaches into the app for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.languages import order_by_preference, pick_language
from reader.text.bidi import BidiMode

if TYPE_CHECKING:
    from reader.library import Article


@dataclass(frozen=True)
class Preferences:
    """What the reader prefers.

    Attributes:
        languages: Preferred languages, in order (never empty).
        reading_width: The widest the article text gets, in columns.
        bidi_mode: Who puts right-to-left lines in display order: the terminal or the
            reader.
    """

    languages: list[str] = field(default_factory=lambda: ["en"])
    reading_width: int = 80
    bidi_mode: BidiMode = "terminal"

    @property
    def reorder(self) -> bool:
        """Whether the reader puts right-to-left lines in display order itself."""
        return self.bidi_mode == "reader"

    def languages_for(self, article: Article) -> list[str]:
        """The article's languages, preferred first."""
        return order_by_preference(article.variants, [*self.languages, "en"])

    def language_for(self, article: Article) -> str:
        """The language an article opens in: the first preferred one it has."""
        return pick_language(article.variants, [*self.languages, "en"]) or next(
            iter(article.variants)
        )

"""The Article screen's languages: switching the variant read (keeping the paragraph
and sentence), side by side with a second language, and the sentence pairs view."""

from __future__ import annotations

from reader.languages import endonym
from reader.tui.article_variants import Switch, cycle_language, switch_from
from reader.tui.screens.article_reading import ArticleReading


class LanguageActions(ArticleReading):
    """The keys that choose the languages shown and how (``l [ ] { } L p v``)."""

    def action_cycle_language(self, step: int) -> None:
        article = self._article_or_leave()
        if article is None:
            return
        skip = self.right_language if self.parallel else None
        target = cycle_language(article, self.language, step, skip)
        if target is None or target == self.language:
            self.notify("This article has no other language.")
            return
        self.switch_language(target)

    def action_cycle_right(self, step: int) -> None:
        if not self.parallel:
            self.notify("Press p for the side-by-side view first.")
            return
        article = self._article_or_leave()
        if article is None:
            return
        target = cycle_language(article, self.right_language, step, self.language)
        if target is not None and target != self.right_language:
            self.load_variant(self.language or "", self.current_paragraph, target)

    def switch_language(self, language: str) -> None:
        """Show another variant at the same paragraph (mapped if the counts differ)."""
        article = self._article_or_leave()
        if article is None or language == self.language or language not in article.variants:
            return
        paragraph = self.current_paragraph
        old_total = len(self.document.blocks) if self.document else 0
        new_total = article.variants[language].paragraphs
        switch: Switch | None = None
        if self.document is not None and self.language is not None:
            # Mapped where the new variant is read (read_variants): the same paragraph and
            # its sentence's translation, through the paragraph alignment if counts differ.
            switch = switch_from(self.document, self.language, paragraph, self.current_sentence)
        if old_total and new_total and old_total != new_total:
            self.notify(
                f"{endonym(language)} has {new_total} paragraphs, not {old_total}: "
                "the position follows the paragraph alignment."
            )
        right = self.right_language
        if self.parallel and right == language:
            right = self.language  # swap sides
        self.load_variant(language, paragraph, right, switch)

    def action_toggle_parallel(self) -> None:
        if self.language is None:
            return
        if self.parallel:
            self.parallel = False
            self.sentence_mode = False
            self.right_document = None
            self._render_body(self.current_paragraph, self.current_sentence)
            return
        article = self._article_or_leave()
        if article is None:
            return
        right = self.right_language
        if right is None or right not in article.variants:
            right = self._default_right_language(article, self.language)
        if right is None:
            self.notify("This article has only one language.")
            return
        self.parallel = True
        self.load_variant(self.language, self.current_paragraph, right)

    def action_pick_language(self) -> None:
        self._pick(right=False)

    def action_pick_right_language(self) -> None:
        if not self.parallel:
            self.action_toggle_parallel()
        self._pick(right=True)

    def _pick(self, *, right: bool) -> None:
        from reader.tui.modals.language_picker import LanguagePicker

        article = self._article_or_leave()
        if article is None:
            return

        def chosen(language: str | None) -> None:
            if not language:
                return
            if right:
                self.load_variant(self.language or "", self.current_paragraph, language)
            else:
                self.switch_language(language)

        current = self.right_language if right else self.language
        self.app.push_screen(
            LanguagePicker(article, current, self.preferences.languages_for(article)), chosen
        )

    def action_cycle_view(self) -> None:
        """Side by side -> sentence pairs -> one language."""
        if self.language is None:
            return
        if not self.parallel:
            self.action_toggle_parallel()
        elif not self.sentence_mode:
            self.sentence_mode = True
            self._render_body(self.current_paragraph, self.current_sentence)
        else:
            self.action_toggle_parallel()

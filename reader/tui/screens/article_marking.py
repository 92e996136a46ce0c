"""The Article screen's marks: bookmark the current paragraph, write a note on it, save
a word of the current sentence (with the sentence's translation)."""

from __future__ import annotations

from textual import work

from reader.library import Article, Document
from reader.sanitize import clean, clean_line
from reader.tui.article_variants import sentence_with_translation
from reader.tui.screens.article_reading import ArticleReading
from reader.tui.widgets.blocks import quote_of
from reader.userdata import UserDataError


class MarkingActions(ArticleReading):
    """The keys that keep something of the article (``b a w``)."""

    def _user_data_error(self, error: UserDataError) -> None:
        self.notify(str(error), severity="error", timeout=8, markup=False)

    # -- bookmarks and notes ------------------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        if self.language is None:
            return
        title = self.document.title if self.document else self.key
        try:
            notice = self.marks.toggle_bookmark(self.language, self.current_paragraph, title)
        except UserDataError as error:
            self._user_data_error(error)
            return
        self.notify(notice)
        self._refresh_marks()

    def action_annotate(self) -> None:
        if self.language is None or not self.body.composed.paragraphs or self.document is None:
            return
        from reader.tui.modals.note_editor import NoteEditor

        index = min(self.current_paragraph, len(self.document.blocks) - 1)
        quote = quote_of(self.document.blocks[index]) if index >= 0 else ""
        language = self.language

        def saved(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                notice = self.marks.add_note(language, index, text.strip(), quote)
            except UserDataError as error:
                self._user_data_error(error)
                return
            self.notify(notice)
            self._refresh_marks()

        self.app.push_screen(NoteEditor(quote=clean(quote), paragraph=index), saved)

    # -- word list ----------------------------------------------------------------------

    def action_save_word(self) -> None:
        if self.language is None or self.document is None or not self.document.blocks:
            return
        article = self._article_or_leave()
        if article is None:
            return
        paragraph, sentence = self.current_paragraph, self.current_sentence
        paragraph = min(paragraph, len(self.document.blocks) - 1)
        other = self.right_language if self.parallel else None
        other = other or self._default_right_language(article, self.language)
        self._prepare_word(self.document, article, self.language, other, paragraph, sentence)

    @work(thread=True, exclusive=True, group="word")
    def _prepare_word(
        self,
        document: Document,
        article: Article,
        language: str,
        other: str | None,
        paragraph: int,
        sentence: int,
    ) -> None:
        """Find the sentence and its translation (reads the other variant), then ask."""
        sentence, text, translation = sentence_with_translation(
            self.library, document, article, language, other, paragraph, sentence
        )
        self.app.call_from_thread(
            self._ask_word,
            language,
            other if translation else "",
            paragraph,
            sentence,
            clean(text),
            clean(translation),
        )

    def _ask_word(
        self,
        language: str,
        other: str,
        paragraph: int,
        sentence: int,
        text: str,
        translation: str,
    ) -> None:
        from reader.tui.modals.word_picker import WordPicker

        def saved(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            word, meaning = answer
            try:
                self.userdata.words.add(
                    word, language, self.key, paragraph, sentence, text, other, translation, meaning
                )
            except UserDataError as error:
                self._user_data_error(error)
                return
            self.notify(f"Saved “{clean_line(word)}” (W lists your words).", markup=False)

        self.app.push_screen(WordPicker(text, translation), saved)

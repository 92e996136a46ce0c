"""The Article screen: one variant, formatted, with its language bar, marks and progress.

The *current paragraph* is the topmost paragraph in view; it is marked in the margin and
is what ``b`` bookmarks, ``a`` annotates and a language switch keeps.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.languages import describe, endonym
from reader.library import Article, Document
from reader.sanitize import clean, clean_line
from reader.tui.base import reader_app
from reader.tui.blocks import block_content, quote_of
from reader.userdata import UserDataError


class Paragraph(Static):
    """One block of the body; ``index`` is its paragraph number (from 0)."""

    def __init__(self, content: Content, index: int, kind: str) -> None:
        super().__init__(content, classes=f"block kind-{kind}", markup=False)
        self.index = index


class NoteMark(Static):
    """A note shown under the paragraph it belongs to."""


@dataclass(frozen=True)
class Loaded:
    """A variant read by the loader worker."""

    token: int
    language: str
    document: Document | None
    error: str | None
    paragraph: int


class ArticleScreen(Screen[None]):
    """Read one article in one language at a time."""

    CSS_PATH = "article_screen.tcss"

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="article.back"),
        Binding("j,down", "scroll_lines(1)", "Down", show=False, id="article.down"),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False, id="article.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="article.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="article.page_up"),
        Binding("g,home", "top", "Top", show=False, id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="article.bottom"),
        Binding("J", "paragraph(1)", "Next ¶", show=False, id="article.next_paragraph"),
        Binding("K", "paragraph(-1)", "Previous ¶", show=False, id="article.previous_paragraph"),
        Binding("l", "pick_language", "Language", id="article.language"),
        Binding("left_square_bracket", "cycle_language(-1)", "Prev lang", id="article.prev_lang"),
        Binding("right_square_bracket", "cycle_language(1)", "Next lang", id="article.next_lang"),
        Binding("b", "toggle_bookmark", "Bookmark", id="article.bookmark"),
        Binding("a", "annotate", "Note", id="article.note"),
    ]

    def __init__(self, key: str, language: str | None = None, paragraph: int | None = None):
        super().__init__()
        self.key = key
        self.requested_language = language
        self.requested_paragraph = paragraph
        self.language: str | None = None
        self.document: Document | None = None
        self.current_paragraph = 0
        self._token = 0
        self._paragraphs: list[Paragraph] = []
        self._tops: list[int] = []

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="article-title", markup=False)
        yield Static("", id="article-meta", markup=False)
        yield Static("", id="language-bar", markup=False)
        yield VerticalScroll(id="body")
        yield Static("", id="article-status", markup=False)
        yield Footer()

    @property
    def article(self) -> Article:
        """The article shown (it may have been rescanned since the screen opened)."""
        article = reader_app(self).library.article(self.key)
        if article is None:
            raise LookupError(self.key)
        return article

    def on_mount(self) -> None:
        app = reader_app(self)
        body = self.query_one("#body", VerticalScroll)
        body.can_focus = True
        body.focus()
        self.watch(body, "scroll_y", self._scrolled, init=False)
        language = self.requested_language
        paragraph = self.requested_paragraph
        saved = app.userdata.state.position(self.key)
        if language is None and saved is not None and saved[0] in self.article.variants:
            language = saved[0]
            if paragraph is None:
                paragraph = saved[1]
        if language is None or language not in self.article.variants:
            if language is not None:
                self.notify(f"No {language} variant; showing another language.")
            language = app.language_for(self.article)
        self.load_variant(language, paragraph or 0)

    # -- loading ------------------------------------------------------------------------

    def load_variant(self, language: str, paragraph: int) -> None:
        """Read the variant in ``language`` in a worker and show it at ``paragraph``."""
        self._token += 1
        self._load(self._token, language, paragraph)

    @work(thread=True, exclusive=True, group="article-load")
    def _load(self, token: int, language: str, paragraph: int) -> None:
        # A newer request makes this one stale; its result is dropped in _show.
        app = reader_app(self)
        variant = self.article.variants[language]
        document: Document | None = None
        error: str | None = None
        try:
            document = app.library.load(variant)
        except (OSError, ValueError, RecursionError) as failure:
            error = f"Could not read {variant.relpath}: {failure}"
        for tag in {*self.article.variants, *self.article.advertised}:
            endonym(tag)  # warm the name cache off the UI thread
        app.call_from_thread(self._show, Loaded(token, language, document, error, paragraph))

    def _show(self, loaded: Loaded) -> None:
        if loaded.token != self._token or not self.is_mounted:
            return
        self.language = loaded.language
        self.document = loaded.document
        body = self.query_one("#body", VerticalScroll)
        body.remove_children()
        self._paragraphs = []
        widgets: list[Static] = []
        document = loaded.document
        if document is None:
            widgets.append(Static(clean(loaded.error or ""), classes="error", markup=False))
        else:
            width = reader_app(self).config.reading_width
            for notice in document.notices:
                widgets.append(Static(f"⚠ {clean(notice)}", classes="notice", markup=False))
            for index, block in enumerate(document.blocks):
                paragraph = Paragraph(block_content(block, width), index, block.kind)
                paragraph.styles.max_width = width
                self._paragraphs.append(paragraph)
                widgets.append(paragraph)
            if document.next_title:
                widgets.append(
                    Static(
                        Content.assemble(("Next: ", "$text-muted"), clean_line(document.next_title)),
                        classes="next-article",
                        markup=False,
                    )
                )
            widgets.append(Static("", classes="end-spacer"))
        body.mount_all(widgets)
        self._refresh_header()
        self._refresh_marks()
        target = min(loaded.paragraph, max(0, len(self._paragraphs) - 1))
        self.call_after_refresh(self._go_to_paragraph, target)

    def _go_to_paragraph(self, index: int) -> None:
        self._measure()
        body = self.query_one("#body", VerticalScroll)
        if 0 <= index < len(self._tops):
            body.scroll_to(y=self._tops[index], animate=False, immediate=True)
        self.current_paragraph = index
        self._refresh_status()

    def _measure(self) -> None:
        self._tops = [paragraph.virtual_region.y for paragraph in self._paragraphs]

    # -- header, marks and status -------------------------------------------------------

    def _refresh_header(self) -> None:
        document = self.document
        language = self.language or ""
        title = document.title if document else self.article.key
        self.query_one("#article-title", Static).update(clean_line(title))
        meta = [describe(language)]
        if document and document.date:
            meta.insert(0, clean_line(document.date))
        variant = self.article.variants.get(language)
        if variant is not None:
            meta.append(variant.relpath)
        self.query_one("#article-meta", Static).update(" · ".join(clean_line(m) for m in meta))
        self.query_one("#language-bar", Static).update(self._language_bar())

    def _language_bar(self) -> Content:
        article = self.article
        order = list(article.advertised) or []
        order += [tag for tag in reader_app(self).languages_for(article) if tag not in order]
        parts: list[Content | str | tuple[str, str]] = []
        for tag in order:
            if parts:
                parts.append((" · ", "$text-muted"))
            name = endonym(tag)
            if tag == self.language:
                parts.append((f" {name} ", "bold reverse $text-primary"))
            elif tag in article.variants:
                parts.append((name, "$text"))
            else:
                parts.append((name, "$text-disabled strike"))
        return Content.assemble(*parts)

    def _refresh_marks(self) -> None:
        app = reader_app(self)
        bookmarked = {b.paragraph for b in app.userdata.bookmarks.for_article(self.key)}
        notes = app.userdata.notes.for_article(self.key)
        body = self.query_one("#body", VerticalScroll)
        for mark in list(body.query(NoteMark)):
            mark.remove()
        by_paragraph: dict[int, list[str]] = {}
        for note in notes:
            if note.paragraph is not None:
                by_paragraph.setdefault(note.paragraph, []).append(note.text)
        last = len(self._paragraphs) - 1
        for paragraph in self._paragraphs:
            paragraph.set_class(paragraph.index in bookmarked, "bookmarked")
            paragraph.set_class(paragraph.index in by_paragraph, "noted")
        for index, texts in sorted(by_paragraph.items()):
            target = self._paragraphs[min(index, last)] if last >= 0 else None
            if target is None:
                continue
            for text in texts:
                mark = NoteMark(
                    Content.assemble(("✎ ", "$warning"), clean(text)),
                    classes="note",
                    markup=False,
                )
                mark.styles.max_width = app.config.reading_width
                body.mount(mark, after=target)
        self.call_after_refresh(self._measure)
        self._refresh_status()

    def _refresh_status(self) -> None:
        total = len(self._paragraphs)
        body = self.query_one("#body", VerticalScroll)
        percent = 100 if body.max_scroll_y == 0 else round(100 * body.scroll_y / body.max_scroll_y)
        current = self.current_paragraph
        marks = ""
        app = reader_app(self)
        if any(b.paragraph == current for b in app.userdata.bookmarks.for_article(self.key)):
            marks += " · ★ bookmarked"
        count = sum(1 for n in app.userdata.notes.for_article(self.key) if n.paragraph == current)
        if count:
            marks += f" · ✎ {count} note{'s' if count > 1 else ''}"
        text = f"¶ {current + 1}/{total} · {min(100, percent)}%{marks}" if total else ""
        self.query_one("#article-status", Static).update(text)
        for paragraph in self._paragraphs:
            paragraph.set_class(paragraph.index == current, "current")

    def _scrolled(self, scroll_y: float) -> None:
        if not self._tops or len(self._tops) != len(self._paragraphs):
            self._measure()
        index = max(0, bisect_right(self._tops, int(scroll_y)) - 1)
        # Always refresh: the percentage changes even within one paragraph.
        self.current_paragraph = min(index, max(0, len(self._paragraphs) - 1))
        self._refresh_status()

    # -- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def on_unmount(self) -> None:
        self._save_position()

    def _save_position(self) -> None:
        if self.language is None:
            return
        try:
            reader_app(self).userdata.state.set_position(
                self.key, self.language, self.current_paragraph
            )
        except (UserDataError, OSError):
            pass  # the state file is a convenience; a broken one was reported at start

    def action_scroll_lines(self, lines: int) -> None:
        body = self.query_one("#body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False, immediate=True)

    def action_page(self, pages: int) -> None:
        body = self.query_one("#body", VerticalScroll)
        step = max(1, body.scrollable_content_region.height - 2)
        body.scroll_to(y=body.scroll_y + pages * step, animate=False, immediate=True)

    def action_top(self) -> None:
        self.query_one("#body", VerticalScroll).scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self._go_to_paragraph(len(self._paragraphs) - 1)

    def action_paragraph(self, step: int) -> None:
        target = max(0, min(len(self._paragraphs) - 1, self.current_paragraph + step))
        self._go_to_paragraph(target)

    def action_cycle_language(self, step: int) -> None:
        languages = self._language_order()
        if len(languages) < 2 or self.language is None:
            self.notify("This article has only one language.")
            return
        position = languages.index(self.language) if self.language in languages else 0
        self.switch_language(languages[(position + step) % len(languages)])

    def _language_order(self) -> list[str]:
        article = self.article
        order = [tag for tag in article.advertised if tag in article.variants]
        return order + [tag for tag in sorted(article.variants) if tag not in order]

    def switch_language(self, language: str) -> None:
        """Show another variant at the same paragraph (mapped if the counts differ)."""
        if language == self.language or language not in self.article.variants:
            return
        paragraph = self.current_paragraph
        old_total = len(self._paragraphs)
        new_total = self.article.variants[language].paragraphs
        if old_total and new_total and old_total != new_total:
            paragraph = round(paragraph * (new_total - 1) / max(1, old_total - 1))
            self.notify(
                f"{endonym(language)} has {new_total} paragraphs, not {old_total}: "
                "the position is mapped proportionally."
            )
        self.load_variant(language, paragraph)
        try:
            reader_app(self).userdata.state.set_position(self.key, language, paragraph)
        except (UserDataError, OSError):
            pass

    def action_pick_language(self) -> None:
        from reader.tui.language_picker import LanguagePicker

        def chosen(language: str | None) -> None:
            if language:
                self.switch_language(language)

        self.app.push_screen(
            LanguagePicker(self.article, self.language, reader_app(self).languages_for(self.article)),
            chosen,
        )

    def action_toggle_bookmark(self) -> None:
        if self.language is None:
            return
        app = reader_app(self)
        title = self.document.title if self.document else self.key
        try:
            added = app.userdata.bookmarks.toggle(
                self.key, self.language, self.current_paragraph, clean_line(title)
            )
        except UserDataError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        where = f"¶ {self.current_paragraph + 1}"
        self.notify(f"Bookmarked {where}." if added else f"Bookmark at {where} removed.")
        self._refresh_marks()

    def action_annotate(self) -> None:
        if self.language is None or not self._paragraphs:
            return
        from reader.tui.note_editor import NoteEditor

        index = self.current_paragraph
        block = self.document.blocks[index] if self.document else None
        quote = quote_of(block) if block else ""
        language = self.language

        def saved(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                reader_app(self).userdata.notes.add(
                    self.key, language, text.strip(), paragraph=index, quote=quote
                )
            except UserDataError as error:
                self.notify(str(error), severity="error", timeout=8)
                return
            self.notify(f"Note saved on ¶ {index + 1}.")
            self._refresh_marks()

        self.app.push_screen(NoteEditor(quote=clean(quote), paragraph=index), saved)

"""The search screen: every variant in every script, ranked, with highlighted snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.filters import split_language_filter
from reader.languages import describe, endonym
from reader.library.search import SearchHit
from reader.sanitize import clean_line
from reader.tui.messages import OpenArticle
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from reader.library import Library

#: Results shown for one query.
RESULT_LIMIT = 50


def hit_label(hit: SearchHit) -> Content:
    """Title, language and paragraph on one line; the snippet with its matches below."""
    where = "title" if hit.in_title else f"¶ {hit.paragraph + 1}"
    snippet = Content(clean_line(hit.snippet))
    for start, end in hit.highlights:
        snippet = snippet.stylize("bold reverse $text-warning", start, end)
    return Content.assemble(
        (clean_line(hit.title), "bold"),
        (f"  {describe(hit.language)} · {where}", "$text-muted"),
        "\n  ",
        snippet,
    )


class SearchScreen(Screen[None]):
    """Search all languages; ``enter`` opens a hit at its paragraph, in its language."""

    HELP_SECTION = "Search"

    DEFAULT_CSS = """
    SearchScreen #query { border: none; height: 1; padding: 0 1; background: $boost; }
    SearchScreen OptionList { height: 1fr; border: none; }
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; background: $panel; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="back", id="search.back"),
        Binding(
            "slash", "focus_query", "Query", show=False, tooltip="edit the query", id="search.query"
        ),
    ]

    def __init__(self, library: Library, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial_query = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield TitleBar("⌕")
        yield Input(
            self.initial_query,
            placeholder='search every language · "a phrase" · lang:el for Greek only',
            id="query",
        )
        yield OptionList(id="hits")
        yield Static(
            "Type to search the text of every article in every language.",
            id="search-status",
            markup=False,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Search"
        self.query_one("#query", Input).focus()
        if self.initial_query:
            self.run_search(self.initial_query)

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#query")
    def query_submitted(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.option_count:
            option_list.highlighted = 0
            option_list.focus()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str) -> None:
        """Search in a thread; a newer query makes an older result stale."""
        words, languages = split_language_filter(text)
        query, language = " ".join(words), (languages[-1] if languages else None)
        hits: list[SearchHit] = []
        error: str | None = None
        if query.strip():
            try:
                hits = self.library.search(query, language, RESULT_LIMIT)
            except Exception as failure:
                error = f"Search failed: {failure}"
        for hit in hits:
            endonym(hit.language)  # warm the name cache off the UI thread
        self.app.call_from_thread(self._show_hits, text, hits, error)

    def _show_hits(self, text: str, hits: list[SearchHit], error: str | None) -> None:
        if text != self.query_one("#query", Input).value:
            return  # typed on since; the newer search will answer
        self.hits = hits
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options([Option(hit_label(hit)) for hit in hits])
        status = self.query_one("#search-status", Static)
        if error:
            status.update(clean_line(error))
        elif not text.strip():
            status.update("Type to search the text of every article in every language.")
        else:
            languages = len({hit.language for hit in hits})
            status.update(
                f"{len(hits)} result{'s' if len(hits) != 1 else ''} in {languages} "
                f"language{'s' if languages != 1 else ''} · enter opens at the paragraph"
                if hits
                else "No match in any language."
            )

    @on(OptionList.OptionSelected)
    def open_hit(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[event.option_index]
        self.post_message(OpenArticle(hit.key, hit.language, hit.paragraph))

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        self.dismiss()

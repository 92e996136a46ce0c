"""The Article screen's find bar: ``/`` opens it, typing finds (``find_matches``),
``enter``, ``n`` and ``N`` go from match to match, ``escape`` closes it."""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from reader.tui.find_bar import FIND_PLACEHOLDER, FindState
from reader.tui.screens.article_reading import ArticleReading


class FindActions(ArticleReading):
    """The keys of find in article (``/ n N``, and ``escape`` to close the bar)."""

    def _find_input(self) -> Input | None:
        """The find bar, if it was ever opened."""
        return next(self.query("#find").results(Input), None)

    async def action_find(self) -> None:
        find = self._find_input()
        if find is None:
            # Mounted on first use: an Input composed with every article is ~10 % of `enter`.
            find = Input(placeholder=FIND_PLACEHOLDER, id="find")
            await self.mount(find, before="#article-status")
        find.add_class("open")
        find.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self._run_find(event.value, jump=True)

    @on(Input.Submitted, "#find")
    async def _find_submitted(self) -> None:
        if self.find.matches:
            await self.action_find_next(1)
        self.body.focus()

    async def action_find_next(self, step: int) -> None:
        if not self.find.matches:
            if not self.find.query:
                await self.action_find()
            return
        self.find.current = (self.find.current + step) % len(self.find.matches)
        self._paint_matches()
        self._go_to_match()

    def _close_find(self) -> None:
        find = self._find_input()
        if find is not None:
            find.value = ""
            find.remove_class("open")
        self.find = FindState()
        self._paint_matches()
        self.body.focus()
        self._refresh_status()

    def action_back(self) -> None:
        """Close the find bar (when open, or a find is shown), else go back."""
        find = self._find_input()
        if (find is not None and find.has_focus) or self.find.query:
            self._close_find()
            return
        self.dismiss()

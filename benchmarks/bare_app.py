"""The baseline for first-paint figures: a bare Textual app that shows one Static."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One Static that says READY."""

    def compose(self) -> ComposeResult:
        yield Static("READY")


if __name__ == "__main__":
    BareApp().run()

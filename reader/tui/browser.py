"""Opening a web address in a graphical browser, never one that would draw over the TUI."""

from __future__ import annotations

#: Browsers that run in the terminal (webbrowser falls back to them without a display).
TERMINAL_BROWSERS = frozenset({"www-browser", "lynx", "w3m", "links", "links2", "elinks"})


def open_in_browser(url: str) -> bool:
    """Open ``url`` in a graphical browser; ``False`` when there is none (or it failed).

    Blocking: webbrowser may start a process and wait for it, so call it in a thread.
    """
    import webbrowser

    try:
        browser = webbrowser.get()
        # A browser in this terminal would draw over the reader: the caller copies instead.
        if getattr(browser, "name", "") in TERMINAL_BROWSERS:
            return False
        return browser.open(url)
    except Exception:  # no browser is a notice, never a crash
        return False

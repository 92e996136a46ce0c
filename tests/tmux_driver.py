"""Drive a program in a real terminal: a private tmux server, its keys and its screen.

Each :class:`Tmux` owns a server on its own socket (``tmux -L <unique>``) with a config
file that lets applications rename windows, set titles and write the clipboard, so that
an escape sequence leaking to the terminal would have a visible effect to assert on.
The command runs under ``sh``, which writes its exit status to a file: tmux 3.3 does
not always reap an exited pane (it stays a zombie, ``#{pane_dead}`` stays 0), so
``remain-on-exit`` with ``#{pane_dead_status}`` cannot be relied on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

TMUX = shutil.which("tmux")

_CONFIG = """\
set -g default-terminal "xterm-256color"
set -g remain-on-exit on
set -g set-clipboard on
set -g allow-rename on
set -g set-titles on
set -g status off
set -g escape-time 0
set -g history-limit 2000
"""


class TmuxError(AssertionError):
    """A tmux command failed, or the screen never showed what was awaited."""


class Tmux:
    """One detached tmux session running one command, on a private server.

    Args:
        workdir: A directory for the server's config file.
        width: Columns of the pane.
        height: Rows of the pane.
        env: Environment of the server and so of the command (``TMUX`` is removed).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        width: int = 120,
        height: int = 40,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"reader-test-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.width = width
        self.height = height
        self.config = workdir / f"{self.socket}.conf"
        self.config.write_text(_CONFIG)
        self.status_file = workdir / f"{self.socket}.status"
        environment = dict(os.environ if env is None else env)
        environment.pop("TMUX", None)
        environment.pop("TMUX_PANE", None)
        environment.setdefault("LANG", "C.UTF-8")
        self.env = environment
        self.target = "main"
        self.started = False
        self.socket_path = Path()

    # -- plumbing -----------------------------------------------------------------------

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one tmux command against this server."""
        assert TMUX is not None
        result = subprocess.run(
            [TMUX, "-u", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=self.env,
            timeout=15,
            check=False,
        )
        if check and result.returncode != 0:
            raise TmuxError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result

    def __enter__(self) -> Tmux:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.kill()

    # -- life cycle ---------------------------------------------------------------------

    def start(self, command: Sequence[str], *, cwd: Path | None = None) -> None:
        """Start ``command`` (an argv, not parsed by a shell) in a new detached session."""
        args = ["new-session", "-d", "-s", self.target, "-x", str(self.width)]
        args += ["-y", str(self.height)]
        if cwd is not None:
            args += ["-c", str(cwd)]
        self.status_file.unlink(missing_ok=True)
        # "$0" is the status file; the command's argv passes through "$@" untouched.
        record = '"$@"; printf %s "$?" > "$0.tmp" && mv "$0.tmp" "$0"'
        self.run(*args, "--", "sh", "-c", record, str(self.status_file), *command)
        self.started = True
        self.socket_path = Path(self.run("display-message", "-p", "#{socket_path}").stdout.strip())

    def kill(self) -> None:
        """Stop the server and everything in it (safe to call twice)."""
        if self.started:
            self.run("kill-server", check=False)
            self.started = False
            self.socket_path.unlink(missing_ok=True)  # tmux 3.3 may leave it behind
        self.config.unlink(missing_ok=True)
        self.status_file.unlink(missing_ok=True)

    # -- input --------------------------------------------------------------------------

    def send_keys(self, *keys: str) -> None:
        """Send tmux key names (``Enter``, ``Escape``, ``C-s``, ``q``…)."""
        self.run("send-keys", "-t", self.target, *keys)

    def send_text(self, text: str) -> None:
        """Type ``text`` literally."""
        self.run("send-keys", "-t", self.target, "-l", "--", text)

    # -- output -------------------------------------------------------------------------

    def capture(self) -> str:
        """The visible screen as text (what the user reads)."""
        return self.run("capture-pane", "-p", "-t", self.target).stdout

    def display(self, format_: str) -> str:
        """Expand a tmux format (``#{pane_title}``…) for the pane."""
        return self.run("display-message", "-p", "-t", self.target, format_).stdout.rstrip("\n")

    def pane_title(self) -> str:
        """The pane title, which OSC 0 and OSC 2 set."""
        return self.display("#{pane_title}")

    def window_name(self) -> str:
        """The window name, which ``ESC k … ESC \\`` sets when ``allow-rename`` is on."""
        return self.display("#{window_name}")

    def show_buffer(self) -> str | None:
        """The newest paste buffer (OSC 52 writes one), or ``None`` if there is none."""
        result = self.run("show-buffer", check=False)
        return result.stdout if result.returncode == 0 else None

    def buffers(self) -> list[str]:
        """Every paste buffer's content."""
        names = self.run("list-buffers", "-F", "#{buffer_name}", check=False).stdout.split()
        return [self.run("show-buffer", "-b", name).stdout for name in names]

    def exit_status(self) -> int | None:
        """The command's exit status, or ``None`` while it runs."""
        try:
            return int(self.status_file.read_text())
        except (FileNotFoundError, ValueError):
            return None

    # -- waiting ------------------------------------------------------------------------

    def wait_for(
        self,
        *texts: str,
        gone: Sequence[str] = (),
        until: Callable[[str], bool] | None = None,
        timeout: float = 15.0,
    ) -> str:
        """Poll the screen until it shows every text in ``texts``, none in ``gone`` and
        ``until(screen)`` holds; return that screen.

        Raises:
            TmuxError: With the last screen, if that does not happen within ``timeout``.
        """
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.capture()
            if (
                all(text in screen for text in texts)
                and not any(text in screen for text in gone)
                and (until is None or until(screen))
            ):
                return screen
            if self.exit_status() is not None:
                raise TmuxError(f"the program exited while waiting for {texts}:\n{screen}")
            if time.monotonic() > deadline:
                raise TmuxError(f"waited {timeout:.0f} s for {texts} (gone: {gone}):\n{screen}")
            time.sleep(0.1)

    def wait_for_exit(self, timeout: float = 15.0) -> int:
        """Wait for the command to exit and return its status."""
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise TmuxError(f"still running after {timeout:.0f} s:\n{self.capture()}")
            time.sleep(0.1)
        return status

"""Run a command and measure its wall time and peak memory (Linux ``/proc``).

Two memory figures, because a cold ``reader index`` parses in worker processes:

* ``maxrss_mib``: ``ru_maxrss`` from ``wait4`` (the same figure as
  ``resource.getrusage(RUSAGE_CHILDREN)`` gives for a single child), the peak resident
  set of the *largest single process* among the command and the descendants it waited
  for;
* ``tree_mib``: the sum over every process of the command's session of its own peak
  (``VmHWM``), sampled every :data:`SAMPLE_SECONDS`, like ``tui_latency.py`` counts a
  TUI's memory. A process living shorter than the interval may be missed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: How often the process tree is sampled, in seconds.
SAMPLE_SECONDS = 0.1


@dataclass(frozen=True)
class Measured:
    """The outcome of :func:`run_measured`.

    Attributes:
        seconds: Wall time from start to exit.
        returncode: Exit status (negative: killed by that signal).
        stdout: Standard output, decoded as UTF-8.
        stderr: Standard error, decoded as UTF-8.
        maxrss_mib: Largest single process's peak RSS (see the module docstring).
        tree_mib: Sum of the peaks of the session's processes (0 when not sampled).
    """

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    maxrss_mib: float
    tree_mib: float


def _session_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()
    return None if fields[0] == b"Z" else int(fields[3])


def _vmhwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class _TreeSampler(threading.Thread):
    """Samples the peak RSS of every process in session ``sid`` until stopped."""

    def __init__(self, sid: int) -> None:
        super().__init__(daemon=True)
        self.sid = sid
        self.peaks: dict[int, int] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        """Find the session's processes and update their peaks."""
        for name in os.listdir("/proc"):
            if name.isdigit() and _session_of(int(name)) == self.sid:
                pid = int(name)
                self.peaks[pid] = max(self.peaks.get(pid, 0), _vmhwm_kib(pid))

    @property
    def total_mib(self) -> float:
        """Sum of the peaks seen, MiB."""
        return sum(self.peaks.values()) / 1024


def run_measured(
    argv: Sequence[str], env: Mapping[str, str] | None = None, *, sample_tree: bool = True
) -> Measured:
    """Run ``argv`` to completion in a session of its own and measure it.

    Args:
        argv: The command.
        env: Its environment (default: this process's).
        sample_tree: Sample the process tree's memory in a thread (costs a ``/proc``
            scan every :data:`SAMPLE_SECONDS`); without it ``tree_mib`` is 0.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
        sampler = _TreeSampler(process.pid) if sample_tree else None
        if sampler is not None:
            sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if sampler is not None:
                sampler.stopped.set()
                sampler.join()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            seconds=seconds,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            maxrss_mib=usage.ru_maxrss / 1024,
            tree_mib=sampler.total_mib if sampler is not None else 0.0,
        )

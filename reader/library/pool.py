"""Worker processes that read pages for a refresh: in order, in bounded memory, never stuck.

A cold refresh spends most of its time parsing; :class:`WorkerPool` spreads that over a
few worker processes (fresh interpreters running :func:`worker_main`, not
:mod:`multiprocessing`, which forks a threaded app or re-runs the caller's main script)
and hands the results back in the order of the chunks.

How it cannot deadlock (the invariant; keep it when changing this module):

* **One owner.** Only the caller's thread, inside :meth:`WorkerPool.map`, decides
  anything: which chunk goes to which worker, which results are handed out, which
  worker is killed. It keeps every piece of state; no lock is shared.
* **Nothing else waits on the owner.** Each worker has one reader thread that reads its
  replies whole and puts them on an unbounded queue. It waits only for its worker's
  output, never for the owner, the window or another thread, so a worker can always
  finish writing a reply. Requests are written without blocking (what the pipe does not
  take now is written later), so the owner never waits on a worker either.
* **Every wait of the owner ends.** It waits only on the queue, and at most until the
  next worker's deadline: a worker that has not answered a chunk by then (a parse that
  never returns, a stopped process) is killed, and its chunk is read again, one file at
  a time, by a fresh worker; a file that still stalls gets ``give_up(item, reason)`` as
  its result. A worker that dies is treated the same way.
* **Bounded memory.** A chunk is handed to a worker only while it is fewer than
  :data:`AHEAD` chunks past the one the caller waits for, so at most :data:`AHEAD`
  chunks of results exist at once (queued, or waiting for an earlier chunk), and a
  worker's input holds at most :data:`IN_FLIGHT` requests.

No SQLite here, and nothing heavy at import time (catalog_read imports this lazily).
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import queue
    import subprocess

T = TypeVar("T")
R = TypeVar("R")

#: Chunks handed out past the one the caller waits for (the memory bound).
AHEAD = 16
#: Chunks queued in one worker's input, so it never waits for the next one.
IN_FLIGHT = 2
#: Seconds a worker may take for a chunk before it is killed, plus as much again for
#: every :data:`DEADLINE_BYTES` of the chunk's files. Parsing runs at megabytes a
#: second, so only a parse that never returns (or a stopped worker) comes near it.
DEADLINE = 60.0
DEADLINE_BYTES = 4 * 1024 * 1024
#: Overrides :data:`DEADLINE` (seconds); tests set it low.
DEADLINE_ENV = "READER_PARSE_DEADLINE"
#: Seconds a worker may take to start (and warm up) before it is replaced.
STARTUP_DEADLINE = 60.0
#: Overrides how many worker processes parse (``0``: none, parse in the app).
WORKERS_ENV = "READER_WORKERS"
#: Test-only: ``SECONDS[:TEXT]`` entries separated by ``;``. A worker sleeps that long
#: before reading each file whose name contains TEXT (every file if no TEXT is given);
#: the first matching entry counts. Uneven or endless parses on demand.
DELAY_ENV = "READER_TEST_PARSE_DELAY"
#: Workers that die before saying they are ready, one after another, before giving up.
MAX_FAILED_STARTS = 3
#: Workers run at this lower priority, so the UI and the writer stay responsive.
NICENESS = 10
#: A file's problem when its parse did not finish in time, twice.
TIMED_OUT = "parse timed out"
#: A file's problem when reading it ended its worker process, twice.
CRASHED = "parse crashed the worker process"

_LENGTH = struct.Struct("<Q")


class PoolBrokenError(Exception):
    """Worker processes cannot be started (or keep dying before they are ready)."""


@dataclass
class _Task:
    """Some consecutive items of one chunk, as sent to one worker."""

    chunk: int
    #: Where ``items[0]`` is in its chunk.
    start: int
    items: list[Any]
    #: Bytes of the items' files, which the deadline grows with.
    weight: int
    #: A single item's earlier worker crashes.
    crashes: int = 0


class _Worker:
    """One worker process, the tasks it has been sent, and the thread reading its replies."""

    def __init__(self, process: subprocess.Popen[bytes], events: queue.SimpleQueue[_Event]):
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.fd = process.stdin.fileno()
        os.set_blocking(self.fd, False)
        #: Request bytes its input did not take yet.
        self.pending = bytearray()
        #: Sent and not answered, oldest (the one it works on) first.
        self.tasks: deque[_Task] = deque()
        #: It said it is ready (its imports are done).
        self.ready = False
        #: When it started, became ready, or began its oldest task.
        self.since = time.monotonic()
        self.retired = False
        self.thread = threading.Thread(
            target=_drain, args=(self, process.stdout, events), name="pool-reader", daemon=True
        )
        self.thread.start()

    def stop(self, *, kill: bool) -> None:
        """End the process (closing its input ends it when idle), its thread and pipes."""
        import subprocess

        self.retired = True
        with suppress(OSError):
            assert self.process.stdin is not None
            self.process.stdin.close()
        if kill:
            with suppress(OSError):
                self.process.kill()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        # The process is gone, so its output has ended and the thread is leaving.
        self.thread.join(timeout=2)
        if not self.thread.is_alive() and self.process.stdout is not None:
            with suppress(OSError, ValueError):
                self.process.stdout.close()


#: ``(worker, reply or None when its output ended, when it arrived)``; ``b""`` is "ready".
_Event = tuple[_Worker, bytes | None, float]


def _drain(worker: _Worker, source: IO[bytes], events: queue.SimpleQueue[_Event]) -> None:
    """Reader thread: put every reply of a worker on the queue, then its end."""
    try:
        while True:
            events.put((worker, _receive(source), time.monotonic()))
    except (OSError, ValueError, EOFError):
        pass  # the worker ended or was killed
    events.put((worker, None, time.monotonic()))


def _receive(source: IO[bytes]) -> bytes:
    """Read one length-prefixed reply of a worker.

    Raises:
        EOFError: The worker closed its output (it died) before a whole reply.
    """
    header = source.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("worker output ended")
    (length,) = _LENGTH.unpack(header)
    data = source.read(length)
    if len(data) < length:
        raise EOFError("worker output ended")
    return data


def worker_count(maximum: int) -> int:
    """How many worker processes to parse with (0: parse in this process).

    At most ``maximum`` and the usable cores, unless :data:`WORKERS_ENV` says otherwise.
    """
    if getattr(sys, "frozen", False) or not sys.executable:
        return 0  # no interpreter to start workers with
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit():
        return min(int(configured), 64)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, min(maximum, cores))


def _deadline_from_env() -> float:
    with suppress(ValueError):
        seconds = float(os.environ.get(DEADLINE_ENV, ""))
        if seconds > 0:
            return seconds
    return DEADLINE


class WorkerPool(Generic[T, R]):
    """Worker processes that run ``job`` on chunks of items; see the module's invariant.

    Args:
        count: How many worker processes.
        job: ``"module:function"``, called in a worker as ``function(items, *context)``
            and returning one result per item.
        context: The further arguments of every call (picklable; sent once per worker).
        give_up: The result of an item whose worker stalled or died on it twice,
            ``give_up(item, reason)`` (called here; ``reason`` is :data:`TIMED_OUT` or
            :data:`CRASHED`).
        deadline: Base seconds before a silent worker is killed (default
            :data:`DEADLINE`, or :data:`DEADLINE_ENV`).
        warm_up: ``"module:function"`` a worker calls as ``function(*context)`` before
            it says it is ready (imports, caches), so that its first chunk is timed
            like any other.

    Raises:
        PoolBrokenError: A worker could not be started.
    """

    def __init__(
        self,
        count: int,
        job: str,
        context: tuple[Any, ...],
        give_up: Callable[[T, str], R],
        deadline: float | None = None,
        warm_up: str = "",
    ) -> None:
        import queue

        self.job = job
        self.warm_up = warm_up
        self.context = context
        self.give_up = give_up
        self.deadline = deadline if deadline is not None else _deadline_from_env()
        self._startup = max(self.deadline, STARTUP_DEADLINE)
        self.events: queue.SimpleQueue[_Event] = queue.SimpleQueue()
        self.workers: list[_Worker] = []
        self.failed_starts = 0
        self.finished = False
        # State of the one map() run (the owner's; nothing else touches it).
        self._next_chunk = 0
        self._next_yield = 0
        self._results: dict[int, list[Any]] = {}
        self._missing: dict[int, int] = {}
        self._retry: deque[_Task] = deque()
        self._weights: Sequence[Sequence[int]] = ()
        try:
            for _ in range(count):
                self.workers.append(self._spawn())
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        import subprocess

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [entry for entry in sys.path if entry] + [env.get("PYTHONPATH", "")]
        )
        command = (
            f"from reader.library.pool import worker_main as m; m({self.job!r}, {self.warm_up!r})"
        )
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", command],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError as error:
            raise PoolBrokenError(f"cannot start a worker: {error}") from error
        import pickle

        worker = _Worker(process, self.events)
        worker.pending += pickle.dumps(self.context, protocol=pickle.HIGHEST_PROTOCOL)
        return worker

    def map(self, chunks: Sequence[list[T]], weights: Sequence[Sequence[int]]) -> Iterator[list[R]]:
        """Yield the results of each chunk, in order (one result per item).

        Args:
            chunks: The items, cut into chunks (each is one request to a worker).
            weights: The bytes of each item's file, chunk by chunk (for the deadlines).

        Raises:
            PoolBrokenError: Workers cannot be started (the caller reads the rest itself).
        """
        import pickle
        import queue

        count = len(chunks)
        self._weights = weights
        while self._next_yield < count:
            # Everything that has arrived first, so no answered worker looks silent.
            while True:
                try:
                    event = self.events.get_nowait()
                except queue.Empty:
                    break
                self._handle(event, pickle)
            now = time.monotonic()
            self._expire(now)
            # Work is handed out before results are, so workers stay busy meanwhile.
            self._dispatch(chunks, weights, now, pickle)
            self._flush()
            index = self._next_yield
            if self._missing.get(index) == 0:
                results = self._results.pop(index)
                del self._missing[index]
                self._next_yield += 1
                yield results
                continue
            try:
                event = self.events.get(timeout=self._wait(now))
            except queue.Empty:
                continue
            self._handle(event, pickle)
        self.finished = True

    # --- the owner's steps ------------------------------------------------------------

    def _handle(self, event: _Event, pickle: Any) -> None:
        worker, data, arrived = event
        if worker.retired:
            return  # a worker this pool has already ended and replaced
        if data is None:
            self._lost(worker, CRASHED)
            return
        if not worker.ready:
            worker.ready = True  # its first message is an empty "ready"
            worker.since = arrived
            self.failed_starts = 0
            return
        try:
            results = pickle.loads(data)
            if not worker.tasks or not isinstance(results, list):
                raise ValueError("an unasked-for reply")
            if len(results) != len(worker.tasks[0].items):
                raise ValueError("a reply of the wrong length")
        except Exception:
            self._lost(worker, CRASHED)  # it sent garbage: treat it as dead
            return
        task = worker.tasks.popleft()
        self._fill(task.chunk, task.start, results)
        worker.since = arrived  # it began its next task then

    def _fill(self, chunk: int, start: int, results: list[Any]) -> None:
        self._results[chunk][start : start + len(results)] = results
        self._missing[chunk] -= len(results)

    def _expire(self, now: float) -> None:
        for worker in list(self.workers):
            if not worker.ready:
                if now - worker.since > self._startup:
                    self._lost(worker, TIMED_OUT)
            elif worker.tasks and now > worker.since + self._limit(worker.tasks[0]):
                self._lost(worker, TIMED_OUT)

    def _limit(self, task: _Task) -> float:
        return self.deadline * (1 + task.weight / DEADLINE_BYTES)

    def _lost(self, worker: _Worker, reason: str) -> None:
        """End a worker that stalled or died, hand its tasks out again, start another."""
        worker.stop(kill=True)
        self.workers.remove(worker)
        tasks = list(worker.tasks)
        worker.tasks.clear()
        if not worker.ready:
            # It never started: nothing it was sent is to blame.
            self.failed_starts += 1
            if self.failed_starts >= MAX_FAILED_STARTS:
                raise PoolBrokenError("worker processes keep failing to start")
        elif tasks:
            head = tasks.pop(0)
            if len(head.items) > 1:
                # One of these files is to blame: read them one by one.
                tasks[:0] = [
                    _Task(head.chunk, head.start + offset, [item], weight)
                    for offset, (item, weight) in enumerate(
                        zip(head.items, self._item_weights(head), strict=True)
                    )
                ]
            elif reason == CRASHED and head.crashes == 0:
                head.crashes += 1  # perhaps killed from outside: one more try
                tasks.insert(0, head)
            else:
                self._fill(head.chunk, head.start, [self.give_up(head.items[0], reason)])
        self._retry.extendleft(reversed(tasks))
        self.workers.append(self._spawn())

    def _item_weights(self, task: _Task) -> list[int]:
        weights = self._weights[task.chunk]
        return [weights[task.start + offset] for offset in range(len(task.items))]

    def _dispatch(
        self,
        chunks: Sequence[list[T]],
        weights: Sequence[Sequence[int]],
        now: float,
        pickle: Any,
    ) -> None:
        for worker in self.workers:
            while len(worker.tasks) < IN_FLIGHT:
                task = self._next_task(chunks, weights)
                if task is None:
                    return
                if not worker.tasks and worker.ready:
                    worker.since = now
                worker.tasks.append(task)
                worker.pending += pickle.dumps(task.items, protocol=pickle.HIGHEST_PROTOCOL)

    def _next_task(
        self, chunks: Sequence[list[T]], weights: Sequence[Sequence[int]]
    ) -> _Task | None:
        if self._retry:
            return self._retry.popleft()
        index = self._next_chunk
        if index >= len(chunks) or index >= self._next_yield + AHEAD:
            return None  # all handed out, or the window is full
        self._next_chunk += 1
        items = list(chunks[index])
        self._results[index] = [None] * len(items)
        self._missing[index] = len(items)
        return _Task(index, 0, items, sum(weights[index]))

    def _flush(self) -> None:
        """Write what each worker's input takes now, never waiting for it."""
        for worker in self.workers:
            while worker.pending:
                try:
                    written = os.write(worker.fd, worker.pending)
                except BlockingIOError:
                    break
                except OSError:
                    worker.pending.clear()  # it died; its reader thread tells
                    break
                del worker.pending[:written]

    def _wait(self, now: float) -> float:
        """How long the owner may wait for the next event: until the nearest deadline."""
        wait = self.deadline
        for worker in self.workers:
            if worker.pending:
                wait = min(wait, 0.01)  # a full input: try writing again soon
            if not worker.ready:
                wait = min(wait, worker.since + self._startup - now)
            elif worker.tasks:
                wait = min(wait, worker.since + self._limit(worker.tasks[0]) - now)
        return max(wait, 0.0)

    def close(self) -> None:
        """Stop the workers: idle ones end when their input closes, busy ones are killed."""
        busy = not self.finished
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop(kill=busy or bool(worker.tasks))


def worker_main(job: str, warm_up: str = "") -> None:
    """Entry point of a worker process: run ``job`` on the chunks named on stdin.

    The input holds the pickled context, then one pickled list of items per chunk; the
    output a length-prefixed empty message once ready, then one pickled list of results
    per chunk.
    """
    import importlib
    import pickle

    if hasattr(os, "nice"):
        # The app (and its SQLite writes) comes first; workers take what CPU is left.
        with suppress(OSError):
            os.nice(NICENESS)

    def named(spec: str) -> Callable[..., Any]:
        module, _, name = spec.partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return function

    function = named(job)
    source = sys.stdin.buffer
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by accident must not land in the replies
    try:
        context = pickle.load(source)
    except EOFError:
        return
    if warm_up:
        named(warm_up)(*context)
    _send(sink, b"")  # ready
    while True:
        try:
            items = pickle.load(source)
        except EOFError:
            return
        _send(sink, pickle.dumps(function(items, *context), protocol=pickle.HIGHEST_PROTOCOL))


def _send(sink: IO[bytes], reply: bytes) -> None:
    sink.write(_LENGTH.pack(len(reply)))
    sink.write(reply)
    sink.flush()


_delays: list[tuple[float, str]] | None = None


def injected_delay(name: str) -> None:
    """Test-only: sleep as :data:`DELAY_ENV` asks before reading the file ``name``."""
    global _delays
    if _delays is None:
        _delays = []
        for entry in os.environ.get(DELAY_ENV, "").split(";"):
            number, _, text = entry.partition(":")
            with suppress(ValueError):
                _delays.append((float(number), text))
    for seconds, text in _delays:
        if text in name:
            time.sleep(seconds)
            return

"""One HTTP GET with the reader's limits: the only place that talks to the network.

Limits (issue 10): at most 10 redirects; connect 10 s, read 30 s; a total deadline per
page (60 s by default) that covers redirects, headers and body, so a server that drips
one byte a second cannot stretch it; a body cap (10 MiB by default) counted *after*
decompression while streaming, so a compression bomb is stopped after the cap and not
after it filled the memory; ``http`` and ``https`` only.

The deadline is enforced below httpx, in the network stream: every socket read, write
and connect is given at most the time left, so it holds in every phase of a response.

This module imports httpx at module level: only fetching code imports it.
"""

from __future__ import annotations

import contextvars
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from reader import __version__

PROJECT_URL = "https://github.com/polyglot-reader/polyglot-reader"
USER_AGENT = f"polyglot-reader/{__version__} (+{PROJECT_URL})"
HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
MAX_REDIRECTS = 10
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
DEADLINE = 60.0
MAX_BYTES = 10 * 1024 * 1024
# Decompressed in slices of this size, so one small compressed chunk of a bomb never
# becomes a large allocation.
_SLICE = 64 * 1024

# Socket reads wait at most this long at a time, so that a cancelled fetch (the
# interface quits, ctrl+c) stops within it instead of within the read timeout.
_SLICE_SECONDS = 0.25

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "reader_fetch_deadline", default=None
)
_cancelled: contextvars.ContextVar[Callable[[], bool] | None] = contextvars.ContextVar(
    "reader_fetch_cancelled", default=None
)


class _Cancelled(httpcore.ReadTimeout):
    """The caller cancelled the fetch (raised inside httpcore, mapped to FetchError)."""


class FetchError(Exception):
    """A page could not be fetched. ``str(error)`` is the one-line message for the user,
    naming the host and what went wrong (``example.org: HTTP 404 Not Found``).

    Attributes:
        url: The URL that was asked for.
    """

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url


@dataclass(frozen=True)
class Fetched:
    """A response that passed every check.

    Attributes:
        url: The URL asked for.
        final_url: The URL after redirects.
        status: 200, or 304 when ``etag``/``last_modified`` said it is unchanged (then
            ``body`` is empty).
        headers: The response headers (case-insensitive).
        body: The body, content-decoded (gzip, deflate), never decoded to text: see
            :func:`reader.sources.charset.decode_html`.
    """

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (``text/html``), or ``""``."""
        return media_type(self.headers.get("content-type", ""))


def media_type(content_type: str) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return content_type.split(";", 1)[0].strip().lower()


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation gets at most the time left to the deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        cancelled = _cancelled.get()
        if cancelled is None:
            return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))
        # In slices, asking between them whether to go on; a socket read that timed out
        # can be read again (nothing was consumed).
        until = None if timeout is None else time.monotonic() + timeout
        while True:
            if cancelled():
                raise _Cancelled("cancelled")
            left = _bounded(
                None if until is None else until - time.monotonic(), httpcore.ReadTimeout
            )
            if left is not None and left <= 0:
                raise httpcore.ReadTimeout("timed out")
            step = _SLICE_SECONDS if left is None else min(left, _SLICE_SECONDS)
            try:
                return self._stream.read(max_bytes, step)
            except httpcore.ReadTimeout:
                if left is not None and left <= _SLICE_SECONDS:
                    raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own backend, with :class:`_DeadlineStream` streams."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host,
            port,
            _bounded(timeout, httpcore.ConnectTimeout),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by the reader")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout``, shortened to the time left before the current fetch's deadline."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("deadline")
    return left if timeout is None else min(timeout, left)


def make_client() -> httpx.Client:
    """An HTTP client with the reader's User-Agent, timeouts and connection limits.

    Safe to share between threads (the importer fetches variants 6 at a time). Close it
    when done (``with make_client() as client:``).
    """
    transport = httpx.HTTPTransport(
        limits=httpx.Limits(max_connections=12, max_keepalive_connections=6)
    )
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.ConnectionPool):
        # httpx has no total deadline; the pool's backend is where every read happens.
        pool._network_backend = _DeadlineBackend(pool._network_backend)
    return httpx.Client(
        transport=transport,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        trust_env=False,  # no proxy from the environment: its transport has no deadline
    )


def host_of(url: str) -> str:
    """The host (and port, if any) of ``url``, for messages; the URL itself if it has none."""
    try:
        return urlsplit(url).netloc or url
    except ValueError:
        return url


def check_url(url: str) -> str:
    """Return ``url`` stripped, or raise :class:`FetchError` unless it is http(s) with a host."""
    target = url.strip()
    try:
        parts = urlsplit(target)
    except ValueError as error:
        raise FetchError(url, f"not a valid URL: {target[:200]!r}") from error
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or target[:200]
        raise FetchError(url, f"only http and https URLs can be added (not {shown!r})")
    if not parts.hostname:
        raise FetchError(url, f"no host in {target[:200]!r}")
    return target


def fetch(
    client: httpx.Client,
    url: str,
    *,
    accept: str = ACCEPT_HTML,
    etag: str | None = None,
    last_modified: str | None = None,
    allowed_types: tuple[str, ...] = HTML_TYPES,
    deadline: float | None = None,
    max_bytes: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Fetched:
    """GET ``url`` within the reader's limits.

    Args:
        client: From :func:`make_client` (shared between calls and threads).
        url: An ``http``/``https`` URL.
        accept: The ``Accept`` header.
        etag: Sent as ``If-None-Match``; a 304 answer gives ``status == 304``.
        last_modified: Sent as ``If-Modified-Since``.
        allowed_types: Media types accepted (a response without a Content-Type is
            accepted too: the extractor judges it).
        deadline: Seconds for everything: redirects, headers and body (default
            :data:`DEADLINE`, 60 s).
        max_bytes: The largest body accepted, after decompression (default
            :data:`MAX_BYTES`, 10 MiB).
        cancelled: Asked while waiting for the server (every quarter second); once it
            says ``True`` the fetch stops with ``FetchError("…: cancelled")``.

    Returns:
        The response.

    Raises:
        FetchError: Anything that went wrong, as one line naming the host.
    """
    target = check_url(url)
    deadline = DEADLINE if deadline is None else deadline
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    host = host_of(target)
    started = time.monotonic()
    token = _deadline.set(started + deadline)
    cancel_token = _cancelled.set(cancelled)
    try:
        with client.stream("GET", target, headers=headers) as response:
            final = str(response.url)
            host = host_of(final)
            if response.status_code == 304 and (etag or last_modified):
                return Fetched(target, final, 304, response.headers, b"")
            if response.status_code != 200:
                reason = response.reason_phrase or ""
                raise FetchError(target, f"{host}: HTTP {response.status_code} {reason}".rstrip())
            kind = media_type(response.headers.get("content-type", ""))
            if kind and kind not in allowed_types:
                raise FetchError(target, f"{host}: not a web page ({kind[:80]})")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes and not _encoded(response):
                raise FetchError(target, f"{host}: page larger than {_size(max_bytes)}")
            body = b"".join(_decoded(response, target, host, max_bytes))
            return Fetched(target, final, 200, response.headers, body)
    except FetchError:
        raise
    except httpx.TooManyRedirects as error:
        raise FetchError(target, f"{host}: more than {MAX_REDIRECTS} redirects") from error
    except httpx.UnsupportedProtocol as error:
        raise FetchError(target, f"{host}: redirected to a URL that is not http(s)") from error
    except httpx.TimeoutException as error:
        if cancelled is not None and cancelled():
            raise FetchError(target, f"{host}: cancelled") from error
        if time.monotonic() - started >= deadline - 0.05:
            raise FetchError(target, f"{host}: took longer than {deadline:g} s") from error
        what = "connect" if isinstance(error, httpx.ConnectTimeout) else "answer"
        raise FetchError(target, f"{host}: did not {what} in time") from error
    except httpx.ConnectError as error:
        raise FetchError(target, f"{host}: cannot connect ({_reason(error)})") from error
    except httpx.HTTPError as error:
        raise FetchError(target, f"{host}: {_reason(error)}") from error
    except (OSError, ValueError) as error:
        raise FetchError(target, f"{host}: {_reason(error)}") from error
    finally:
        _cancelled.reset(cancel_token)
        _deadline.reset(token)


def _encoded(response: httpx.Response) -> bool:
    encoding = str(response.headers.get("content-encoding", "identity"))
    return encoding.strip().lower() != "identity"


def _decoded(response: httpx.Response, url: str, host: str, max_bytes: int) -> Iterator[bytes]:
    """The body, decompressed here (not by httpx) so that no slice exceeds the cap."""
    encodings = [
        part.strip().lower()
        for part in response.headers.get("content-encoding", "").split(",")
        if part.strip() and part.strip().lower() != "identity"
    ]
    if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
        raise FetchError(url, f"{host}: unsupported content encoding {', '.join(encodings)!r}")
    decompressor: Any = None
    if encodings:
        wbits = 16 + zlib.MAX_WBITS if encodings[0] != "deflate" else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
    total = 0
    raw_deflate_tried = False
    for chunk in response.iter_raw():
        if decompressor is None:
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(url, f"{host}: page larger than {_size(max_bytes)}")
            yield chunk
            continue
        data = chunk
        while data and not decompressor.eof:
            try:
                piece = decompressor.decompress(data, _SLICE)
            except zlib.error as error:
                # "deflate" is often sent raw (without the zlib header), as browsers know.
                if encodings[0] == "deflate" and not raw_deflate_tried and total == 0:
                    raw_deflate_tried = True
                    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(url, f"{host}: damaged compressed body") from error
            total += len(piece)
            if total > max_bytes:
                raise FetchError(url, f"{host}: page larger than {_size(max_bytes)}")
            yield piece
            data = decompressor.unconsumed_tail
    if decompressor is not None:
        rest = decompressor.flush()
        if total + len(rest) > max_bytes:
            raise FetchError(url, f"{host}: page larger than {_size(max_bytes)}")
        yield rest


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MiB" if count >= 1024 * 1024 else f"{count} bytes"


def _reason(error: BaseException) -> str:
    """A short, one-line reason from an exception (the innermost message that says anything)."""
    text = str(error).strip()
    cause = error.__cause__ or error.__context__
    while not text and cause is not None:
        text = str(cause).strip()
        cause = cause.__cause__ or cause.__context__
    text = " ".join((text or type(error).__name__).split())
    return text[:200]

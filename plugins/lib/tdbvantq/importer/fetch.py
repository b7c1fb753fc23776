"""HTTP fetching for the importer: timeouts, retries with backoff, per-host limits, charset.

Each URL has an overall deadline (`deadline` seconds from its first request, connection,
retries and the whole body included), so a server that sends one byte a second cannot
hold an import; `timeout` bounds each connection attempt and each read. Transient failures (timeouts, connection resets and drops, 5xx, 429) are retried with
exponential backoff; other HTTP errors fail at once. At most `per_host` requests run at
the same time against one host, started at least `delay` seconds apart.
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import MaxRetryError, NameResolutionError

# Honest and stable, so a site can tell (and rate-limit) this tool; IMPORTER_USER_AGENT may add a contact.
USER_AGENT = os.environ.get(
    "IMPORTER_USER_AGENT", "mohinh-tdbvantq-importer/1.0 (news import for a static site; urllib3)"
)
_RETRY_STATUS = {429, 500, 502, 503, 504}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w-]+)""", re.IGNORECASE)
MAX_BYTES = 25_000_000  # the largest page, feed or local file the importer reads
DEADLINE = 60.0  # seconds for one URL, everything included
_CHUNK = 65536


class FetchError(Exception):
    """A URL that could not be fetched; the message says why in one line."""


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str  # "text/html", lowercase, without parameters
    charset: str | None  # from the Content-Type header
    body: bytes

    def text(self) -> str:
        return decode(self.body, self.charset)


def decode(body: bytes, charset: str | None = None) -> str:
    """Bytes -> text: the header's charset, else <meta>/<?xml?>, else UTF-8, else a guess."""
    candidates = [charset] if charset else []
    head = body[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        found = pattern.search(head)
        if found:
            candidates.append(found[1].decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", "replace")


class Fetcher:
    def __init__(
        self,
        *,
        timeout: float = 15.0,
        retries: int = 3,
        backoff: float = 0.5,
        per_host: int = 2,
        delay: float = 0.25,
        max_bytes: int = MAX_BYTES,
        deadline: float = DEADLINE,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout, self.deadline = timeout, deadline
        self.retries, self.backoff, self.delay = retries, backoff, delay
        self.per_host, self.max_bytes = per_host, max_bytes
        self._pool = urllib3.PoolManager(
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "vi,en;q=0.5",
            },
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=5),
            maxsize=max(per_host, 1),
        )
        self._guard = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._last_start: dict[str, float] = {}

    @contextmanager
    def _host_slot(self, host: str):
        with self._guard:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slot:
            with self._guard:
                wait = self._last_start.get(host, 0.0) + self.delay - time.monotonic()
                self._last_start[host] = time.monotonic() + max(wait, 0.0)
            if wait > 0:
                time.sleep(wait)
            yield

    def get(self, url: str) -> Response:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if not parts.hostname:  # "http://", "https:///x": nothing to retry
            raise FetchError("địa chỉ không có tên máy chủ — kiểm tra lại địa chỉ")
        last_error = "chưa thử lần nào"
        deadline: float | None = None  # starts with the first request, not in the host queue
        for attempt in range(self.retries + 1):
            if attempt:
                pause = self.backoff * 2 ** (attempt - 1)
                if deadline is not None and time.monotonic() + pause >= deadline:
                    raise FetchError(f"{last_error}; {self._late()}")
                time.sleep(pause)
            try:
                with self._host_slot(host):
                    deadline = deadline or time.monotonic() + self.deadline
                    response = self._get_once(url, deadline)
            except _Transient as error:
                last_error = str(error)
                continue
            return response
        attempts = f" (bỏ cuộc sau {self.retries + 1} lần thử)" if self.retries else ""
        raise FetchError(last_error + attempts)

    def _late(self) -> FetchError:
        return FetchError(
            f"quá thời hạn {self.deadline:g} giây cho cả trang (máy chủ trả lời quá chậm)"
        )

    def _get_once(self, url: str, deadline: float) -> Response:
        wait = min(self.timeout, deadline - time.monotonic())
        if wait <= 0:
            raise self._late()
        try:
            raw = self._pool.request(
                "GET", url, preload_content=False, timeout=urllib3.Timeout(connect=wait, read=wait)
            )
        except MaxRetryError as error:
            reason = error.reason
            if "redirect" in str(reason).lower():
                raise FetchError("chuyển hướng quá nhiều lần") from None
            if isinstance(reason, NameResolutionError):
                raise FetchError(
                    f"không tìm thấy máy chủ {urlsplit(url).hostname} — kiểm tra địa chỉ hoặc mạng"
                ) from None
            raise _Transient(_describe(reason)) from None
        except Urllib3Error as error:
            raise _Transient(_describe(error)) from None
        # A read blocked on a silent server ends at the deadline: the watchdog closes it.
        watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), raw.shutdown)
        watchdog.daemon = True
        watchdog.start()
        try:
            if raw.status >= 400:
                raw.drain_conn()  # so that the kept-alive connection can serve the next request
                if raw.status in _RETRY_STATUS:
                    raise _Transient(f"máy chủ trả lời HTTP {raw.status}")
                raise FetchError(f"máy chủ trả lời HTTP {raw.status} {raw.reason or ''}".strip())
            body = self._read_body(raw, deadline)
        except (Urllib3Error, OSError) as error:
            if time.monotonic() >= deadline:
                raise self._late() from None
            raise _Transient(_describe(error)) from None
        finally:
            watchdog.cancel()
            raw.release_conn()
        content_type, _, params = (raw.headers.get("Content-Type") or "").partition(";")
        charset = None
        match = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.IGNORECASE)
        if match:
            charset = match[1]
        final_url = raw.geturl() or url
        if not final_url.startswith(("http://", "https://")):
            final_url = url
        return Response(final_url, raw.status, content_type.strip().lower(), charset, body)

    def _read_body(self, raw: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while chunk := raw.read1(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"phản hồi lớn hơn {self.max_bytes:,} byte".replace(",", "."))
            if time.monotonic() >= deadline:
                raise self._late()
            chunks.append(chunk)
        if time.monotonic() >= deadline:  # the watchdog cut the body short
            raise self._late()
        return b"".join(chunks)


class _Transient(Exception):
    """A failure worth retrying."""


def _describe(error: BaseException) -> str:
    text = str(error)
    lowered = text.lower()
    if "timed out" in lowered or "timeout" in lowered:
        return "hết thời gian chờ"
    if "refused" in lowered:
        return "máy chủ từ chối kết nối"
    if "reset" in lowered or "aborted" in lowered or "remote end closed" in lowered:
        return "mất kết nối"
    if "incomplete" in lowered or "ended prematurely" in lowered:
        return "mất kết nối giữa chừng"
    return f"lỗi kết nối ({text.splitlines()[0][:200] if text else type(error).__name__})"

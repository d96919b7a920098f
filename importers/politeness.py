"""Politeness towards a legacy host that several connections read at once.

The crawl reads a live host over a few connections (:mod:`importers.lookahead`);
what keeps it polite is shared by all of them and kept per host by
:class:`HostPacer`: the least time between the starts of two requests to a
host (``--delay``, or robots.txt's ``Crawl-delay`` when it asks for more), and
a host's request to wait (``Retry-After`` on a 429 or 503), which holds every
request to that host, not only the one retried.  Retries themselves are
urllib3's; :class:`PoliteRetry` makes them wait for the host's turn and gives
up on a ``Retry-After`` longer than the importer is willing to wait, so that a
server asking for an hour's pause is reported, not obeyed by a stalled run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry

#: Seconds of ``Retry-After`` waited for; a server asking for more is reported.
DEFAULT_MAX_RETRY_WAIT = 120.0
#: Statuses retried (with backoff, or after the ``Retry-After`` they carry).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HostPacer:
    """When a request to each host may start: thread-safe, shared by a fetcher's connections.

    ``delay`` is the least spacing for every host; :meth:`space` raises it for
    one host (its robots.txt's ``Crawl-delay``).  The thread that last took
    a turn is remembered (:attr:`current`), so a retry made deep inside urllib3
    knows which host it waits for.
    """

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._spacing: dict[str, float] = {}
        self._next: dict[str, float] = {}  # the earliest start of the host's next request
        self._local = threading.local()

    def space(self, host: str, seconds: float) -> None:
        """Keep at least ``seconds`` (and at least ``delay``) between request starts to ``host``."""
        with self._lock:
            self._spacing[host] = max(self.delay, seconds)

    def spacing(self, host: str) -> float:
        return self._spacing.get(host, self.delay)

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts for ``seconds`` (it asked us to wait)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    def due(self, host: str) -> float:
        """Seconds before a request to ``host`` may start (0: now)."""
        with self._lock:
            return max(0.0, self._next.get(host, 0.0) - time.monotonic())

    def turn(self, host: str) -> None:
        """Wait until a request to ``host`` may start; the caller starts it at once."""
        self._local.host = host
        while True:
            with self._lock:
                now = time.monotonic()
                start = self._next.get(host, 0.0)
                if start <= now:
                    self._next[host] = now + self._spacing.get(host, self.delay)
                    self._local.started = now
                    return
            # A hold may come while asleep: look again rather than trust the time seen.
            time.sleep(start - now)

    @property
    def current(self) -> str | None:
        """The host this thread last took a turn for."""
        return getattr(self._local, "host", None)

    @property
    def started(self) -> float:
        """When this thread's last turn came (``time.monotonic()``): its request's start,
        from which an answer's deadline counts, not from the waits before."""
        return getattr(self._local, "started", time.monotonic())


class PoliteRetry(Retry):
    """urllib3's retries, paced per host by a :class:`HostPacer`.

    A ``Retry-After`` (seconds or an HTTP date) holds the whole host for that
    long; without one the retry backs off as urllib3 does.  A ``Retry-After``
    over ``max_wait`` ends the retries: the answer is handed back as it came
    (the fetcher names the wait asked for).  A ``Retry-After`` that is
    neither seconds nor a date counts as absent.
    """

    pacer: HostPacer | None = None
    max_wait: float = DEFAULT_MAX_RETRY_WAIT

    @classmethod
    def paced(cls, pacer: HostPacer, max_wait: float, **options) -> PoliteRetry:
        retry = cls(respect_retry_after_header=True, **options)
        retry.pacer, retry.max_wait = pacer, max_wait
        return retry

    def new(self, **kw) -> PoliteRetry:
        retry = super().new(**kw)
        retry.pacer, retry.max_wait = self.pacer, self.max_wait
        return retry

    def get_retry_after(self, response) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

    def asked_wait(self, headers: Mapping[str, str]) -> float | None:
        """Seconds an answer's ``Retry-After`` asks for (None: none, or unreadable)."""
        value = headers.get("Retry-After")
        try:
            return None if value is None else self.parse_retry_after(value)
        except InvalidHeader:
            return None

    def too_long(self, headers: Mapping[str, str]) -> float | None:
        """The wait asked for, when it is more than ``max_wait``."""
        wait = self.asked_wait(headers)
        return wait if wait is not None and wait > self.max_wait else None

    def increment(self, method=None, url=None, response=None, error=None, _pool=None,
                  _stacktrace=None) -> PoliteRetry:
        if response is not None and self.too_long(response.headers) is not None:
            raise MaxRetryError(_pool, url, ResponseError("Retry-After beyond the wait allowed"))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response=None) -> None:
        wait = self.get_retry_after(response) if response is not None else None
        host = self.pacer.current if self.pacer is not None else None
        if host is None:
            super().sleep(response)
            return
        if wait is not None:
            self.pacer.hold(host, wait)
        else:
            time.sleep(self.get_backoff_time())
        self.pacer.turn(host)

"""Read legacy pages (and their images and linked files) from the live host, politely.

:class:`Fetcher` is the :class:`~importers.reader.Reader` of a live host.  It
is deliberately conservative with a server that is not ours: an allow-list
of hosts (checked before any request, and again on every redirect),
robots.txt, a size cap, HTML only unless asked for images or documents,
retries with backoff only on connection errors, 429 and 5xx (after the
``Retry-After`` the server asks for, up to a limit), and per host at most
``concurrency`` connections, kept alive, whose request starts are spaced by
``delay`` or robots.txt's ``Crawl-delay`` (:mod:`importers.politeness`).  A
file fetched before can be asked for conditionally
(:class:`~importers.reader.Validators`), so an unchanged one is not
downloaded again.

It is read from several threads at once (the crawl's lookahead): the
session's settings are fixed before the first request, urllib3's pools hand
each thread its own connection (blocking when ``concurrency`` are busy),
the cookie jar locks itself, and robots.txt and the pacing keep their own locks.
"""

from __future__ import annotations

import re
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    ReadTimeoutError,
    ResponseError,
)

from .politeness import DEFAULT_MAX_RETRY_WAIT, RETRY_STATUSES, HostPacer, PoliteRetry
from .reader import (
    DEFAULT_MAX_BYTES,
    PAGE,
    REDIRECT_STATUSES,
    Damage,
    FetchError,
    FetchResult,
    Redirect,
    Want,
    answer,
    follow,
    parse_content_type,
    require_type,
)
from .urls import host_of

#: Error pages up to this size are read to their end to keep their connection alive.
REUSE_BYTES = 64 * 1024
USER_AGENT = "BaltMetInnoImporter/1.0 (+legacy site migration; polite crawler)"


@dataclass
class Fetcher:
    """The :class:`~importers.reader.Reader` of live source hosts.

    ``allowed_hosts`` are ``host[:port]`` strings (default ports dropped);
    :meth:`for_sources` derives them from the source URLs, which are also
    the pages it starts from.
    """

    allowed_hosts: Iterable[str]
    timeout: float = 10.0
    retries: int = 3
    backoff_factor: float = 0.5
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    answer_time: float = 60.0  # seconds for a whole answer (each read has ``timeout``)
    delay: float = 0.0  # least seconds between request starts to one host
    concurrency: int = 4  # connections per host at most, and reads the crawl makes at once
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT  # longest Retry-After waited for
    respect_robots: bool = True
    user_agent: str = USER_AGENT
    session: requests.Session = field(default_factory=requests.Session)
    start: tuple[str, ...] = ()

    kind = "site"
    holds_other_sites = False
    damage: ClassVar[tuple[Damage, ...]] = ()

    def __post_init__(self) -> None:
        self.allowed_hosts = frozenset(h.lower() for h in self.allowed_hosts)
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.pacer = HostPacer(self.delay)
        n = self.retries
        self.retry = PoliteRetry.paced(
            self.pacer, self.max_retry_wait, total=n, connect=n, read=n, status=n, other=0,
            raise_on_status=False, status_forcelist=RETRY_STATUSES,
            backoff_factor=self.backoff_factor, backoff_max=self.backoff_factor * 4,
        )
        # pool_block: a thread waits for one of the host's connections rather than open more
        adapter = HTTPAdapter(max_retries=self.retry, pool_maxsize=self.concurrency,
                              pool_block=True)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, str]] = {}
        self._robots_lock = threading.Lock()  # each host's robots.txt is asked for once

    @classmethod
    def for_sources(cls, sources: Iterable[str], **options) -> Fetcher:
        sources = tuple(sources)
        return cls(allowed_hosts={host_of(s) for s in sources}, start=sources, **options)

    @property
    def hosts(self) -> frozenset[str]:
        return self.allowed_hosts

    def pages(self) -> list[str]:
        return list(self.start)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- checks ---------------------------------------------------------
    def is_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and host_of(url) in self.allowed_hosts

    def _check_allowed(self, url: str, why: str = "") -> None:
        if not self.is_allowed(url):
            raise FetchError(
                url, f"{why}host {host_of(url) or '?'} is not a source host; not contacted"
            )

    def robots_allow(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets us fetch it (read once per host).

        Raises :class:`FetchError` with the true cause when robots.txt could
        not be asked for at all (DNS, refused, TLS, timeout): the host is
        unreachable, which robots.txt has no say in.
        """
        return self._robots_refusal(url) is None

    def _robots_refusal(self, url: str) -> str | None:
        if not self.respect_robots:
            return None
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._robots_lock:
            if key not in self._robots:
                self._robots[key] = self._read_robots(key, url)
            parser, refusal = self._robots[key]
        if refusal:
            return refusal
        return None if parser.can_fetch(self.user_agent, url) else "disallowed by robots.txt"

    def _read_robots(
        self, key: str, url: str
    ) -> tuple[urllib.robotparser.RobotFileParser, str]:
        robots_url = key + "/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            response = self._get(robots_url)
            with response:
                status = response.status_code
                text = response.text if status < 400 else ""
                if status >= 400:
                    self._reuse(robots_url, response, time.monotonic() + self.answer_time)
        except requests.RequestException as exc:
            # Not cached: the next page asks again, as the host may come back.
            raise FetchError(url, self._describe(robots_url, exc)) from exc
        if status in (401, 403) or status >= 500:
            # RFC 9309: robots.txt answered but unavailable → assume disallowed.
            return parser, (f"{host_of(robots_url)} answered HTTP {status} for robots.txt, "
                            "which counts as disallowing every page (RFC 9309)")
        if status >= 400:
            parser.allow_all = True
        else:
            parser.parse(crawl_delay_in_milliseconds(text.splitlines()))
            self.pacer.space(host_of(url), robots_spacing(parser, self.user_agent))
        return parser, ""

    # -- requests -------------------------------------------------------
    def _get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        self.pacer.turn(host_of(url))
        return self.session.get(
            url, headers=headers, timeout=self.timeout, allow_redirects=False, stream=True
        )

    def _describe(self, url: str, exc: requests.RequestException) -> str:
        """The true cause of a failed request, naming the host: a migrator acts on it."""
        why = unreachable_because(host_of(url), exc, self.timeout)
        return f"{why} ({self.retries + 1} attempt(s))"

    def fetch(self, url: str, want: Want = PAGE) -> FetchResult:
        """GET ``url`` following at most ``max_redirects`` redirects to allowed hosts.

        Every request keeps to the same hosts, robots.txt, pause and size cap;
        with ``want.validators`` it is conditional.
        """
        self._check_allowed(url)
        return follow(
            url, lambda at: self.step(at, want),
            max_redirects=self.max_redirects,
            check=lambda target: self._check_allowed(target, why=f"redirect to {target}: "),
        )

    def step(self, url: str, want: Want = PAGE) -> FetchResult | Redirect:
        """One GET of ``url`` (an allowed host's): its answer, or the redirect it gives.

        What :meth:`fetch` follows redirects with; a reader over an HTTP API
        (a Wayback archive) tells its archived redirects from the API's own by it.
        """
        self._check_allowed(url)
        headers = want.validators.headers() if want.validators else None
        max_bytes = want.max_bytes or self.max_bytes
        limit = want.deadline or self.answer_time
        accept = want.accept
        refusal = self._robots_refusal(url)
        if refusal:
            raise FetchError(url, refusal)
        try:
            response = self._get(url, headers)
        except requests.RequestException as exc:
            raise FetchError(url, self._describe(url, exc)) from exc
        deadline = self.pacer.started + limit  # of the last attempt: the waits are the host's
        with response:
            status = response.status_code
            if status in REDIRECT_STATUSES:
                self._reuse(url, response, deadline)
                return Redirect(status, response.headers.get("Location"))
            etag = response.headers.get("ETag", "")
            last_modified = response.headers.get("Last-Modified", "")
            if status == 304:
                return FetchResult(url, status, "", None, b"", etag=etag,
                                   last_modified=last_modified)
            try:
                self._refuse_busy(url, status, response.headers)
                answer(url, status, server_error=f"after {self.retries} retries")
                content_type, charset = parse_content_type(response.headers.get("Content-Type"))
                require_type(url, content_type, accept)
            except FetchError:
                self._reuse(url, response, deadline)
                raise
            body = self._body(url, response, max_bytes, deadline, limit)
        return FetchResult(url, status, content_type, charset, body, etag=etag,
                           last_modified=last_modified)

    def _refuse_busy(self, url: str, status: int, headers) -> None:
        """A 429, or a 503 asking for a longer wait than we give, as its true reason."""
        wait = self.retry.too_long(headers) if status in (429, 503) else None
        if wait is not None:
            raise FetchError(url, f"HTTP {status}: the server asks to wait {wait:g} s "
                             f"(Retry-After), more than the {self.max_retry_wait:g} s the "
                             "importer waits; not retried", status=status)
        if status == 429:
            raise FetchError(url, f"HTTP 429 (too many requests) after {self.retries} retries",
                             status=status)

    def _reuse(self, url: str, response: requests.Response, deadline: float) -> None:
        """Read a small answer not used (an error page) to its end, by the deadline, so its
        connection serves the next request instead of being closed and opened anew."""
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) <= REUSE_BYTES:
            with suppress(FetchError):
                self._body(url, response, REUSE_BYTES, deadline, self.answer_time)

    def _body(self, url: str, response: requests.Response, max_bytes: int, deadline: float,
              limit: float) -> bytes:
        """The body, up to ``max_bytes``, read by the time ``deadline`` comes.

        ``read1`` hands over what has arrived, so a server sending a byte at
        a time is checked between bytes, not after 64 KB of them.
        """
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(url, f"body of {length} bytes exceeds the {max_bytes} byte cap")
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := response.raw.read1(65536, decode_content=True):
                if time.monotonic() > deadline:
                    raise FetchError(url, f"still sending after {limit:g} s; stopped")
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(url, f"body exceeds the {max_bytes} byte cap; stopped")
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise FetchError(url, "reading the body failed: " + self._describe(url, exc)) from exc
        return b"".join(chunks)


#: A ``Crawl-delay`` line with its value (whole or fractional seconds).
CRAWL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)(\d*\.?\d+)", re.IGNORECASE)


def crawl_delay_in_milliseconds(lines: list[str]) -> list[str]:
    """robots.txt's lines with each ``Crawl-delay`` in milliseconds: Python's
    robotparser ignores a value that is not a whole number, and ``0.5`` is
    common.  :func:`robots_spacing` reads it back in seconds."""
    return [CRAWL_DELAY.sub(lambda m: m[1] + str(round(float(m[2]) * 1000)), line)
            for line in lines]


def robots_spacing(parser: urllib.robotparser.RobotFileParser, agent: str) -> float:
    """Seconds robots.txt asks between requests: ``Crawl-delay``, or ``Request-rate``."""
    delay = (parser.crawl_delay(agent) or 0) / 1000
    rate = parser.request_rate(agent)
    if rate is not None and rate.requests:
        delay = max(delay, rate.seconds / rate.requests)
    return delay


def _chain(exc: BaseException | None):
    """``exc`` and what it wraps: requests wraps urllib3's retry error, which wraps the cause."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        if isinstance(exc, MaxRetryError):
            exc = exc.reason
        elif exc.args and isinstance(exc.args[0], BaseException):
            exc = exc.args[0]
        else:
            exc = exc.__cause__ or exc.__context__


def unreachable_because(host: str, exc: requests.RequestException, timeout: float) -> str:
    """Why ``host`` could not be read: DNS, refused, TLS, timeout each in their own words."""
    causes = list(_chain(exc))
    if any(isinstance(c, NameResolutionError) for c in causes):
        return f"the name {host} does not resolve (DNS): a typo, or a name no longer in use"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return f"{host} refused the connection: no server is listening there"
    tls = next((c for c in causes if isinstance(c, ssl.SSLError)), None)
    if tls is not None:
        detail = (tls.reason or str(tls)).lower().replace("_", " ")
        return f"the TLS handshake with {host} failed: {detail}"
    if any(isinstance(c, ReadTimeoutError | requests.ReadTimeout) for c in causes):
        return f"{host} timed out: connected, but no answer within {timeout:g} s"
    if any(isinstance(c, ConnectTimeoutError | requests.ConnectTimeout) for c in causes):
        return f"{host} timed out: no connection within {timeout:g} s"
    if any(isinstance(c, ResponseError) for c in causes):
        return f"{host} kept failing"
    return f"connecting to {host} failed: {causes[-1].__class__.__name__}"

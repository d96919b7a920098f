"""Read legacy pages (and their images and linked files) from the live host, politely.

Every reader — :class:`Fetcher` here, :class:`~importers.mirror.MirrorReader`
and :class:`~importers.mirror.FileReader` for copies on disk — has
``fetch(url, accept=…) -> FetchResult`` and raises :class:`FetchError` with a
human-readable reason, so the crawl and the load stage do not care where
pages come from.  :class:`Fetcher` is deliberately conservative with a live
server that is not ours: an allow-list of hosts (checked before any request,
and again on every redirect), robots.txt, a size cap, HTML only unless asked
for images or documents, retries with backoff only on connection errors and
5xx, and an optional pause between requests.  A file fetched before can be
asked for conditionally (:class:`Validators`), so an unchanged one is not
downloaded again.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .urls import absolute, host_of

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
IMAGE_TYPES = ("image/",)  # what a page's <img> may be: any image/* type
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEAD_STATUSES = frozenset({404, 410})
USER_AGENT = "BaltMetInnoImporter/1.0 (+legacy site migration; polite crawler)"


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects, as read from the source
    status: int
    content_type: str  # media type only, lowercased: "text/html"
    charset: str | None  # charset parameter of the Content-Type, if any
    body: bytes
    requested_url: str = ""
    redirects: tuple[str, ...] = ()
    etag: str = ""  # validators, for asking later whether the file changed (documents)
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """The server said the copy asked about (``validators``) is still current: no body."""
        return self.status == 304


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the copy we hold (``ETag``, ``Last-Modified``)."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class FetchError(Exception):
    """A page that could not be read; ``dead`` is true for 404/410 (and missing mirror files)."""

    def __init__(self, url: str, reason: str, *, dead: bool = False, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.dead = dead
        self.status = status


class SourceError(ValueError):
    """SOURCE arguments that cannot be read as the legacy site (the command exits 2)."""


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``("text/html", "iso-8859-1")`` from a Content-Type header value."""
    if not value:
        return "", None
    msg = Message()
    msg["content-type"] = value
    charset = msg.get_param("charset")
    return msg.get_content_type().lower(), (str(charset) if charset else None)


def require_type(url: str, content_type: str, accept: Iterable[str] = HTML_TYPES) -> None:
    """Refuse other media types; ``accept`` entries ending in "/" match a family ("image/").

    Pages are parsed, images and linked documents imported, each asking for
    its own types, so a reader refuses anything else before reading it.
    """
    accept = tuple(accept)
    if any(content_type == a or (a.endswith("/") and content_type.startswith(a)) for a in accept):
        return
    shown = content_type or "no Content-Type"
    if set(accept) == HTML_TYPES:
        raise FetchError(url, f"not an HTML page ({shown}); only text/html is imported")
    what = "an image" if accept == IMAGE_TYPES else "of type " + " or ".join(accept)
    raise FetchError(url, f"not {what} ({shown})")


@dataclass
class Fetcher:
    """HTTP reader for the source hosts.

    ``allowed_hosts`` are ``host[:port]`` strings (default ports dropped);
    :meth:`for_sources` derives them from the source URLs.
    """

    allowed_hosts: Iterable[str]
    timeout: float = 10.0
    retries: int = 3
    backoff_factor: float = 0.5
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    delay: float = 0.0
    respect_robots: bool = True
    user_agent: str = USER_AGENT
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.allowed_hosts = frozenset(h.lower() for h in self.allowed_hosts)
        n = self.retries
        retry = Retry(total=n, connect=n, read=n, status=n, other=0, raise_on_status=False)
        retry.backoff_factor, retry.backoff_max = self.backoff_factor, self.backoff_factor * 4
        retry.status_forcelist = frozenset({500, 502, 503, 504})
        retry.respect_retry_after_header = False
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last_request = 0.0

    @classmethod
    def for_sources(cls, sources: Iterable[str], **options) -> Fetcher:
        return cls(allowed_hosts={host_of(s) for s in sources}, **options)

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
        """Whether robots.txt of ``url``'s host lets us fetch it (read once per host)."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        parser = self._robots.get(key)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser(key + "/robots.txt")
            try:
                response = self._get(key + "/robots.txt")
                with response:
                    text = response.text if response.status_code < 400 else ""
                    status = response.status_code
            except requests.RequestException:
                status, text = 0, ""
            if status in (401, 403) or status >= 500 or status == 0:
                parser.disallow_all = True  # RFC 9309: unreachable robots.txt → assume disallowed
            elif status >= 400:
                parser.allow_all = True
            else:
                parser.parse(text.splitlines())
            self._robots[key] = parser
        return parser.can_fetch(self.user_agent, url)

    # -- requests -------------------------------------------------------
    def _pause(self) -> None:
        if self.delay > 0:
            wait = self._last_request + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request = time.monotonic()

    def _get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        self._pause()
        return self.session.get(
            url, headers=headers, timeout=self.timeout, allow_redirects=False, stream=True
        )

    def _describe(self, exc: requests.RequestException) -> str:
        text = str(exc)
        tries = f"{self.retries + 1} attempt(s)"
        if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
            return f"timed out after {self.timeout:g} s ({tries})"
        if isinstance(exc, requests.exceptions.RetryError):
            return f"server kept failing ({tries})"
        return f"connection failed ({tries}): {exc.__class__.__name__}"

    def fetch(
        self,
        url: str,
        *,
        accept: Iterable[str] = HTML_TYPES,
        max_bytes: int | None = None,
        validators: Validators | None = None,
    ) -> FetchResult:
        """GET ``url`` following at most ``max_redirects`` redirects to allowed hosts.

        ``accept`` widens the media types taken (:data:`IMAGE_TYPES` for a page's
        images), with the same hosts, robots.txt, pause, size cap and redirects.
        ``max_bytes`` replaces the cap for this file (documents are larger than
        pages); with ``validators`` the request is conditional and an unchanged
        file answers ``not_modified`` without a body.
        """
        requested = url
        redirects: list[str] = []
        self._check_allowed(url)
        while True:
            if not self.robots_allow(url):
                raise FetchError(url, "disallowed by robots.txt")
            try:
                response = self._get(url, validators.headers() if validators else None)
            except requests.RequestException as exc:
                raise FetchError(url, self._describe(exc)) from exc
            with response:
                if response.status_code in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(url, f"redirect {response.status_code} without Location")
                    target = absolute(location, url)
                    if len(redirects) >= self.max_redirects:
                        raise FetchError(
                            requested, f"more than {self.max_redirects} redirects (last: {target})"
                        )
                    self._check_allowed(target, why=f"redirect to {target}: ")
                    redirects.append(target)
                    url = target
                    continue
                return self._read(
                    requested, url, response, tuple(redirects), accept, max_bytes or self.max_bytes
                )

    def _read(
        self,
        requested: str,
        url: str,
        response: requests.Response,
        redirects: tuple[str, ...],
        accept: Iterable[str],
        max_bytes: int,
    ) -> FetchResult:
        status = response.status_code
        etag = response.headers.get("ETag", "")
        last_modified = response.headers.get("Last-Modified", "")
        if status == 304:
            return FetchResult(
                url, status, "", None, b"", requested, redirects, etag, last_modified
            )
        if status in DEAD_STATUSES:
            raise FetchError(url, f"HTTP {status}: page does not exist", dead=True, status=status)
        if status >= 500:
            raise FetchError(url, f"HTTP {status} after {self.retries} retries", status=status)
        if not 200 <= status < 300:
            raise FetchError(url, f"HTTP {status}", status=status)
        content_type, charset = parse_content_type(response.headers.get("Content-Type"))
        require_type(url, content_type, accept)
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(url, f"body of {length} bytes exceeds the {max_bytes} byte cap")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(url, f"body exceeds the {max_bytes} byte cap; stopped")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(url, "reading the body failed: " + self._describe(exc)) from exc
        return FetchResult(
            url, status, content_type, charset, b"".join(chunks), requested, redirects,
            etag, last_modified,
        )

"""Read legacy pages from a live host, a wget mirror or a single file — alike.

Every reader has ``fetch(url) -> FetchResult`` and raises :class:`FetchError`
with a human-readable reason, so ``load`` and :func:`crawl`
do not care where pages come from.  :class:`Fetcher` is deliberately
conservative with a live server that is not ours: an allow-list of hosts
(checked before any request, and again on every redirect), robots.txt, a
size cap, HTML only, retries with backoff only on connection errors and 5xx,
and an optional pause between requests.
"""

from __future__ import annotations

import json
import mimetypes
import time
import urllib.robotparser
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .decode import decode
from .extract.links import page_links
from .urls import (
    absolute,
    base_dir,
    canonicalize,
    default_source_base,
    host_of,
    to_origin,
    to_source,
    url_from_mirror_path,
)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
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


class FetchError(Exception):
    """A page that could not be read; ``dead`` is true for 404/410 (and missing mirror files)."""

    def __init__(self, url: str, reason: str, *, dead: bool = False, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.dead = dead
        self.status = status


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``("text/html", "iso-8859-1")`` from a Content-Type header value."""
    if not value:
        return "", None
    msg = Message()
    msg["content-type"] = value
    charset = msg.get_param("charset")
    return msg.get_content_type().lower(), (str(charset) if charset else None)


def _require_html(url: str, content_type: str, accept: Iterable[str] = HTML_TYPES) -> None:
    """Refuse other media types; ``accept`` entries ending in "/" match a family ("image/")."""
    if not any(
        content_type == a or (a.endswith("/") and content_type.startswith(a)) for a in accept
    ):
        shown = content_type or "no Content-Type"
        raise FetchError(url, f"not an HTML page ({shown}); only text/html is imported")


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

    def _get(self, url: str) -> requests.Response:
        self._pause()
        return self.session.get(url, timeout=self.timeout, allow_redirects=False, stream=True)

    def _describe(self, exc: requests.RequestException) -> str:
        text = str(exc)
        tries = f"{self.retries + 1} attempt(s)"
        if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
            return f"timed out after {self.timeout:g} s ({tries})"
        if isinstance(exc, requests.exceptions.RetryError):
            return f"server kept failing ({tries})"
        return f"connection failed ({tries}): {exc.__class__.__name__}"

    _robots_allow = robots_allow  # older name

    def fetch(self, url: str, *, accept: Iterable[str] = HTML_TYPES) -> FetchResult:
        """GET ``url`` following at most ``max_redirects`` redirects to allowed hosts.

        ``accept`` widens the media types taken (``accept=("image/",)`` for images).
        """
        requested = url
        redirects: list[str] = []
        self._check_allowed(url)
        while True:
            if not self.robots_allow(url):
                raise FetchError(url, "disallowed by robots.txt")
            try:
                response = self._get(url)
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
                return self._read(requested, url, response, tuple(redirects), accept)

    def _read(
        self,
        requested: str,
        url: str,
        response: requests.Response,
        redirects: tuple[str, ...],
        accept: Iterable[str],
    ) -> FetchResult:
        status = response.status_code
        if status in DEAD_STATUSES:
            raise FetchError(url, f"HTTP {status}: page does not exist", dead=True, status=status)
        if status >= 500:
            raise FetchError(url, f"HTTP {status} after {self.retries} retries", status=status)
        if not 200 <= status < 300:
            raise FetchError(url, f"HTTP {status}", status=status)
        content_type, charset = parse_content_type(response.headers.get("Content-Type"))
        _require_html(url, content_type, accept)
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(url, f"body of {length} bytes exceeds the {self.max_bytes} byte cap")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(url, f"body exceeds the {self.max_bytes} byte cap; stopped")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(url, "reading the body failed: " + self._describe(exc)) from exc
        return FetchResult(
            url, status, content_type, charset, b"".join(chunks), requested, redirects
        )


class MirrorReader:
    """Pages of a ``wget --mirror --adjust-extension`` directory, looked up by canonical URL.

    ``root`` holds one folder per host (``root/inno.baltmet.org/pub/…``).  A
    ``manifest.json`` (``{url: {"file", "content_type"}}``) in ``root`` wins
    over guessing URLs and types from file names.
    """

    def __init__(
        self, root: str | Path, *, scheme: str = "http", max_bytes: int = DEFAULT_MAX_BYTES
    ):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._files: dict[str, tuple[Path, str]] = {}
        manifest = self.root / "manifest.json"
        if manifest.is_file():
            for url, info in json.loads(manifest.read_text(encoding="utf-8")).items():
                self._files[canonicalize(url)] = (
                    self.root / info["file"],
                    info.get("content_type", ""),
                )
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path == manifest:
                continue
            url = canonicalize(url_from_mirror_path(path.relative_to(self.root).as_posix(), scheme))
            self._files.setdefault(url, (path, ""))

    @property
    def hosts(self) -> list[str]:
        return sorted({host_of(url) for url in self._files})

    def urls(self) -> list[str]:
        """Canonical URLs of every page (HTML file) in the mirror."""
        return [u for u, (p, ct) in self._files.items() if _file_type(p, ct)[0] in HTML_TYPES]

    def fetch(self, url: str) -> FetchResult:
        canon = canonicalize(url)
        entry = self._files.get(canon)
        if entry is None or not entry[0].is_file():
            raise FetchError(
                url, "not in the mirror (a dead link when the mirror is complete)", dead=True
            )
        return _read_file(url, entry[0], entry[1], self.max_bytes)


class FileReader:
    """One saved HTML file standing for one legacy URL."""

    def __init__(self, path: str | Path, url: str, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.path = Path(path)
        self.url = canonicalize(url)
        self.max_bytes = max_bytes

    def urls(self) -> list[str]:
        return [self.url]

    def fetch(self, url: str) -> FetchResult:
        if canonicalize(url) != self.url:
            raise FetchError(url, f"only {self.url} is available from {self.path.name}", dead=True)
        return _read_file(url, self.path, "", self.max_bytes)


def _file_type(path: Path, declared: str) -> tuple[str, str | None]:
    if declared:
        return parse_content_type(declared)
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return "text/html", None
    return (mimetypes.guess_type(path.name)[0] or "application/octet-stream"), None


def _read_file(url: str, path: Path, declared: str, max_bytes: int) -> FetchResult:
    content_type, charset = _file_type(path, declared)
    _require_html(url, content_type)
    size = path.stat().st_size
    if size > max_bytes:
        raise FetchError(url, f"file of {size} bytes exceeds the {max_bytes} byte cap")
    return FetchResult(canonicalize(url), 200, content_type, charset, path.read_bytes(), url)


# -- crawling ---------------------------------------------------------------


@dataclass(frozen=True)
class CrawledPage:
    url: str  # canonical origin URL of the page
    source_url: str  # where it was read from
    result: FetchResult
    referrer: str | None = None


@dataclass(frozen=True)
class CrawlFailure:
    """A page that could not be read (timeouts, 5xx, not HTML, too big…)."""

    url: str  # canonical origin URL
    source_url: str
    referrers: tuple[str, ...]  # pages linking to it, as far as seen
    reason: str


class DeadLink(CrawlFailure):
    """A link to a page that does not exist (404/410, or missing from a mirror)."""


@dataclass(frozen=True)
class Source:
    """A reader, the folder on it that stands for the origin, and where to start."""

    reader: Fetcher | MirrorReader | FileReader
    base: str
    start_urls: tuple[str, ...]  # origin URLs


def open_sources(sources: Iterable[str | Path], origin: str, **fetch_options) -> Source:
    """A :class:`Source` for live URLs, one mirror directory, or one HTML file.

    A single file stands for the origin URL its name spells
    (``index.php?id=209.html`` → ``<origin>index.php?id=209``).
    """
    items = [str(s) for s in sources]
    if not items:
        raise ValueError("no sources given")
    if all(urlsplit(s).scheme in ("http", "https") for s in items):
        base = default_source_base(items[0], origin)
        reader = Fetcher.for_sources(items, **fetch_options)
        return Source(reader, base, tuple(to_origin(s, base, origin) for s in items))
    if len(items) != 1:
        raise ValueError("give either source URLs, or one mirror directory, or one HTML file")
    path = Path(items[0])
    max_bytes = fetch_options.get("max_bytes", DEFAULT_MAX_BYTES)
    if path.is_dir():
        mirror = MirrorReader(path, max_bytes=max_bytes)
        pages = mirror.urls()
        base = default_source_base(pages[0], origin) if pages else base_dir(origin)
        return Source(mirror, base, tuple(sorted(to_origin(u, base, origin) for u in pages)))
    if path.is_file():
        guess = url_from_mirror_path("host/" + path.name)
        url = canonicalize(base_dir(origin) + guess.split("/host/", 1)[1])
        return Source(FileReader(path, url, max_bytes=max_bytes), base_dir(origin), (url,))
    raise ValueError(f"{items[0]} is neither a URL, a directory nor a file")


def crawl(
    sources: Iterable[str | Path],
    origin: str,
    *,
    source: Source | None = None,
    max_pages: int = 1000,
    follow: bool = True,
    **fetch_options,
):
    """Breadth-first over the legacy site, yielding ``CrawledPage | DeadLink | CrawlFailure``.

    Page URLs are canonical origin URLs (deduplicated, session ids gone);
    they are read from the source's base instead of the origin.  Only page
    links under the origin are followed; at most ``max_pages`` pages are read.
    """
    source = source or open_sources(sources, origin, **fetch_options)
    queue = deque(source.start_urls)
    seen = set(source.start_urls)
    done: set[str] = set()
    referrers: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < max_pages:
        url = queue.popleft()
        src = to_source(url, origin, source.base)
        refs = tuple(referrers.get(url, ()))
        try:
            result = source.reader.fetch(src)
        except FetchError as exc:
            kind = DeadLink if exc.dead else CrawlFailure
            yield kind(url, src, refs, exc.reason)
            continue
        final = to_origin(result.url, source.base, origin)
        if final in done:
            continue
        done.update((url, final))
        seen.add(final)
        pages += 1
        yield CrawledPage(final, result.url, result, refs[0] if refs else None)
        if not follow:
            continue
        html = decode(result.body, result.charset).text
        for link in page_links(html, final, origin, source.base):
            referrers.setdefault(link, []).append(final)
            if link not in seen:
                seen.add(link)
                queue.append(link)

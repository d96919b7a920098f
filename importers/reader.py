"""What every source of the legacy site is read through: the :class:`Reader` protocol.

The live host (:class:`~importers.fetch.Fetcher`), a wget mirror or one saved
file (:mod:`importers.mirror`) and a web archive (:mod:`importers.archive`)
each implement it, so the crawl and the reading of a page's images and
documents never ask which one they hold.  Every reader answers with the same
:class:`FetchResult` and fails with :class:`FetchError`; what an HTTP status
means (:func:`answer`) and how redirects are followed (:func:`follow`) are
decided here once, for served and for archived answers alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Protocol
from urllib.parse import urljoin

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
IMAGE_TYPES = ("image/",)  # what a page's <img> may be: any image/* type
#: What a linked file may be served as; the document importer judges the bytes itself
#: (HTML included, so that a "not found" page sent for a .pdf is recognised as such).
DOCUMENT_TYPES = ("application/", "text/", "binary/")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEAD_STATUSES = frozenset({404, 410})
MAX_REDIRECTS = 5


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


@dataclass(frozen=True)
class Want:
    """What a read asks of a source besides the URL: the media types taken
    (``accept``; images and documents widen it), a size cap replacing the
    reader's own (``max_bytes``), the copy already held (``validators``),
    so that a source that can tell answers ``not_modified`` for a file that
    did not change, and the seconds the whole answer may take (``deadline``,
    replacing the reader's own; a server sending a byte at a time is given
    up on then)."""

    accept: Iterable[str] = HTML_TYPES
    max_bytes: int | None = None
    validators: Validators | None = None
    deadline: float | None = None


#: What the crawl asks for a page.
PAGE = Want()


class FetchError(Exception):
    """A page that could not be read; ``dead`` is true for 404/410 (and missing copies)."""

    def __init__(self, url: str, reason: str, *, dead: bool = False, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.dead = dead
        self.status = status


@dataclass(frozen=True)
class Damage:
    """Where a source stopped being readable (an archive cut short, a record that lies).

    What lies before it is read; the run reports the damage as a failure, so
    the pages after it are not mistaken for dead links.
    """

    where: str  # the file
    offset: int
    reason: str

    def __str__(self) -> str:
        return (f"the web archive is damaged at byte {self.offset}: {self.reason}; "
                "what follows is not read")


class SourceError(ValueError):
    """SOURCE arguments that cannot be read as the legacy site (the command exits 2)."""


class ImportConfigError(Exception):
    """A usage or configuration problem: the command exits 2 with this one-line message."""


class Reader(Protocol):
    """One source of the legacy site, read by canonical URL."""

    #: What the source is called in messages ("web archive", "mirror", ...).
    kind: str
    #: Whether it may hold pages of other sites, which are then not start pages.
    holds_other_sites: bool
    #: What of it could not be read, found while opening it (empty for most sources).
    damage: Sequence[Damage]
    #: How many reads may run at once (from several threads); 1 for a source read in
    #: place (a mirror, a web archive), which gains nothing from reading ahead.
    concurrency: int

    @property
    def hosts(self) -> frozenset[str]:
        """``host[:port]`` of what it holds or may contact: a page's files come from these."""
        ...

    def pages(self) -> list[str]:
        """The pages to start from, as the source spells them; the first tells the origin."""
        ...

    def fetch(self, url: str, want: Want = PAGE) -> FetchResult:
        """The answer for ``url``, redirects followed; :class:`FetchError` when there is none.

        ``want`` says what else the read asks (:class:`Want`).
        """
        ...

    def close(self) -> None: ...


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


def answer(url: str, status: int, *, where: str = "", server_error: str = "") -> None:
    """What a status means for the file asked for: nothing for 2xx, else :class:`FetchError`.

    ``where`` tells a stored answer from a served one ("(archived answer)");
    ``server_error`` says what was tried before a 5xx was given up on.
    """
    note = f" {where}" if where else ""
    if status in DEAD_STATUSES:
        raise FetchError(url, f"HTTP {status}: page does not exist{note}", dead=True,
                         status=status)
    if status >= 500 and server_error:
        raise FetchError(url, f"HTTP {status} {server_error}", status=status)
    if not 200 <= status < 300:
        raise FetchError(url, f"HTTP {status}{note}", status=status)


_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<\?xml[^>]*>\s*<html)",
                         re.I)


def soft_404(content_type: str, body: bytes, what: str = "the file") -> str | None:
    """Why an answer for a file (a ``.pdf``, an image) is the server's "not found" page, or None.

    Legacy servers answer a missing file with their HTML error page and status
    200.  Served, or kept in an archive as it was served, such an answer is a
    dead link: never a page, never a document.  Said by the Content-Type or,
    when that says nothing useful, by the bytes.
    """
    if content_type in HTML_TYPES or _HTML_START.match(body[:512]):
        return (f'an HTML page ({content_type or "no Content-Type"}), not {what}: '
                'the server\'s "not found" page')
    return None


@dataclass(frozen=True)
class Redirect:
    """A reader's one step ended in a redirect: its status and ``Location``."""

    status: int
    location: str | None


def follow(
    url: str,
    step: Callable[[str], FetchResult | Redirect],
    *,
    max_redirects: int = MAX_REDIRECTS,
    check: Callable[[str], None] | None = None,
) -> FetchResult:
    """``step`` from ``url`` on, through at most ``max_redirects`` redirects.

    ``check(target)`` may refuse a redirect's target (raising :class:`FetchError`).
    """
    requested = url
    redirects: list[str] = []
    while True:
        got = step(url)
        if isinstance(got, FetchResult):
            return FetchResult(got.url, got.status, got.content_type, got.charset, got.body,
                               requested, tuple(redirects), got.etag, got.last_modified)
        if not got.location:
            raise FetchError(url, f"redirect {got.status} without Location")
        target = urljoin(url, got.location.strip())  # as a browser follows Location
        if len(redirects) >= max_redirects:
            raise FetchError(requested, f"more than {max_redirects} redirects (last: {target})")
        if check is not None:
            check(target)
        redirects.append(target)
        url = target

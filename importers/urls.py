"""Canonical legacy URLs and the mapping between origin, source and mirror files.

The legacy site reaches one page under many spellings (parameter order,
session ids, ``cHash``, fragments); every stage keys pages by
:func:`canonicalize` so each page is imported once.  The *origin* is where the
site lived (``http://inno.baltmet.org/pub/``); a *source* is where we read it
from today (the origin itself, a staging host, a local server, a wget mirror).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from cms.legacy_urls import canonical_query, names_no_page
from importers.decode import base_href
from importers.reader import (
    PAGE,
    FetchError,
    FetchResult,
    ImportConfigError,
    Reader,
    SourceError,
    Want,
    soft_404,
)

DEFAULT_PORTS = {"http": 80, "https": 443}

#: Extensions of documents that are pages (everything else — images, PDFs — is not crawled).
PAGE_EXTENSIONS = frozenset({"", ".php", ".php3", ".php4", ".html", ".htm", ".shtml", ".asp"})


def _netloc(scheme: str, host: str | None, port: int | None, userinfo: str = "") -> str:
    host = (host or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        host = f"{host}:{port}"
    return f"{userinfo}@{host}" if userinfo else host


def _strip_path_session(path: str) -> str:
    """Drop ``;jsessionid=…`` style path parameters."""
    if ";" not in path:
        return path
    kept = [seg for seg in path.split(";") if not names_no_page(*_path_param(seg))]
    return ";".join(kept)


def _path_param(segment: str) -> tuple[str, str]:
    name, _, value = segment.partition("=")
    return name, value


#: Canonical spellings kept: a crawl asks for the same URLs (the queue's, the
#: origin's, every link to a page) many times over; a re-run of an unchanged
#: site spent a third of its time spelling them again.
KNOWN_SPELLINGS = 8192


@lru_cache(maxsize=KNOWN_SPELLINGS)
def canonicalize(url: str) -> str:
    """The one spelling of ``url`` used as a page's identity.

    Fragment dropped, scheme/host lowercased, default port dropped, the query
    as :func:`cms.legacy_urls.canonical_query` spells it (session ids,
    ``cHash``, ``no_cache``, ``L=0`` and ``utm_*`` removed; TYPO3's ``id``
    first, as the legacy site writes its own links: ``index.php?id=12&gid=2&lid=97``),
    so the function is idempotent and the redirects match what it keys pages by.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    netloc = _netloc(scheme, parts.hostname, port, userinfo) if parts.netloc else ""
    path = _strip_path_session(parts.path)
    if netloc and not path:
        path = "/"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    return urlunsplit((scheme, netloc, path, canonical_query(parts.query), ""))


def site_root(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, canonical."""
    parts = urlsplit(canonicalize(url))
    return f"{parts.scheme}://{parts.netloc}"


def host_of(url: str) -> str:
    """Canonical ``host[:port]`` (default port dropped) — what allow-lists compare."""
    return urlsplit(canonicalize(url)).netloc


@lru_cache(maxsize=64)  # a run's few bases (origin, source), asked for each URL it moves
def base_dir(base: str) -> str:
    """A base URL as a directory: ``http://h/pub`` and ``http://h/pub/x.php`` → ``http://h/pub/``."""
    parts = urlsplit(canonicalize(base))
    path = parts.path
    if not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        path = path + "/" if "." not in last else path.rsplit("/", 1)[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def is_under(url: str, base: str) -> bool:
    """Whether ``url`` lies in the folder ``base`` (same scheme, host and port)."""
    u = urlsplit(canonicalize(url))
    b = urlsplit(base_dir(base))
    if (u.scheme, u.netloc) != (b.scheme, b.netloc):
        return False
    return u.path == b.path.rstrip("/") or u.path.startswith(b.path)


def rebase(url: str, from_base: str, to_base: str) -> str | None:
    """Move ``url`` from one base folder to another; ``None`` if it is not under ``from_base``.

    This is how a link under the origin becomes a URL on the source (and back):
    :meth:`Source.to_source` and ``to_origin``.
    """
    if not is_under(url, from_base):
        return None
    canon = canonicalize(url)
    src = base_dir(from_base)
    dst = base_dir(to_base)
    if not canon.startswith(src):  # the folder itself without trailing slash
        return dst
    return canonicalize(dst + canon[len(src) :])


def default_source_base(source_url: str, origin: str) -> str:
    """Where the origin's folder lives on a source: the origin's path on the source's host.

    ``http://127.0.0.1:8000/pub/index.php?id=208`` with origin
    ``http://inno.baltmet.org/pub/`` → ``http://127.0.0.1:8000/pub/``.
    """
    if is_under(source_url, origin):
        return base_dir(origin)
    return site_root(source_url) + urlsplit(base_dir(origin)).path


def absolute(href: str, base: str) -> str:
    """``href`` resolved against ``base`` (whitespace trimmed, as browsers do)."""
    return urljoin(base, href.strip())


def file_name(url: str, fallback: str) -> str:
    """The last segment of ``url``'s path, unquoted (``fallback`` when the path has none)."""
    return posixpath.basename(unquote(urlsplit(url).path)) or fallback


def is_page_url(url: str) -> bool:
    """Whether a link points at a page (``index.php?id=…``, ``*.html``, extensionless paths)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    last = parts.path.rsplit("/", 1)[-1]
    ext = posixpath.splitext(last)[1].lower()
    return ext in PAGE_EXTENSIONS


def url_from_mirror_path(relpath: str, scheme: str = "http") -> str:
    """Best guess at the URL a wget mirror's file came from.

    ``.html`` added by ``--adjust-extension`` is removed when the name has a
    query or another extension before it (``index.php?id=209.html``);
    otherwise the name is kept (``page.html`` may have been ``page.html``).
    """
    relpath = relpath.replace("\\", "/").lstrip("/")
    host, _, path = relpath.partition("/")
    folder, _, name = path.rpartition("/")
    stem, query = name, ""
    if "?" in name:
        stem, _, query = name.partition("?")
        if query.lower().endswith(".html"):
            query = query[: -len(".html")]
        query = query.replace("%2F", "/")
    elif name.lower().endswith(".html") and posixpath.splitext(name[: -len(".html")])[1]:
        stem = name[: -len(".html")]
    path = "/" + "/".join(p for p in (folder, stem) if p)
    return urlunsplit((scheme, host, path, query, ""))


@dataclass(frozen=True)
class Source:
    """A reader, the origin it stands for, the folder on it that holds the origin, the start.

    ``origin`` is where the site lived (every page's identity is an origin
    URL); ``base`` is the origin's folder as the reader spells it (the
    origin itself, a staging host, a mirror's host folder).
    """

    reader: Reader
    origin: str
    base: str
    start_urls: tuple[str, ...]  # origin URLs

    @classmethod
    def opened(cls, reader: Reader, origin: str | None, where: str) -> Source:
        """The reader's pages as start pages (sorted, so every run reads in the same order),
        under the origin given or read from the reader's first page (``where`` names the
        SOURCE in messages)."""
        pages = reader.pages()
        if reader.holds_other_sites:  # an archive lists what it captured as HTML, but an
            # HTML answer for a file's URL is a "not found" page (reader.soft_404), no page
            pages = [u for u in pages if is_page_url(u)]
        if not pages:
            raise SourceError(f"{where}: no HTML pages in this {reader.kind}")
        if origin is None:
            try:
                first = reader.fetch(pages[0])
            except FetchError as exc:
                raise ImportConfigError(
                    f"cannot read {pages[0]} to find the origin ({exc.reason}); give --origin"
                ) from exc
            origin = base_href(first.body, first.charset) or pages[0]
        origin = base_dir(origin)
        base = default_source_base(pages[0], origin)
        if reader.holds_other_sites:
            pages = [u for u in pages if is_under(u, base)]
        source = cls(reader, origin, base, ())
        return source.with_start(tuple(sorted({source.to_origin(u) for u in pages})))

    def to_source(self, url: str) -> str:
        """The URL to read for an origin URL (unchanged when not under the origin)."""
        return rebase(url, self.origin, self.base) or canonicalize(url)

    def to_origin(self, url: str) -> str:
        """The origin URL of a URL read from the source (unchanged when not under its base)."""
        return rebase(url, self.base, self.origin) or canonicalize(url)

    @cached_property
    def hosts(self) -> frozenset[str]:
        """The origin's hosts: all that pages, redirects and files are read from.

        The origin's host and the host it is read from, and the hosts a reader
        was given (a live site's source URLs) or holds, unless it may hold
        other sites too (a web archive holds whatever its crawl reached).
        Found once: every read checks its URL against them, and none of them
        changes while the source is open.
        """
        own = {host_of(self.origin), host_of(self.base)}
        if not self.reader.holds_other_sites:
            own |= self.reader.hosts
        return frozenset(own)

    @property
    def file_hosts(self) -> frozenset[str]:
        """Hosts a page's files are read from: :attr:`hosts`, or none for a reader that
        holds nothing but its pages (one saved file)."""
        return self.hosts if self.reader.hosts else frozenset()

    def read(self, url: str, want: Want = PAGE) -> FetchResult:
        """``url`` as the source spells it, read under the rules every source keeps.

        The origin's hosts only: a redirect to another host is refused as a
        live crawl refuses it, whether or not the source holds its target.  And
        one rule for soft 404s: an HTML page answered for a file's URL is a dead link.
        """
        self._confine(url)
        result = self.reader.fetch(url, want)
        for target in result.redirects:
            self._confine(target, f"redirect to {target}: ")
        if not is_page_url(result.url):
            problem = soft_404(result.content_type, result.body)
            if problem:
                raise FetchError(url, problem, dead=True)
        return result

    def _confine(self, url: str, why: str = "") -> None:
        host = host_of(url)
        if host not in self.hosts:
            raise FetchError(url, f"{why}host {host or '?'} is not a source host; not contacted")

    def read_file(self, url: str, want: Want) -> FetchResult:
        """A file a page links to (origin URL), read the way its pages are, from where they are.

        Raises :class:`~importers.reader.FetchError` (``dead`` when it does not exist).
        """
        return self.read(self.to_source(url), want)

    def with_start(self, start: tuple[str, ...]) -> Source:
        return replace(self, start_urls=start)

    def close(self) -> None:
        self.reader.close()

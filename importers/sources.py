"""The one way to open the command's SOURCE arguments as a readable source.

A SOURCE is live URLs, a wget mirror (or a folder in it), one saved HTML
file, or a web archive (a WARC, a folder of WARCs, a WACZ).  Each becomes a
reader with the same ``fetch(url, accept=…)`` (:mod:`importers.fetch`,
:mod:`importers.mirror`, :mod:`importers.archive`), the folder on it that
stands for the origin, and the pages to start from.  Problems are clear
errors before anything is read; the origin is guessed from the first page's
``<base href>`` when not given.  :meth:`SourceSetup.read_file` reads a
page's images and linked documents (:class:`DocumentSource`) through the same
reader, so they come from where the pages come from and nowhere else.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from importers.archive import ArchiveReader, is_archive
from importers.decode import decode
from importers.fetch import (
    DEFAULT_MAX_BYTES,
    IMAGE_TYPES,
    Fetcher,
    FetchError,
    FetchResult,
    SourceError,
    Validators,
)
from importers.mirror import FileReader, MirrorReader
from importers.urls import (
    base_dir,
    canonicalize,
    default_source_base,
    host_of,
    is_under,
    to_origin,
    to_source,
    url_from_mirror_path,
)

#: What a linked file may be served as; the document importer judges the bytes itself
#: (HTML included, so that a "not found" page sent for a .pdf is recognised as such).
DOCUMENT_TYPES = ("application/", "text/", "binary/")


class DocumentSource:
    """A page's linked files (origin URLs) read the way its pages are, from where they are.

    ``hosts`` are the hosts a link must be on to be fetched at all: the
    origin's and the source's (the same confinement as pages and images).
    """

    def __init__(self, source: Source, origin: str, hosts: frozenset[str]) -> None:
        self.source = source
        self.origin = origin
        self.hosts = hosts

    def legacy_url(self, url: str) -> str:
        """A file's identity: its origin URL, however the page spelled the link."""
        return to_origin(url, self.source.base, self.origin)

    def read(
        self, url: str, *, max_bytes: int, validators: Validators | None = None
    ) -> FetchResult:
        return self.source.reader.fetch(
            to_source(url, self.origin, self.source.base),
            accept=DOCUMENT_TYPES, max_bytes=max_bytes, validators=validators,
        )

_BASE_HREF = re.compile(r"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)

Reader = Fetcher | MirrorReader | FileReader | ArchiveReader


class ImportConfigError(Exception):
    """A usage or configuration problem: the command exits 2 with this one-line message."""


@dataclass(frozen=True)
class Source:
    """A reader, the folder on it that stands for the origin, and where to start."""

    reader: Reader
    base: str
    start_urls: tuple[str, ...]  # origin URLs


@dataclass
class SourceSetup:
    origin: str
    source: Source
    image_source: Callable[[str], bytes | None] | None
    document_source: DocumentSource | None = None

    def read_file(self, url: str, accept: Iterable[str]) -> FetchResult:
        """A file a page links to (origin URL), read the way its pages are, from where they are.

        Raises :class:`~importers.fetch.FetchError` (``dead`` when it does not exist).
        """
        return self.source.reader.fetch(
            to_source(url, self.origin, self.source.base), accept=accept
        )

    def close(self) -> None:
        if isinstance(self.source.reader, Fetcher | ArchiveReader):
            self.source.reader.close()


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def check_origin(origin: str) -> str:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportConfigError(f"--origin must be an http(s) URL, not {origin!r}")
    return base_dir(origin)


def _base_href(body: bytes, charset: str | None) -> str | None:
    match = _BASE_HREF.search(decode(body[:8192], charset).text)
    if match and _is_url(match.group(1)):
        return base_dir(match.group(1))
    return None


def open_source(
    sources: Iterable[str | Path],
    origin: str | None,
    *,
    at: datetime.date | None = None,
    **fetch_options,
) -> SourceSetup:
    """Open SOURCE arguments; ``at`` picks archive captures nearest to that day.

    Raises :class:`SourceError` for SOURCEs that cannot be read as a site and
    :class:`ImportConfigError` for a bad ``--origin`` or ``--at``.
    """
    items = [str(s) for s in sources]
    if not items:
        raise SourceError("give at least one SOURCE (a URL, a mirror directory, a web archive "
                          "or a file)")
    urls = [s for s in items if _is_url(s)]
    if urls and len(urls) != len(items):
        raise SourceError("give either source URLs, or one mirror directory, web archive or file")
    if origin is not None:
        origin = check_origin(origin)
    path = Path(items[0])
    archive = not urls and is_archive(path)
    if at is not None and not archive:
        raise ImportConfigError("--at chooses among a web archive's captures; "
                                "SOURCE is no web archive")
    if urls:
        return _open_site(urls, origin, fetch_options)
    if len(items) != 1:
        raise SourceError("give one mirror directory, web archive or HTML file (not several)")
    max_bytes = fetch_options.get("max_bytes", DEFAULT_MAX_BYTES)
    if archive:
        return _open_copy(ArchiveReader(path, at=at, max_bytes=max_bytes), path, origin)
    if path.is_dir():
        return _open_copy(MirrorReader(path, max_bytes=max_bytes), path, origin)
    if path.is_file():
        return _open_file(path, origin, max_bytes)
    raise SourceError(f"{path}: no such file or directory (nor an http(s) URL)")


def _open_site(urls: list[str], origin: str | None, fetch_options) -> SourceSetup:
    reader = Fetcher.for_sources(urls, **fetch_options)
    if origin is None:
        try:
            first = reader.fetch(urls[0])
        except FetchError as exc:
            reader.close()
            raise ImportConfigError(
                f"cannot read {urls[0]} to find the origin ({exc.reason}); give --origin"
            ) from exc
        origin = _base_href(first.body, first.charset) or base_dir(urls[0])
    base = default_source_base(urls[0], origin)
    source = Source(reader, base, tuple(to_origin(u, base, origin) for u in urls))
    return _setup(origin, source)


def _open_copy(reader: MirrorReader | ArchiveReader, path: Path, origin: str | None):
    """A mirror or an archive: every page in it is a start page."""
    pages = reader.urls()
    if not pages:
        raise SourceError(f"{path}: no HTML pages in this "
                          + ("web archive" if isinstance(reader, ArchiveReader) else "mirror"))
    if origin is None:
        first = reader.fetch(pages[0])
        origin = _base_href(first.body, first.charset) or base_dir(pages[0])
    base = default_source_base(pages[0], origin)
    if isinstance(reader, ArchiveReader):  # an archive may hold other sites' pages too
        pages = [u for u in pages if is_under(u, base)]
    start = tuple(sorted(to_origin(u, base, origin) for u in pages))
    return _setup(origin, Source(reader, base, start))


def _open_file(path: Path, origin: str | None, max_bytes: int) -> SourceSetup:
    """One saved page stands for the origin URL its name spells (``index.php?id=209.html``)."""
    if origin is None:
        origin = _base_href(path.read_bytes()[:8192], None)
        if origin is None:
            raise ImportConfigError(f"{path} has no <base href>; give --origin")
    guess = url_from_mirror_path("host/" + path.name)
    url = canonicalize(base_dir(origin) + guess.split("/host/", 1)[1])
    reader = FileReader(path, url, max_bytes=max_bytes)
    return SourceSetup(origin, Source(reader, base_dir(origin), (url,)), None)


def _setup(origin: str, source: Source) -> SourceSetup:
    reader = source.reader
    # Linked files are fetched from the origin's host and the hosts the source itself holds.
    held = reader.allowed_hosts if isinstance(reader, Fetcher) else reader.hosts
    hosts = frozenset({host_of(origin), *held})
    setup = SourceSetup(origin, source, None, DocumentSource(source, origin, hosts))
    setup.image_source = lambda url: setup.read_file(url, IMAGE_TYPES).body
    return setup


def with_start(source: Source, start: tuple[str, ...]) -> Source:
    return replace(source, start_urls=start)

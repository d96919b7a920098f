"""Turn the command's SOURCE arguments and ``--origin`` into a readable source.

Builds on :mod:`importers.crawl` (readers and the crawl) and adds what the
command needs around it: clear configuration errors before anything is read,
the origin guessed from the pages' ``<base href>`` when not given, and
reading a page's images and documents through the run's reader (the source
hosts with their robots.txt, size cap and redirect rules, or the mirror's
files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from importers.crawl import Source, mirror_source, open_sources
from importers.decode import decode
from importers.fetch import (
    DEFAULT_MAX_BYTES,
    IMAGE_TYPES,
    Fetcher,
    FetchError,
    FetchResult,
    Validators,
)
from importers.mirror import MirrorReader
from importers.urls import base_dir, host_of, to_origin, to_source

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


class ImportConfigError(Exception):
    """A usage or configuration problem: the command exits 2 with this one-line message."""


@dataclass
class SourceSetup:
    origin: str
    source: Source
    image_source: Callable[[str], bytes | None] | None
    document_source: DocumentSource | None = None

    def close(self) -> None:
        if isinstance(self.source.reader, Fetcher):
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


def open_source(sources: list[str], origin: str | None, **fetch_options) -> SourceSetup:
    if not sources:
        raise ImportConfigError("give at least one SOURCE (a URL, a mirror directory or a file)")
    urls = [s for s in sources if _is_url(s)]
    if urls and len(urls) != len(sources):
        raise ImportConfigError("give either source URLs, or one mirror directory, or one file")
    if origin is not None:
        origin = check_origin(origin)
    if urls:
        return _open_site(urls, origin, fetch_options)
    if len(sources) != 1:
        raise ImportConfigError("give one mirror directory or one HTML file (not several)")
    path = Path(sources[0])
    if path.is_dir():
        return _open_mirror(path, origin, fetch_options)
    if path.is_file():
        return _open_file(path, origin, fetch_options)
    raise ImportConfigError(f"{path}: no such file or directory (nor an http(s) URL)")


def _open_site(urls: list[str], origin: str | None, fetch_options) -> SourceSetup:
    if origin is None:
        with Fetcher.for_sources(urls, **fetch_options) as probe:
            try:
                first = probe.fetch(urls[0])
            except FetchError as exc:
                raise ImportConfigError(
                    f"cannot read {urls[0]} to find the origin ({exc.reason}); give --origin"
                ) from exc
        origin = _base_href(first.body, first.charset) or base_dir(urls[0])
    source = open_sources(urls, origin, **fetch_options)
    hosts = frozenset({host_of(origin), *source.reader.allowed_hosts})
    return SourceSetup(
        origin, source, _image_reader(source, origin), DocumentSource(source, origin, hosts)
    )


def _open_mirror(path: Path, origin: str | None, fetch_options) -> SourceSetup:
    mirror = MirrorReader(path, max_bytes=fetch_options.get("max_bytes", DEFAULT_MAX_BYTES))
    pages = mirror.urls()
    if not pages:
        raise ImportConfigError(f"{path}: no HTML pages in this mirror")
    if origin is None:
        first = mirror.fetch(pages[0])
        origin = _base_href(first.body, first.charset) or base_dir(pages[0])
    source = mirror_source(mirror, origin)
    hosts = frozenset({host_of(origin), *mirror.hosts})
    return SourceSetup(
        origin, source, _image_reader(source, origin), DocumentSource(source, origin, hosts)
    )


def _open_file(path: Path, origin: str | None, fetch_options) -> SourceSetup:
    if origin is None:
        origin = _base_href(path.read_bytes()[:8192], None)
        if origin is None:
            raise ImportConfigError(f"{path} has no <base href>; give --origin")
    return SourceSetup(origin, open_sources([str(path)], origin, **fetch_options), None)


def with_start(source: Source, start: tuple[str, ...]) -> Source:
    return replace(source, start_urls=start)


def _image_reader(source: Source, origin: str) -> Callable[[str], bytes]:
    """A page's images (origin URLs) read the way its pages are, from where they are."""

    def read(url: str) -> bytes:
        return source.reader.fetch(to_source(url, origin, source.base), accept=IMAGE_TYPES).body

    return read

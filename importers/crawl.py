"""Crawl the legacy site breadth-first, from any reader, page by page.

One loop for every reader (the live host, a mirror, one file) and every
caller: it keeps URLs canonical under the origin (so a page reachable under
several URLs is read once), folds redirects into the page they land on,
follows only page links under the origin, and says which links are dead and
which pages failed instead of stopping.  Callers that parse the pages anyway
(:mod:`importers.reading`) hand the links back through ``links_for`` so no
page is parsed twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .decode import decode
from .extract.links import page_links
from .fetch import DEFAULT_MAX_BYTES, Fetcher, FetchError, FetchResult, SourceError
from .mirror import FileReader, MirrorReader
from .urls import (
    base_dir,
    canonicalize,
    default_source_base,
    to_origin,
    to_source,
    url_from_mirror_path,
)


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
    """A :class:`Source` for live URLs, one mirror directory (or a folder in it), or one file.

    A single file stands for the origin URL its name spells
    (``index.php?id=209.html`` → ``<origin>index.php?id=209``).  Sources that
    cannot be read as a site raise :class:`~importers.fetch.SourceError`.
    """
    items = [str(s) for s in sources]
    if not items:
        raise SourceError("no sources given")
    if all(urlsplit(s).scheme in ("http", "https") for s in items):
        base = default_source_base(items[0], origin)
        reader = Fetcher.for_sources(items, **fetch_options)
        return Source(reader, base, tuple(to_origin(s, base, origin) for s in items))
    if len(items) != 1:
        raise SourceError("give either source URLs, or one mirror directory, or one HTML file")
    path = Path(items[0])
    max_bytes = fetch_options.get("max_bytes", DEFAULT_MAX_BYTES)
    if path.is_dir():
        return mirror_source(MirrorReader(path, max_bytes=max_bytes), origin)
    if path.is_file():
        guess = url_from_mirror_path("host/" + path.name)
        url = canonicalize(base_dir(origin) + guess.split("/host/", 1)[1])
        return Source(FileReader(path, url, max_bytes=max_bytes), base_dir(origin), (url,))
    raise SourceError(f"{items[0]} is neither a URL, a directory nor a file")


def mirror_source(mirror: MirrorReader, origin: str) -> Source:
    """Every page of the mirror (or of the folder in it asked for) is a start page."""
    pages = mirror.urls()
    base = default_source_base(pages[0], origin) if pages else base_dir(origin)
    return Source(mirror, base, tuple(sorted(to_origin(u, base, origin) for u in pages)))


def crawl(
    sources: Iterable[str | Path],
    origin: str,
    *,
    source: Source | None = None,
    max_pages: int = 1000,
    follow: bool = True,
    links_for: Callable[[CrawledPage], list[str] | None] | None = None,
    **fetch_options,
) -> Iterator[CrawledPage | DeadLink | CrawlFailure]:
    """Breadth-first over the legacy site, yielding ``CrawledPage | DeadLink | CrawlFailure``.

    Page URLs are canonical origin URLs (deduplicated, session ids gone);
    they are read from the source's base instead of the origin.  Only page
    links under the origin are followed; at most ``max_pages`` pages are read.
    ``links_for(page)``, asked once the consumer is done with ``page``, may
    give its links (from a snapshot, or a parse the consumer made anyway);
    ``None`` means the crawl parses the page itself.
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
        refs = tuple(referrers.pop(url, ()))
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
        page = CrawledPage(final, result.url, result, refs[0] if refs else None)
        yield page
        if not follow:
            continue
        links = links_for(page) if links_for is not None else None
        if links is None:
            links = page_links(decode(page.result.body, page.result.charset).text,
                               final, origin, source.base)
        for link in links:
            if link not in done:
                referrers.setdefault(link, []).append(final)
            if link not in seen:
                seen.add(link)
                queue.append(link)

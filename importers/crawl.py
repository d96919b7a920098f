"""Crawl the legacy site breadth-first, from any reader, page by page.

One loop for every reader (the live host, a mirror, a web archive, one
file; opened by :func:`importers.sources.open_source`) and every
caller: it keeps URLs canonical under the origin (so a page reachable under
several URLs is read once), folds redirects into the page they land on,
follows only page links under the origin, and says which links are dead and
which pages failed instead of stopping.  Callers that parse the pages anyway
(:mod:`importers.reading`) hand the links back through ``links_for`` so no
page is parsed twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from bs4 import BeautifulSoup

from .decode import decode
from .extract import hrefs
from .lookahead import Lookahead
from .reader import FetchError, FetchResult
from .urls import Source, canonicalize, is_page_url, is_under


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
    """A link to a page that does not exist (404/410, or missing from a mirror or archive)."""


def pages_linked(found: list[str], source: Source) -> list[str]:
    """The site pages among a page's absolute link targets, as canonical origin URLs.

    Links spelled with the source's address (a staging host) are mapped back
    to the origin, so each page has one identity.
    """
    linked = (source.to_origin(url) for url in found)
    return list(dict.fromkeys(
        canonicalize(url) for url in linked if is_under(url, source.origin) and is_page_url(url)
    ))


def crawl(
    source: Source,
    *,
    max_pages: int = 1000,
    follow: bool = True,
    links_for: Callable[[CrawledPage], list[str] | None] | None = None,
) -> Iterator[CrawledPage | DeadLink | CrawlFailure]:
    """Breadth-first over the legacy site, yielding ``CrawledPage | DeadLink | CrawlFailure``.

    Page URLs are canonical origin URLs (deduplicated, session ids gone);
    they are read from the source's base instead of the origin.  Only page
    links under the origin are followed; at most ``max_pages`` pages are read.
    ``links_for(page)``, asked once the consumer is done with ``page``, may
    give its links (from a snapshot, or a parse the consumer made anyway);
    ``None`` means the crawl parses the page itself.  A reader that takes
    several reads at once (a live host) is read ahead along the queue; what
    is yielded, and in what order, is the same.
    """
    ahead = Lookahead(lambda url: source.read(source.to_source(url)), source.reader.concurrency)
    queue = deque(source.start_urls)
    seen = set(source.start_urls)
    done: set[str] = set()
    referrers: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < max_pages:
        ahead.plan(islice(queue, max_pages - pages))  # no read past the last page taken
        url = queue.popleft()
        src = source.to_source(url)
        refs = tuple(referrers.pop(url, ()))
        try:
            result = ahead.read(url)
        except FetchError as exc:
            kind = DeadLink if exc.dead else CrawlFailure
            yield kind(url, src, refs, exc.reason)
            continue
        final = source.to_origin(result.url)
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
            html = decode(page.result.body, page.result.charset).text
            links = pages_linked(hrefs(BeautifulSoup(html, "lxml"), final), source)
        for link in links:
            if link not in done:
                referrers.setdefault(link, []).append(final)
            if link not in seen:
                seen.add(link)
                queue.append(link)
    ahead.close()

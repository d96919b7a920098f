"""Crawl the legacy site breadth-first, from any reader, page by page.

One loop for every reader (the live host, a mirror, a web archive, one
file; opened by :func:`importers.sources.open_source`) and every
caller: it keeps URLs canonical under the origin (so a page reachable under
several URLs is read once), folds redirects into the page they land on,
follows only page links under the origin, and says which links are dead and
which pages failed instead of stopping.  Callers that parse the pages anyway
(:mod:`importers.reading`) hand the links back through ``links_for`` so no
page is parsed twice.  The crawl's state is a :class:`Frontier`; with a
memory (:mod:`importers.crawl_memory`) it keeps what each URL gave, and a run
that continues a killed one takes those answers instead of fetching again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from bs4 import BeautifulSoup

from .crawl_memory import Answer, CrawlMemory, Forgetful
from .decode import decode
from .extract import hrefs
from .lookahead import Lookahead
from .reader import FetchError, FetchResult
from .urls import Source, canonicalize, is_page_url, is_under


@dataclass(frozen=True)
class CrawledPage:
    url: str  # canonical origin URL of the page
    source_url: str  # where it was read from
    result: FetchResult  # ``not_modified`` when an earlier run's answer stands in (Frontier)
    referrer: str | None = None
    asked: str = ""  # the canonical origin URL the crawl asked for (before redirects)


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


#: Seconds of fetching a killed run may lose: answers are written before the next fetch
#: once the fetches not yet written took this long (on a distant server: before every
#: fetch; from a mirror, in batches).
UNWRITTEN_FETCHING = 0.05


class Frontier:
    """The crawl's state: the URLs queued (breadth-first), seen and done, and the pages
    linking to those not read yet; and its ``memory``.

    A URL whose answer the memory recalls (a killed run of the same crawl read
    it) is not fetched: the answer stands in, so the crawl, replayed in the
    same order, rebuilds the queue the killed run had and goes on from there.
    """

    def __init__(self, start: Iterable[str], memory: CrawlMemory | None = None) -> None:
        self.queue = deque(start)
        self.seen = set(self.queue)
        self.done: set[str] = set()
        self.referrers: dict[str, list[str]] = {}
        self.memory = memory or Forgetful()
        self._unwritten = 0.0  # seconds spent fetching what the memory has not written

    def take(self) -> tuple[str, tuple[str, ...]]:
        """The next URL, and the pages seen linking to it."""
        url = self.queue.popleft()
        return url, tuple(self.referrers.pop(url, ()))

    def upcoming(self) -> Iterator[str]:
        """The queued URLs (head first) that will be fetched: those no earlier run kept."""
        return (url for url in self.queue if self.memory.recall(url) is None)

    def read(self, source: Source, url: str, src: str, ahead: Lookahead) -> FetchResult:
        """``url``'s answer: as kept by an earlier run, or fetched from ``src`` (and kept)
        through ``ahead``, which may have read it already."""
        kept = self.memory.recall(url)
        if kept is not None and (kept.kind != "landed"
                                 or source.to_origin(kept.source_url) in self.done):
            if kept.kind in ("dead", "failed"):
                raise FetchError(src, kept.reason, dead=kept.kind == "dead")
            return FetchResult(kept.source_url, 304, "", None, b"", requested_url=src)
        if self._unwritten >= UNWRITTEN_FETCHING:
            self.memory.flush()
            self._unwritten = 0.0
        try:
            return ahead.read(src)
        except FetchError as exc:
            self.memory.keep(url, Answer("dead" if exc.dead else "failed", reason=exc.reason))
            raise
        finally:  # the fetch's own time, even when it was made ahead, while others waited
            self._unwritten += ahead.took

    def landed(self, url: str, final: str, source_url: str) -> bool:
        """Whether ``url``, read at ``final``, is a page not read before (it is now done)."""
        if final in self.done:
            self.memory.keep(url, Answer("landed", source_url))
            return False
        self.done.update((url, final))
        self.seen.add(final)
        return True

    def follow(self, page: str, links: list[str]) -> None:
        for link in links:
            if link not in self.done:
                self.referrers.setdefault(link, []).append(page)
            if link not in self.seen:
                self.seen.add(link)
                self.queue.append(link)


def crawl(
    source: Source,
    *,
    max_pages: int = 1000,
    follow: bool = True,
    links_for: Callable[[CrawledPage], list[str] | None] | None = None,
    frontier: Frontier | None = None,
) -> Iterator[CrawledPage | DeadLink | CrawlFailure]:
    """Breadth-first over the legacy site, yielding ``CrawledPage | DeadLink | CrawlFailure``.

    Page URLs are canonical origin URLs (deduplicated, session ids gone);
    they are read from the source's base instead of the origin.  Only page
    links under the origin are followed; at most ``max_pages`` pages are read.
    ``links_for(page)``, asked once the consumer is done with ``page``, may
    give its links (from a snapshot, or a parse the consumer made anyway);
    ``None`` means the crawl parses the page itself.  ``frontier`` (by default
    a new one from the start pages, keeping nothing) holds the crawl's state.
    A reader that takes several reads at once (a live host) is read ahead
    along the queue; what is yielded, and in what order, is the same.
    """
    frontier = frontier or Frontier(source.start_urls)
    ahead = Lookahead(source.read, source.reader.concurrency)
    pages = 0
    while frontier.queue and pages < max_pages:
        # no read past the last page taken, and none of a URL an earlier run kept
        ahead.plan(source.to_source(u) for u in islice(frontier.upcoming(), max_pages - pages))
        url, refs = frontier.take()
        src = source.to_source(url)
        try:
            result = frontier.read(source, url, src, ahead)
        except FetchError as exc:
            kind = DeadLink if exc.dead else CrawlFailure
            yield kind(url, src, refs, exc.reason)
            continue
        final = source.to_origin(result.url)
        if not frontier.landed(url, final, result.url):
            continue
        pages += 1
        page = CrawledPage(final, result.url, result, refs[0] if refs else None, url)
        yield page
        if not follow:
            continue
        links = links_for(page) if links_for is not None else None
        if links is None:
            html = decode(page.result.body, page.result.charset).text
            links = pages_linked(hrefs(BeautifulSoup(html, "lxml"), final), source)
        frontier.follow(final, links)
    ahead.close()
    frontier.memory.flush()

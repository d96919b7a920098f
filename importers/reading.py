"""Read the legacy site: crawl, decode and extract, skipping pages that did not change.

The crawl is :func:`importers.crawl.crawl`; this adds what makes a re-run
over an unchanged site cheap: when a fetched page's bytes hash to the
snapshot the ID map kept from the last import, the snapshot's record and
links stand in for decoding, extracting and finishing its rich text for the
editor (:mod:`importers.editor_html`).  A page that is parsed gives
the crawl the links found by the same parse, so no page is parsed twice
either way.  What each page gave is kept in the crawl's frontier, so that a
run killed part-way is continued without fetching those pages again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from importers.crawl import CrawledPage, CrawlFailure, DeadLink, Frontier, crawl, pages_linked
from importers.crawl_memory import Answer
from importers.decode import NotHtml, decode, require_html
from importers.editor_html import finish_record
from importers.extract import extract
from importers.extract.limits import DEFAULT_TIME_BUDGET, UnreadablePage, time_budget
from importers.records import PageRecord
from importers.snapshots import from_snapshot, page_hash, to_snapshot
from importers.urls import Source

log = logging.getLogger(__name__)


@dataclass
class ReadPage:
    url: str  # canonical origin URL
    record: PageRecord
    page_hash: str
    links: list[str]  # site pages it links to (what the crawl follows)
    from_snapshot: bool = False


class Failures(Protocol):
    def get(self, url: str) -> tuple[str, str] | None: ...


@dataclass(frozen=True)
class FailedContent(CrawlFailure):
    """A page fetched fine whose content cannot be read; remembered by its bytes' hash."""

    page_hash: str = ""
    remembered: bool = False  # the same bytes failed on an earlier run and were not parsed


def read_pages(
    source: Source,
    *,
    snapshots: dict[str, tuple[str, dict]],
    failures: Failures | None = None,
    project_start: str = "2005-01",
    max_pages: int = 10_000,
    follow: bool = True,
    page_time_budget: float | None = DEFAULT_TIME_BUDGET,
    frontier: Frontier | None = None,
) -> Iterator[ReadPage | DeadLink | CrawlFailure]:
    """Every page the crawl reaches, as a record; ``snapshots`` is used up as it goes.

    ``failures`` gives (page hash, reason) of a page whose content failed
    before, asked only for pages not in ``snapshots``: the same bytes fail
    again without being parsed.  ``frontier`` holds the crawl's state and
    memory (what a killed run read stands in for fetching the page again).
    """
    failures = failures or {}
    frontier = frontier or Frontier(source.start_urls)
    links: dict[str, list[str]] = {}  # of the page just read, until the crawl asks
    crawled = crawl(
        source, max_pages=max_pages, follow=follow, frontier=frontier,
        links_for=lambda page: links.pop(page.url, []),  # a page that failed is not followed
    )
    for item in crawled:
        if isinstance(item, CrawledPage):
            page = item
            kept = frontier.memory.recall(page.asked) if page.result.not_modified else None
            if kept is not None:
                item = _again(page, kept)
            else:
                item = _read(page, source, snapshots, failures, project_start, page_time_budget)
                frontier.memory.keep(page.asked, _answer(item, page.source_url))
            if isinstance(item, ReadPage):
                links[item.url] = item.links
        yield item


def _again(page: CrawledPage, kept: Answer) -> ReadPage | CrawlFailure:
    """What an earlier run read at the page, as it read it then."""
    if kept.kind == "page":
        record, links = from_snapshot(kept.snapshot or {})
        return ReadPage(page.url, record, kept.page_hash, links, from_snapshot=True)
    referrers = (page.referrer,) if page.referrer else ()
    return FailedContent(page.url, page.source_url, referrers, kept.reason, kept.page_hash)


def _answer(item: ReadPage | CrawlFailure, source_url: str) -> Answer:
    if isinstance(item, ReadPage):
        return Answer("page", source_url, page_hash=item.page_hash,
                      snapshot=to_snapshot(item.record, item.links))
    assert isinstance(item, FailedContent)
    return Answer("unreadable", source_url, reason=item.reason, page_hash=item.page_hash)


def _read(
    page: CrawledPage,
    source: Source,
    snapshots: dict[str, tuple[str, dict]],
    failures: Failures,
    project_start: str,
    page_time_budget: float | None,
) -> ReadPage | CrawlFailure:
    """One crawled page as a record: from its snapshot, or decoded and extracted once."""
    result = page.result
    digest = page_hash(result.body, origin=source.origin, project_start=project_start,
                       charset=result.charset)
    cached = snapshots.pop(page.url, None)
    if cached is not None and cached[0] == digest:
        record, links = from_snapshot(cached[1])
        return ReadPage(page.url, record, digest, links, from_snapshot=True)
    referrers = (page.referrer,) if page.referrer else ()
    # A page that ran out of time is remembered with the budget it had: a larger one reads it.
    budget_digest = hashlib.sha256(f"{digest}\0{page_time_budget}".encode()).hexdigest()
    failed = failures.get(page.url)
    if failed is not None and failed[0] in (digest, budget_digest):
        return FailedContent(page.url, page.source_url, referrers, failed[1], failed[0], True)
    try:
        with time_budget(page_time_budget):
            decoded = decode(result.body, result.charset)
            require_html(decoded.text)
            record, found = extract(decoded.text, page.url, source.origin,
                                    project_start=project_start)
            finish_record(record)
            links = pages_linked(found, source)
    except (NotHtml, UnreadablePage) as exc:
        key = budget_digest if getattr(exc, "over_budget", False) else digest
        return FailedContent(page.url, page.source_url, referrers, str(exc), key)
    except Exception as exc:  # a page extract cannot read fails alone
        log.debug("extracting %s failed", page.url, exc_info=True)
        reason = f"could not read the page: {type(exc).__name__}: {exc}"
        return FailedContent(page.url, page.source_url, referrers, reason, digest)
    record.warnings[:0] = decoded.warnings
    return ReadPage(page.url, record, digest, links)

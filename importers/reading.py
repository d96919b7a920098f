"""Read the legacy site: crawl, decode and extract, skipping pages that did not change.

The same breadth-first crawl as :func:`importers.fetch.crawl` (canonical
origin URLs, redirects folded, dead links and failures yielded, at most
``max_pages`` pages), with one addition: when a fetched page's bytes hash to
the snapshot the ID map kept from the last import, the snapshot's record and
links stand in for decoding, extracting and link-parsing it.  That is what
makes a re-run over an unchanged site cheap.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from importers.decode import decode
from importers.extract import extract_page
from importers.extract.links import page_links
from importers.fetch import CrawlFailure, DeadLink, FetchError, Source
from importers.records import PageRecord
from importers.snapshots import from_snapshot, page_hash
from importers.urls import to_origin, to_source

log = logging.getLogger(__name__)


@dataclass
class ReadPage:
    url: str  # canonical origin URL
    record: PageRecord
    page_hash: str
    links: list[str]  # site pages it links to (what the crawl follows)
    from_snapshot: bool = False


def read_pages(
    source: Source,
    origin: str,
    *,
    snapshots: dict[str, tuple[str, dict]],
    project_start: str = "2005-01",
    max_pages: int = 10_000,
    follow: bool = True,
) -> Iterator[ReadPage | DeadLink | CrawlFailure]:
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
            yield (DeadLink if exc.dead else CrawlFailure)(url, src, refs, exc.reason)
            continue
        final = to_origin(result.url, source.base, origin)
        if final in done:
            continue
        done.update((url, final))
        seen.add(final)
        pages += 1
        digest = page_hash(result.body, origin=origin, project_start=project_start,
                           charset=result.charset)
        cached = snapshots.pop(final, None)
        if cached is not None and cached[0] == digest:
            record, links = from_snapshot(cached[1])
            page = ReadPage(final, record, digest, links, from_snapshot=True)
        else:
            try:
                decoded = decode(result.body, result.charset)
                record = extract_page(decoded.text, final, origin, project_start=project_start)
                links = page_links(decoded.text, final, origin, source.base)
            except Exception as exc:  # a page extract cannot read fails alone
                log.debug("extracting %s failed", final, exc_info=True)
                reason = f"could not read the page: {type(exc).__name__}: {exc}"
                yield CrawlFailure(final, src, refs, reason)
                continue
            record.warnings[:0] = decoded.warnings
            page = ReadPage(final, record, digest, links)
        del result
        yield page
        if not follow:
            continue
        for link in page.links:
            if link not in done:
                referrers.setdefault(link, []).append(final)
            if link not in seen:
                seen.add(link)
                queue.append(link)

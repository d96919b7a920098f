"""Reading a slow live host over several connections, politely, with the results of one.

A real server on 127.0.0.1 answers each request after a fixed latency (as a
distant legacy server does); it counts the connections and the requests it
serves at once and notes when each request arrived, so the limits are
measured where they matter: on the server.
"""

from __future__ import annotations

import email.utils
import threading
import time

import pytest

from importers.crawl import crawl
from importers.fetch import Fetcher
from importers.pipeline import ImportOptions, run_import
from importers.reader import FetchError
from importers.sources import open_source

from .conftest import ORIGIN

LATENCY = 0.1


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def _page(n: int, links: list[str]) -> str:
    anchors = "".join(f'<li><a href="{href}">link {href}</a></li>' for href in links)
    return (f"<html><head><title>BaltMet Inno: Page {n}</title></head><body>"
            f"<!--TYPO3SEARCH_begin--><h1>Page {n}</h1><p>Text of page {n}.</p>"
            f"<ul>{anchors}</ul><!--TYPO3SEARCH_end--></body></html>")


def serve_site(server, pages: int, *, troubles: bool = False) -> str:
    """A site of ``pages`` pages under ``_site/``: a home page linking to all, each page to
    its next two.  With ``troubles``: dead links, a redirect, a page failing for good, one
    failing once, and one answering 429 once.  Returns the home page's URL."""
    def href(n: int) -> str:
        return f"index.php?id={n}&s=site"

    for n in range(1, pages + 1):
        links = ([href(i) for i in range(2, pages + 1)] if n == 1
                 else [href(i) for i in (n + 1, n + 2) if i <= pages])
        if troubles and n % 5 == 0:
            links.append(f"index.php?id={900 + n}&s=site")  # gone: dead links
        server.set_route(href(n), body=_page(n, links))
    if troubles:
        server.set_route(href(4), status=301, headers={"Location": href(3)})
        server.set_route(href(6), status=500, body=b"down")
        server.set_route(href(7), body=_page(7, [href(8)]), fail_times=1)
        server.set_route(href(8), body=_page(8, [href(9)]), fail_times=1, fail_status=429,
                         fail_headers={"Retry-After": "1"})
    return server.url(href(1))


def crawled(source) -> list[tuple]:
    return [(type(item).__name__, item.url, getattr(item, "reason", ""),
             getattr(item, "referrers", ()))
            for item in crawl(source, max_pages=1000)]


def read_site(start: str, **options):
    source = open_source([start], ORIGIN, retries=2, backoff_factor=0.01, **options)
    try:
        return crawled(source)
    finally:
        source.close()


def test_a_slow_host_is_read_over_the_connection_limit_and_no_more(legacy_server):
    start = serve_site(legacy_server, 30)
    legacy_server.latency = LATENCY
    items = read_site(start, concurrency=3)
    assert len(items) == 30
    # Three requests were answered at once (the lookahead works), never four …
    assert legacy_server.max_in_flight == 3
    assert legacy_server.max_connections <= 3
    # … over three kept-alive connections, robots.txt included.
    assert legacy_server.connections_opened <= 3


def test_the_crawl_yields_what_a_sequential_crawl_yields(legacy_server):
    start = serve_site(legacy_server, 40, troubles=True)
    legacy_server.latency = 0.02
    sequential = read_site(start, concurrency=1)
    assert legacy_server.max_in_flight == 1
    for route in legacy_server.routes.values():  # the failures-once happen again
        route.hits = 0
    concurrent = read_site(start, concurrency=4)
    assert legacy_server.max_in_flight == 4
    assert concurrent == sequential
    kinds = {kind for kind, *_ in sequential}
    assert kinds == {"CrawledPage", "DeadLink", "CrawlFailure"}


def _page_starts(server) -> list[float]:
    return [t for path, t in zip(server.requests, server.starts, strict=True)
            if "robots.txt" not in path]


def _least_gap(starts: list[float]) -> float:
    return min(b - a for a, b in zip(starts, starts[1:], strict=False))


def test_robots_crawl_delay_spaces_request_starts_across_connections(legacy_server):
    start = serve_site(legacy_server, 4)
    legacy_server.set_route("/robots.txt", body="User-agent: *\nCrawl-delay: 1\n",
                            content_type="text/plain")
    legacy_server.latency = LATENCY
    items = read_site(start, concurrency=4)
    assert len(items) == 4
    starts = _page_starts(legacy_server)
    assert len(starts) == 4
    # measured on the server's clock: arrival jitter of a few ms allowed, not a request early
    assert _least_gap(starts) >= 0.95


def test_a_fractional_crawl_delay_is_honoured_too(legacy_server):
    # Python's robotparser reads whole seconds only; "0.4" is what many sites write.
    start = serve_site(legacy_server, 6)
    legacy_server.set_route("/robots.txt", body="User-agent: *\nCrawl-delay: 0.4 # be nice\n",
                            content_type="text/plain")
    legacy_server.latency = LATENCY
    read_site(start, concurrency=4)
    starts = _page_starts(legacy_server)
    assert len(starts) == 6
    assert _least_gap(starts) >= 0.35


def test_the_delay_option_spaces_request_starts_across_connections(legacy_server):
    start = serve_site(legacy_server, 8)
    legacy_server.latency = LATENCY
    read_site(start, concurrency=4, delay=0.25)
    starts = _page_starts(legacy_server)
    assert len(starts) == 8
    assert _least_gap(starts) >= 0.2


@pytest.fixture
def fetcher(legacy_server):
    with Fetcher.for_sources([legacy_server.base_url], timeout=2, retries=2,
                             backoff_factor=0.01, max_retry_wait=5) as fetcher:
        yield fetcher


@pytest.mark.parametrize("retry_after", [
    lambda: "2",
    lambda: email.utils.formatdate(time.time() + 3, usegmt=True),  # an HTTP date: ≥ 2 s
])
def test_a_429_is_retried_after_the_wait_it_asks_for(fetcher, legacy_server, retry_after):
    legacy_server.set_route("busy", body=_page(1, []), fail_times=1, fail_status=429,
                            fail_headers={"Retry-After": retry_after()})
    result = fetcher.fetch(legacy_server.url("busy"))
    assert result.status == 200
    assert legacy_server.statuses("busy") == [429, 200]
    first, second = legacy_server.started("busy")
    assert second - first >= 1.9


def test_the_wait_a_429_asks_for_holds_every_request_to_the_host(fetcher, legacy_server):
    legacy_server.set_route("busy", body=_page(1, []), fail_times=1, fail_status=429,
                            fail_headers={"Retry-After": "2"})
    legacy_server.set_route("other", body=_page(2, []))
    host = f"127.0.0.1:{legacy_server.port}"
    retried = threading.Thread(target=fetcher.fetch, args=(legacy_server.url("busy"),))
    retried.start()
    try:
        wait_for(lambda: fetcher.pacer.due(host) > 1)  # the 429 came back: the host is held
        fetcher.fetch(legacy_server.url("other"))  # another connection, another page
    finally:
        retried.join()
    first_busy = legacy_server.started("busy")[0]
    assert legacy_server.started("other")[0] - first_busy >= 1.9
    assert legacy_server.statuses("busy") == [429, 200]


def test_a_retry_after_beyond_the_limit_is_reported_not_waited_for(fetcher, legacy_server):
    legacy_server.set_route("closed", status=503, headers={"Retry-After": "3600"})
    asked = time.monotonic()
    with pytest.raises(FetchError) as failed:
        fetcher.fetch(legacy_server.url("closed"))
    assert time.monotonic() - asked < 2
    assert legacy_server.hits("closed") == 1  # not retried
    assert failed.value.reason == ("HTTP 503: the server asks to wait 3600 s (Retry-After), "
                                   "more than the 5 s the importer waits; not retried")


def test_a_429_without_end_is_reported_after_the_retries(fetcher, legacy_server):
    legacy_server.set_route("throttled", status=429, body=b"slow down")
    with pytest.raises(FetchError) as failed:
        fetcher.fetch(legacy_server.url("throttled"))
    assert failed.value.reason == "HTTP 429 (too many requests) after 2 retries"
    assert legacy_server.hits("throttled") == 3


def test_an_unreadable_retry_after_counts_as_none(fetcher, legacy_server):
    legacy_server.set_route("odd", body=_page(1, []), fail_times=1, fail_status=503,
                            fail_headers={"Retry-After": "soon"})
    assert fetcher.fetch(legacy_server.url("odd")).status == 200
    assert legacy_server.statuses("odd") == [503, 200]


def _comparable(report) -> dict:
    data = report.as_dict()
    for moment in ("started_at", "finished_at"):
        data.pop(moment, None)
    return data


@pytest.mark.django_db
def test_an_import_over_four_connections_plans_and_writes_what_one_connection_does(
    legacy_server,
):
    start = serve_site(legacy_server, 25, troubles=True)
    legacy_server.latency = 0.02

    def run(concurrency: int, dry_run: bool):
        for route in legacy_server.routes.values():
            route.hits = 0
        return run_import(ImportOptions(sources=[start], origin=ORIGIN, dry_run=dry_run,
                                        concurrency=concurrency, retries=2))

    sequential = run(1, dry_run=True)
    concurrent = run(4, dry_run=True)
    assert legacy_server.max_in_flight == 4
    assert _comparable(concurrent) == _comparable(sequential)
    assert list(concurrent.pages) == list(sequential.pages)  # in the same order
    written = run(4, dry_run=False)
    assert written.totals["created"] == sequential.totals["created"] > 20
    assert [(r.legacy_url, r.title) for r in written.pages.values()] == [
        (r.legacy_url, r.title) for r in sequential.pages.values()]


def test_waiting_for_a_turn_or_a_retry_after_is_not_counted_in_the_answer_deadline(
    legacy_server,
):
    legacy_server.set_route("busy", body=_page(1, []), fail_times=1, fail_status=429,
                            fail_headers={"Retry-After": "2"})
    with Fetcher.for_sources([legacy_server.base_url], answer_time=1, delay=1.5) as fetcher:
        fetcher.fetch(legacy_server.url("busy"))  # after robots.txt's turn and a 2 s wait
    assert legacy_server.statuses("busy") == [429, 200]


@pytest.mark.django_db
@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_pages_images_and_documents_are_read_over_the_connections(
        legacy_server, settings, tmp_path, concurrency):
    import io

    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = tmp_path
    for n in range(8):
        image = io.BytesIO()
        PILImage.new("RGB", (4, 4), (n * 30, 0, 0)).save(image, "PNG")
        legacy_server.set_route(f"fileadmin/{n}.png", body=image.getvalue(),
                                content_type="image/png")
    for n in range(3):
        legacy_server.set_route(f"fileadmin/report-{n}.pdf", body=b"%PDF-1.4\n" + bytes([n]) * 64,
                                content_type="application/pdf")
    body = "".join(f'<p><img src="fileadmin/{n}.png" alt="Image {n}" /></p>' for n in range(8))
    body += "".join(f'<p><a href="fileadmin/report-{n}.pdf">Report {n}</a></p>' for n in range(3))
    legacy_server.set_route("index.php?id=900", body=(
        "<html><head><title>BaltMet Inno: Partners</title></head><body>"
        f"<!--TYPO3SEARCH_begin--><h1>Partners</h1>{body}<!--TYPO3SEARCH_end--></body></html>"))
    legacy_server.latency = LATENCY
    report = run_import(ImportOptions(sources=[legacy_server.url("index.php?id=900")],
                                      origin=ORIGIN, concurrency=concurrency))
    assert report.totals["created"] == 1 and report.totals["documents_created"] == 3
    assert get_image_model().objects.count() == 8
    assert get_document_model().objects.count() == 3
    # one page: what was answered at once were its files
    assert legacy_server.max_in_flight == concurrency


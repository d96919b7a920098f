"""Breadth-first crawl over a live local server, a mirror directory and a single file."""

from __future__ import annotations

import shutil

import pytest

from importers.crawl import CrawledPage, CrawlFailure, DeadLink
from importers.crawl import crawl as crawl_source
from importers.reader import SourceError
from importers.sources import open_source

from .conftest import ORIGIN, SAMPLE_DIR, SAMPLE_SITE, VARIANTS

SAMPLE_PAGES = {
    ORIGIN + "index.php?id=208",
    ORIGIN + "index.php?id=209",
    ORIGIN + "index.php?id=210",
    ORIGIN + "index.php?id=12",
    *(ORIGIN + f"index.php?id=12&gid=2&lid={n}" for n in (93, 95, 96, 97)),
    ORIGIN + "index.php?id=232",  # the partner city, found through the menu
}
MENU_LINKS = {ORIGIN + f"index.php?id={n}" for n in (1, 5, 7, 200)}


def crawl(sources, origin, *, max_pages=1000, follow=True, links_for=None, **fetch_options):
    """Open the sources the one way the command does, and crawl them."""
    source = open_source(sources, origin, **fetch_options)
    try:
        yield from crawl_source(source, max_pages=max_pages, follow=follow, links_for=links_for)
    finally:
        source.close()


def run(*args, **kwargs):
    events = list(crawl(*args, **kwargs))
    pages = [e for e in events if isinstance(e, CrawledPage)]
    dead = [e for e in events if isinstance(e, DeadLink)]
    failed = [e for e in events if isinstance(e, CrawlFailure) and not isinstance(e, DeadLink)]
    return pages, dead, failed


def fast(**extra):
    return {"timeout": 0.5, "retries": 0, "backoff_factor": 0, **extra}


def test_crawls_the_sample_site_from_a_local_server(legacy_server):
    pages, dead, failed = run([legacy_server.url("index.php?id=208")], ORIGIN, **fast())
    assert {p.url for p in pages} == SAMPLE_PAGES
    assert len(pages) == len(SAMPLE_PAGES)  # each page once
    assert pages[0].url == ORIGIN + "index.php?id=208"
    assert all(p.source_url.startswith(legacy_server.base_url) for p in pages)
    assert {d.url for d in dead} == MENU_LINKS  # the image menu links to pages not in the sample
    assert all(d.referrers for d in dead)
    assert failed == []


def test_breadth_first_order(legacy_server):
    def page(*ids):
        links = "".join(f'<a href="index.php?id={i}">p{i}</a>' for i in ids)
        return f'<html><head><base href="{ORIGIN}" /></head><body>{links}</body></html>'

    legacy_server.set_route("index.php?id=501", body=page(502, 503))
    legacy_server.set_route("index.php?id=502", body=page(504))
    legacy_server.set_route("index.php?id=503", body=page(501, 505))
    legacy_server.set_route("index.php?id=504", body=page())
    legacy_server.set_route("index.php?id=505", body=page())
    pages, _, _ = run([legacy_server.url("index.php?id=501")], ORIGIN, **fast())
    assert [p.url.rsplit("=", 1)[1] for p in pages] == ["501", "502", "503", "504", "505"]
    assert pages[3].referrer == ORIGIN + "index.php?id=502"


def test_max_pages(legacy_server):
    pages, _, _ = run([legacy_server.url("index.php?id=208")], ORIGIN, max_pages=3, **fast())
    assert len(pages) == 3


def test_session_ids_are_deduplicated_and_only_pages_are_followed(legacy_server, tmp_path):
    site = tmp_path / "pub"
    site.mkdir()
    shutil.copy(VARIANTS / "crawl_links.html", site / "index.php?id=400.html")
    legacy_server.serve_directory(tmp_path)
    pages, dead, failed = run(
        [legacy_server.url("index.php?id=400")], ORIGIN, follow=True, **fast()
    )
    urls = [p.url for p in pages]
    assert urls.count(ORIGIN + "index.php?id=209") == 1
    assert ORIGIN + "index.php?id=999" in {d.url for d in dead}
    dead_999 = next(d for d in dead if d.url == ORIGIN + "index.php?id=999")
    assert dead_999.referrers == (ORIGIN + "index.php?id=400",)
    requested = " ".join(legacy_server.requests)
    assert "PHPSESSID" not in requested
    assert ".pdf" not in requested and ".jpg" not in requested and ".css" not in requested
    assert failed == []


def test_failures_are_reported_apart_from_dead_links(legacy_server):
    legacy_server.set_route("index.php?id=209", status=500)
    legacy_server.set_route("index.php?id=210", body=b"%PDF", content_type="application/pdf")
    pages, dead, failed = run([legacy_server.url("index.php?id=208")], ORIGIN, **fast())
    assert {f.url for f in failed} == {ORIGIN + "index.php?id=209", ORIGIN + "index.php?id=210"}
    assert "500" in next(f.reason for f in failed if f.url.endswith("209"))
    assert ORIGIN + "index.php?id=209" not in {d.url for d in dead}


def test_redirected_pages_are_keyed_by_their_final_url(legacy_server):
    legacy_server.set_route("old-home", status=301, headers={"Location": "/pub/index.php?id=208"})
    pages, _, _ = run([legacy_server.url("old-home")], ORIGIN, **fast())
    assert pages[0].url == ORIGIN + "index.php?id=208"
    assert [p.url for p in pages].count(ORIGIN + "index.php?id=208") == 1


def test_crawl_a_mirror_directory_without_network():
    pages, dead, failed = run([SAMPLE_DIR], ORIGIN)
    assert {p.url for p in pages} == SAMPLE_PAGES
    assert {d.url for d in dead} == MENU_LINKS
    assert failed == []


def test_crawl_a_single_file_without_following():
    path = SAMPLE_SITE / "pub" / "index.php?id=209.html"
    pages, dead, _ = run([path], ORIGIN, follow=False)
    assert [p.url for p in pages] == [ORIGIN + "index.php?id=209"]
    assert dead == []


def test_crawl_a_folder_inside_the_mirror():
    pages, dead, failed = run([SAMPLE_SITE / "pub"], ORIGIN)
    assert {p.url for p in pages} == SAMPLE_PAGES
    assert {d.url for d in dead} == MENU_LINKS
    assert failed == []


def test_a_folder_that_is_no_mirror_is_refused(tmp_path):
    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / "index.php?id=1.html").write_text("<p>one</p>")
    with pytest.raises(SourceError, match="not a wget mirror"):
        list(crawl([tmp_path / "pub"], ORIGIN))


def test_mixed_sources_are_refused():
    with pytest.raises(SourceError):
        list(crawl([SAMPLE_DIR, "http://127.0.0.1:9/pub/"], ORIGIN))


def test_links_for_supplies_links_instead_of_parsing(legacy_server):
    """A caller that knows a page's links (from a snapshot) spares the crawl parsing it."""
    asked = []

    def links_for(page):
        asked.append(page.url)
        return [ORIGIN + "index.php?id=209"] if page.url.endswith("id=208") else []

    pages, dead, _ = run([legacy_server.url("index.php?id=208")], ORIGIN, links_for=links_for,
                         **fast())
    assert [p.url for p in pages] == [ORIGIN + "index.php?id=208", ORIGIN + "index.php?id=209"]
    assert asked == [p.url for p in pages]
    assert dead == []  # the menu links of the pages were never parsed


def test_links_for_returning_none_parses_the_page(legacy_server):
    pages, dead, _ = run([legacy_server.url("index.php?id=208")], ORIGIN,
                         links_for=lambda page: None, **fast())
    assert {p.url for p in pages} == SAMPLE_PAGES
    assert {d.url for d in dead} == MENU_LINKS

"""Caching: warm requests touch no database, a cold render costs a fixed
number of queries, and concurrent misses render once."""

import threading
import time

import pytest

from syndication.cache import get_or_render, invalidate, lookup
from syndication.document import FeedAddress
from syndication.invalidation import shared_generation
from tests.syndication.conftest import FEED_URLS, reset_cache

#: Site, feed settings, restricted paths, news (with the news page), tags, page links.
COLD_RENDER_QUERIES = 6


def make_many(make_news, make_image, count, tree):
    image = make_image()
    for n in range(count):
        make_news(
            f"Item {n}", day=1 + n % 28, tags=[f"tag-{n % 3}", "shared"], image=image,
            summary="Summary", body=f'<p>See <a linktype="page" id="{tree.news.pk}">news</a>'
            f' and <a href="/x/{n}/">x</a></p>',
        )


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_cold_render_has_a_fixed_query_count(
    client, tree, make_news, make_image, count, fmt, django_assert_num_queries
):
    make_many(make_news, make_image, count, tree)
    client.get(FEED_URLS[fmt])  # Wagtail's own caches (site root paths) warm
    invalidate()
    with django_assert_num_queries(COLD_RENDER_QUERIES):
        response = client.get(FEED_URLS[fmt])
    assert response.status_code == 200
    assert response.content.count(b"Item ") >= min(count, 20)


def test_cold_render_with_every_cache_empty_adds_only_the_cache_reads(
    client, tree, make_news, make_image, django_assert_max_num_queries
):
    """With no shared cache (local memory) the generation lives in the
    database: a process that knows none reads it once; Wagtail reads its
    site root paths once more after its own cache was cleared."""
    make_many(make_news, make_image, 30, tree)
    reset_cache()
    with django_assert_max_num_queries(COLD_RENDER_QUERIES + 2):
        assert client.get(FEED_URLS["atom"]).status_code == 200


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_warm_request_and_revalidation_touch_no_database(
    client, tree, make_news, fmt, django_assert_num_queries
):
    make_news("Item")
    etag = client.get(FEED_URLS[fmt])["ETag"]
    with django_assert_num_queries(0):
        assert client.get(FEED_URLS[fmt]).status_code == 200
        assert client.get(FEED_URLS[fmt], HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_cache_is_keyed_by_format_tag_page_and_host(client, make_news, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    make_news("Item", tags=["Energy"])
    bodies = {
        client.get(url, HTTP_HOST=host).content
        for url in (*FEED_URLS.values(), FEED_URLS["rss"] + "?tag=energy")
        for host in ("testserver", "127.0.0.1")
    }
    assert len(bodies) == 8


def test_invalidation_is_one_write_of_a_new_generation():
    address = FeedAddress("h", "http://h", "rss")
    get_or_render(address, lambda changed_at: (b"one", 0.0, "text/plain", 60))
    before = shared_generation()
    invalidate()
    assert shared_generation() != before
    assert lookup(address)[1] is None
    feed = get_or_render(address, lambda changed_at: (b"two", 0.0, "text/plain", 60))
    assert feed.body == b"two"


def test_concurrent_misses_render_once(monkeypatch, settings):
    """Twelve requests after an invalidation: one renders, and only once the
    eleven others are all waiting for its result do they get it."""
    import syndication.cache

    settings.SYNDICATION_SHARED_CACHE = True  # one process: its cache is shared

    address = FeedAddress("h", "http://h", "atom", "tag", 2)
    renders, pollers, polled = [], set(), threading.Condition()
    real_lookup = syndication.cache.lookup

    def lookup_seen(address, generation=None):
        with polled:
            pollers.add(threading.get_ident())
            polled.notify_all()
        return real_lookup(address, generation)

    monkeypatch.setattr(syndication.cache, "lookup", lookup_seen)

    def render(changed_at):
        renders.append(threading.get_ident())
        with polled:
            assert polled.wait_for(lambda: len(pollers) == 11, timeout=10)
        return b"feed", 0.0, "application/atom+xml", 60

    results = []
    start = threading.Barrier(12)

    def request():
        start.wait()
        results.append(get_or_render(address, render).body)

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results == [b"feed"] * 12
    assert len(renders) == 1
    assert renders[0] not in pollers


def test_waiters_render_themselves_when_the_renderer_never_finishes(settings):
    settings.SYNDICATION_RENDER_WAIT = 0.2
    address = FeedAddress("h", "http://h", "rss")
    generation, _feed = lookup(address)
    from syndication.cache import feed_key, shared_feeds

    key = feed_key(address)
    shared_feeds().fetch_and_lock(key, f"{key}:lock:{generation}", 10)  # a crashed renderer
    feed = get_or_render(address, lambda changed_at: (b"late", 0.0, "text/plain", 60))
    assert feed.body == b"late"


def test_missing_feed_answer_is_cached_too(client, tree):
    """(The 404 itself still costs the redirects middleware its lookups.)"""
    address = FeedAddress("testserver", "http://testserver", "rss", "", 5)
    assert lookup(address)[1] is None
    assert client.get(FEED_URLS["rss"] + "?page=5").status_code == 404
    assert lookup(address)[1].body is None
    assert client.get(FEED_URLS["rss"] + "?page=5").status_code == 404


def test_cache_entry_does_not_outlive_an_items_expiry(client, tree, make_news):
    """The database's clock decides expiry, so this waits for it (polling,
    bounded) rather than travelling in time."""
    import datetime

    from django.utils import timezone

    from cms.models import NewsPage

    page = make_news("Short-lived")
    expiry = timezone.now() + datetime.timedelta(seconds=2)
    NewsPage.objects.filter(pk=page.pk).update(expire_at=expiry)
    invalidate()
    assert b"Short-lived" in client.get(FEED_URLS["rss"]).content
    deadline = time.monotonic() + 10
    while b"Short-lived" in client.get(FEED_URLS["rss"]).content:
        assert time.monotonic() < deadline, "the expired item stayed in the feed"
        time.sleep(0.05)
    assert timezone.now() >= expiry - datetime.timedelta(seconds=0.5)

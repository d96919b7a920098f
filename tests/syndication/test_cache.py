"""Caching: warm requests touch no database, a cold render costs a fixed
number of queries, and concurrent misses render once."""

import threading
import time

import pytest
from django.core.cache import cache

from syndication.cache import (
    GENERATION_KEY,
    get_or_render,
    invalidate,
    lookup,
)
from syndication.document import FeedAddress
from tests.syndication.conftest import FEED_URLS, reset_cache

#: Site with its settings and news page, news, tags, page links in bodies.
COLD_RENDER_QUERIES = 4


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


def test_cold_render_with_every_cache_empty_stays_within_six_queries(
    client, tree, make_news, make_image, django_assert_max_num_queries
):
    make_many(make_news, make_image, 30, tree)
    reset_cache()
    with django_assert_max_num_queries(6):
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
    before = cache.get(GENERATION_KEY)
    invalidate()
    assert cache.get(GENERATION_KEY) != before
    assert lookup(address)[1] is None
    feed = get_or_render(address, lambda changed_at: (b"two", 0.0, "text/plain", 60))
    assert feed.body == b"two"


def test_concurrent_misses_render_once():
    """Twelve requests after an invalidation: one renders, the others read."""
    address = FeedAddress("h", "http://h", "atom", "tag", 2)
    renders = []

    def render(changed_at):
        renders.append(threading.get_ident())
        time.sleep(0.3)  # a slow render: the others arrive meanwhile
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
        thread.join(10)
    assert results == [b"feed"] * 12
    assert len(renders) == 1


def test_waiters_render_themselves_when_the_renderer_never_finishes(settings):
    settings.SYNDICATION_RENDER_WAIT = 0.2
    address = FeedAddress("h", "http://h", "rss")
    generation, _feed = lookup(address)
    from syndication.cache import feed_key

    cache.add(f"{feed_key(address)}:lock:{generation}", 1, 10)  # a crashed renderer
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
    import datetime

    from django.utils import timezone

    from cms.models import NewsPage

    page = make_news("Short-lived")
    NewsPage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() + datetime.timedelta(seconds=2)
    )
    invalidate()
    assert b"Short-lived" in client.get(FEED_URLS["rss"]).content
    time.sleep(3.1)
    assert b"Short-lived" not in client.get(FEED_URLS["rss"]).content

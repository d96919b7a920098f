"""Caching: warm requests touch no database, a cold render costs a fixed
number of queries, and concurrent misses render once."""

import datetime
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.utils.http import parse_http_date

from syndication.address import FeedAddress
from syndication.cache import current_generation, feed_key, invalidate, lookup, store
from syndication.document import Document
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
    """Wagtail reads its site root paths once more after its own cache was
    cleared; the feeds' generation is made in Django's cache, not the database."""
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


def stored(address, body):
    """Render ``body`` as the feed at ``address``, as a cold request would."""
    feed, claim = lookup(address)
    assert feed is None
    return store(claim, document(), body, "text/plain")


def document():
    epoch = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    return Document("id", "T", "D", "A", "en", "http://h/", "http://h/f", "", epoch, "",
                    "http://h/f", None, None)


def test_invalidation_is_one_write_of_a_new_generation():
    address = FeedAddress("h", "http://h", "rss")
    stored(address, b"one")
    assert lookup(address)[0].body == b"one"
    before = current_generation()
    invalidate()
    assert current_generation() != before
    assert stored(address, b"two").body == b"two"
    assert lookup(address)[0].body == b"two"


def test_concurrent_misses_render_once(monkeypatch, settings):
    """Twelve requests after an invalidation: one renders, and only once the
    eleven others are all waiting for its result do they get it."""
    import syndication.cache

    address = FeedAddress("h", "http://h", "atom", "tag", 2)
    renders, pollers, polled = [], set(), threading.Condition()
    real_shared_feed = syndication.cache.shared_feed

    def shared_feed_seen(key, generation):
        with polled:
            pollers.add(threading.get_ident())
            polled.notify_all()
        return real_shared_feed(key, generation)

    monkeypatch.setattr(syndication.cache, "shared_feed", shared_feed_seen)

    results = []
    start = threading.Barrier(12)

    def request():
        start.wait()
        feed, claim = lookup(address)
        if feed is None:
            renders.append(threading.get_ident())
            with polled:
                assert polled.wait_for(lambda: len(pollers) == 11, timeout=10)
            feed = store(claim, document(), b"feed", "application/atom+xml")
        results.append(feed.body)

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
    _feed, crashed = lookup(address)  # takes the lock, never stores
    assert crashed.locked
    feed, claim = lookup(address)
    assert feed is None and not claim.locked
    assert store(claim, document(), b"late", "text/plain").body == b"late"


def test_missing_feed_answer_is_cached_too(client, tree):
    """(The 404 itself still costs the redirects middleware its lookups.)"""
    key = feed_key(FeedAddress("testserver", "http://testserver", "rss", "", 5))
    cache.delete(key)  # a shared cache (Redis) keeps it from an earlier run
    assert cache.get(key) is None
    assert client.get(FEED_URLS["rss"] + "?page=5").status_code == 404
    assert cache.get(key).body is None
    assert client.get(FEED_URLS["rss"] + "?page=5").status_code == 404


def test_a_process_local_cache_shows_another_process_change_after_its_lifetime(
    client, make_news, settings
):
    """Where Django's cache is local to each process nothing tells this
    process about another's change (here: an unpublish whose invalidation
    never runs here); its feed lives a second, and Last-Modified still
    does not go back although the newest item went."""
    settings.SYNDICATION_SHARED_CACHE = False
    settings.SYNDICATION_GENERATION_RECHECK = 1
    make_news("Item 1", day=1)
    newest = make_news("Item 2", day=2)
    first = client.get(FEED_URLS["rss"])
    newest.unpublish()  # its commit hook (the invalidation) never runs
    assert b"Item 2" in client.get(FEED_URLS["rss"]).content  # still current here
    with time_machine.travel(datetime.timedelta(seconds=2)):
        response = client.get(FEED_URLS["rss"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert b"Item 2" not in response.content
    assert parse_http_date(response["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_cache_entry_does_not_outlive_an_items_expiry(client, tree, make_news):
    """The database's clock decides expiry, so this waits for it (polling,
    bounded) rather than travelling in time."""
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


def test_the_generation_stays_in_the_process_where_the_cache_is_not_shared(
    client, make_news, settings, tmp_path
):
    """Local memory reaches this process only: reading the generation from
    it would cost every warm request a cache read and carry nothing."""
    from syndication.cache import GENERATION_KEY

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "generation",
    }}
    make_news("Item")
    assert client.get(FEED_URLS["rss"]).status_code == 200
    assert cache.get(GENERATION_KEY) is None
    before = current_generation()
    invalidate()
    assert current_generation() != before
    assert cache.get(GENERATION_KEY) is None

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
    }}
    invalidate()
    assert cache.get(GENERATION_KEY) == current_generation()


def test_a_shared_generation_is_read_at_most_once_per_recheck(
    client, make_news, settings, django_assert_num_queries
):
    """Where Django's cache is shared (here the database cache, whose reads are
    queries to count), a warm request reads the generation again only once
    ``SYNDICATION_SHARED_RECHECK`` has passed since this process last read
    it; this process's own invalidation shows at once."""
    call_command("createcachetable", "feed_generation_test", verbosity=0)
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "feed_generation_test",
    }}
    settings.SYNDICATION_SHARED_RECHECK = 60
    make_news("First", day=1)
    assert client.get(FEED_URLS["rss"]).status_code == 200
    with django_assert_num_queries(0):
        for _ in range(3):
            assert client.get(FEED_URLS["rss"]).status_code == 200

    settings.SYNDICATION_SHARED_RECHECK = 0
    with django_assert_num_queries(1):  # the generation, read again: one get_many
        assert client.get(FEED_URLS["rss"]).status_code == 200

    settings.SYNDICATION_SHARED_RECHECK = 60
    make_news("Second", day=2)  # invalidates in this process, on commit
    assert b"Second" in client.get(FEED_URLS["rss"]).content


def test_a_feed_cached_by_a_release_with_another_layout_is_not_read(client, make_news):
    """An upgrade meets feeds pickled by the release before it in a shared
    cache: they are under another key, so they are neither read nor fatal."""
    from syndication.cache import LAYOUT

    make_news("Item")
    address = FeedAddress("testserver", "http://testserver", "rss")
    cache.set(feed_key(address, layout="0" * len(LAYOUT)), object(), 60)
    assert feed_key(address) != feed_key(address, layout="0" * len(LAYOUT))
    assert client.get(FEED_URLS["rss"]).status_code == 200

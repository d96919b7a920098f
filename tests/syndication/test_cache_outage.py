"""Feeds through a Redis outage (a redis-server of the test's own, stopped
and started again with the data it held): served from the database while it
is away, each at most a cold render and kept no longer than the recheck;
nothing rendered before the outage, or invalidated during it, is served
once it is back."""

import datetime

import pytest
import time_machine
from django.core.cache import caches

from syndication.address import FeedAddress
from syndication.cache import lookup
from tests.serving import RedisServer
from tests.syndication.conftest import FEED_URLS
from tests.syndication.test_cache import COLD_RENDER_QUERIES

FEED = FEED_URLS["rss"]


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(tmp_path / "redis")
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "cms.fail_soft_cache.FailSoftRedisCache",
        "LOCATION": server.url,
        "KEY_PREFIX": "outage",
        # Every call tries Redis again: the test decides when it is back.
        "OPTIONS": {"RETRY_AFTER": 0},
    }}
    yield server
    caches["default"].close()
    server.stop()


def test_an_invalidation_dropped_during_the_outage_is_not_lost(client, make_news, redis_server):
    make_news("Before the outage")
    assert b"Before the outage" in client.get(FEED).content  # rendered and kept in Redis

    redis_server.stop()
    make_news("During the outage")  # its invalidation cannot reach Redis
    during = client.get(FEED)
    assert during.status_code == 200 and b"During the outage" in during.content

    redis_server.start()  # with the generation and the feed of before the outage
    after = client.get(FEED)
    assert after.status_code == 200 and b"During the outage" in after.content


def test_a_feed_costs_at_most_a_cold_render_while_redis_is_away(
    client, make_news, redis_server, django_assert_max_num_queries
):
    make_news("Some news")
    client.get(FEED)
    redis_server.stop()
    # Wagtail's site root paths come from the database too while Redis is away.
    with django_assert_max_num_queries(COLD_RENDER_QUERIES + 1):
        response = client.get(FEED)
    assert response.status_code == 200 and b"Some news" in response.content


def test_a_feed_rendered_while_redis_is_away_lives_no_longer_than_the_recheck(
    client, make_news, redis_server, settings
):
    settings.SYNDICATION_GENERATION_RECHECK = 1.0
    make_news("Some news")
    redis_server.stop()
    address = FeedAddress("testserver", "http://testserver", "rss")
    with time_machine.travel(datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC)) as clock:
        assert client.get(FEED).status_code == 200
        kept, _claim = lookup(address)
        assert kept is not None and kept.generation is None  # kept in this process…
        clock.shift(1.01)
        assert lookup(address)[0] is None  # …for the recheck at most

"""Cross-process freshness on Redis: two workers, each with its own local
feeds and its own subscriber, as two gunicorn workers have.

The first shows an invalidation reaching the other worker through pub/sub;
the others show that freshness holds without it: a stopped subscription
falls back to reading the shared generation on every request, and a killed
connection is noticed, resubscribed and re-read.
"""

import os
import time

import pytest
import redis
from django.conf import settings

from syndication.cache import LocalFeeds, get_or_render
from syndication.document import FeedAddress
from syndication.invalidation import Watcher, invalidate

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL) for pub/sub"
)
ADDRESS = FeedAddress("worker-test", "http://worker-test", "rss")
#: Pub/sub delivery on loopback takes milliseconds; this only bounds a failure.
DELIVERY = 3.0


class Worker:
    """What one process has: local feeds and a watcher of the generation;
    reads go the way the view's do (local, then shared cache, then render)."""

    def __init__(self, news):
        self.news = news
        self.watcher = Watcher(settings.REDIS_URL)
        self.local = LocalFeeds(size=10)
        self.renders = 0

    def render(self, changed_at):
        self.renders += 1
        return self.news[0].encode(), 0.0, "text/plain", 60

    def read(self):
        generation = self.watcher.current()
        feed = self.local.get(ADDRESS, generation)
        if feed is None:
            feed = get_or_render(ADDRESS, self.render, generation)
            self.local.put(ADDRESS, feed)
        return feed.body.decode()

    def wait_healthy(self):
        deadline = time.monotonic() + DELIVERY
        while not self.watcher.healthy and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.watcher.healthy


def poll(read, expected):
    """(value, seconds) once ``read()`` returns ``expected`` or the bound passes."""
    started = time.monotonic()
    while (value := read()) != expected and time.monotonic() - started < DELIVERY:
        time.sleep(0.005)
    return value, time.monotonic() - started


@pytest.fixture
def workers(settings):
    # No periodic re-read during the test: what arrives, arrives by pub/sub.
    settings.SYNDICATION_GENERATION_RECHECK = 60
    news = ["v1"]
    made = []

    def make():
        worker = Worker(news)
        made.append(worker)
        worker.read()  # starts the subscriber, as a first request does
        assert worker.wait_healthy()
        return worker

    yield news, make
    for worker in made:
        worker.watcher.stop()


def test_a_publish_elsewhere_is_seen_by_each_workers_next_read(workers):
    news, make = workers
    one, other = make(), make()
    assert one.read() == other.read() == "v1"
    renders = one.renders + other.renders
    assert one.read() == other.read() == "v1"
    assert one.renders + other.renders == renders  # local hits, no render

    news[0] = "v2"
    invalidate()  # in this process: a new shared generation, published
    for worker in (one, other):
        value, waited = poll(worker.read, "v2")
        assert value == "v2"
        assert waited < 1.0
        assert worker.watcher.healthy  # delivered by pub/sub, not the fallback


def test_without_a_subscription_every_read_checks_the_shared_generation(workers):
    news, make = workers
    other = make()
    assert other.read() == "v1"
    other.watcher.stop()
    assert not other.watcher.healthy
    news[0] = "v2"
    invalidate()
    assert other.read() == "v2"  # no wait: the fallback reads the generation


def test_a_killed_subscription_is_noticed_and_renewed(workers):
    news, make = workers
    other = make()
    assert other.read() == "v1"
    admin = redis.Redis.from_url(settings.REDIS_URL)
    clients = [c for c in admin.client_list() if c.get("name") == other.watcher.name]
    assert len(clients) == 1
    admin.client_kill_filter(_id=clients[0]["id"])
    news[0] = "v2"
    invalidate()  # its message may be lost with the connection
    value, _waited = poll(other.read, "v2")
    assert value == "v2"
    assert other.wait_healthy()  # subscribed again
    news[0] = "v3"
    invalidate()
    assert poll(other.read, "v3")[0] == "v3"

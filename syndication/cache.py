"""Rendered feeds in two tiers, with one-write invalidation.

Every stored feed carries the *generation* that was current when it was
rendered (see :mod:`syndication.invalidation`); a feed of another
generation is a miss. Invalidating all feeds is one write: a new generation.

Each process keeps the feeds it served in a local dictionary, so a warm
request is a dictionary lookup and no round trip. Behind it, a shared store
lets processes reuse each other's renders: Redis itself (through redis-py,
whose pipelines make a cold render two round trips) when ``REDIS_URL`` is
set, else Django's cache. One global generation, not one per site:
publishing is rare next to polls, a move between sites concerns two sites at
once, and the warm path stays free of any site lookup.

After an invalidation many readers may ask at once; the first takes a lock
and renders, the others wait briefly and read its result.
"""

import hashlib
import pickle
import threading
import time

from django.core.cache import cache

from syndication import conf, redis_client
from syndication.invalidation import (
    GENERATION_KEY,
    current_generation,
    generation_changed_at,
    invalidate,
)
from syndication.response import RenderedFeed, missing_feed, rendered_feed

__all__ = ["GENERATION_KEY", "RenderedFeed", "invalidate", "LocalFeeds"]
WAIT_STEP = 0.02


def feed_key(address):
    digest = hashlib.sha256(repr(address).encode()).hexdigest()[:32]
    return f"syndication:feed:{digest}"


def current(feed, generation):
    return feed if feed is not None and feed.fresh(generation) else None


class CacheFeeds:
    """Rendered feeds shared through Django's cache."""

    def get(self, key):
        return cache.get(key)

    def fetch_and_lock(self, key, lock, timeout):
        return cache.get(key), cache.add(lock, 1, timeout=timeout)

    def store(self, key, feed, timeout, lock=None):
        cache.set(key, feed, timeout)
        if lock is not None:
            cache.delete(lock)

    def release(self, lock):
        cache.delete(lock)


class RedisFeeds:
    """Rendered feeds shared through Redis, several commands per round trip."""

    def get(self, key):
        raw = redis_client.client().get(redis_client.key(key))
        return None if raw is None else pickle.loads(raw)  # noqa: S301 - our own values

    def fetch_and_lock(self, key, lock, timeout):
        pipe = redis_client.client().pipeline(transaction=False)
        pipe.get(redis_client.key(key))
        pipe.set(redis_client.key(lock), b"1", nx=True, ex=timeout)
        raw, locked = pipe.execute()
        return (None if raw is None else pickle.loads(raw)), bool(locked)  # noqa: S301

    def store(self, key, feed, timeout, lock=None):
        pipe = redis_client.client().pipeline(transaction=False)
        pipe.set(redis_client.key(key), pickle.dumps(feed), ex=max(1, int(timeout)))
        if lock is not None:
            pipe.delete(redis_client.key(lock))
        pipe.execute()

    def release(self, lock):
        redis_client.client().delete(redis_client.key(lock))


def shared_feeds():
    return RedisFeeds() if conf.redis_url() else CacheFeeds()


def lookup(address, generation=None):
    """(current generation, shared cached feed if it belongs to that generation)."""
    if generation is None:
        generation = current_generation()
    return generation, current(shared_feeds().get(feed_key(address)), generation)


def get_or_render(address, render, generation=None):
    """The shared cached feed at ``address``, rendering it once if it is missing.

    ``render(changed_at)`` returns ``(body, last_modified, content_type,
    timeout)``, or None when there is no such feed; that answer is cached too.
    """
    if generation is None:
        generation = current_generation()
    store = shared_feeds()
    key = feed_key(address)
    lock = f"{key}:lock:{generation}"
    wait = conf.render_wait()
    feed, locked = store.fetch_and_lock(key, lock, max(1, int(wait * 2)))
    feed = current(feed, generation)
    if feed is not None:
        if locked:
            store.release(lock)
        return feed
    if not locked:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            latest, feed = lookup(address)
            if feed is not None or latest != generation:
                break
        if feed is not None:
            return feed
        # The renderer is slow or gone, or news changed meanwhile: render too.
    try:
        rendered = render(generation_changed_at(generation))
        if rendered is None:
            timeout = conf.cache_timeout()
            feed = missing_feed(generation, timeout)
        else:
            body, last_modified, content_type, timeout = rendered
            feed = rendered_feed(
                generation, body, last_modified, content_type, conf.max_age(), timeout
            )
    except BaseException:
        if locked:
            store.release(lock)
        raise
    store.store(key, feed, timeout, lock if locked else None)
    return feed


class LocalFeeds:
    """One process's rendered feeds, by whatever key a request maps to.

    Bounded: the oldest entry goes when it is full (query strings are the
    client's to choose). Entries of an older generation are simply misses;
    the whole store is dropped when the generation moves on.
    """

    def __init__(self, size=None):
        self.size = size
        self.feeds = {}
        self.generation = None
        self.lock = threading.Lock()

    def get(self, key, generation):
        """The feed stored under ``key`` if it is still current, else None."""
        return current(self.feeds.get(key), generation)

    def put(self, key, feed):
        size = self.size or conf.local_feeds()
        with self.lock:
            if feed.generation != self.generation:
                self.feeds = {}
                self.generation = feed.generation
            while len(self.feeds) >= size:
                self.feeds.pop(next(iter(self.feeds)), None)
            self.feeds[key] = feed

    def clear(self):
        with self.lock:
            self.feeds = {}

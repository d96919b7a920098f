"""Rendered feeds in two tiers, with one-write invalidation.

Every stored feed carries the *generation* that was current when it was
rendered (see :mod:`syndication.invalidation`); a feed of another
generation is a miss. Invalidating all feeds is one write: a new generation.

Each process keeps the feeds it served in a local dictionary, so a warm
request is a dictionary lookup and no round trip. Behind it, Django's cache
(Redis in production) shares rendered feeds between processes. One global
generation, not one per site: publishing is rare next to polls, a move
between sites concerns two sites at once, and the warm path stays free of
any site lookup.

After an invalidation many readers may ask at once; the first takes a lock
(``cache.add``) and renders, the others wait briefly and read its result.
"""

import hashlib
import threading
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

from syndication import conf
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


def lookup(address, generation=None):
    """(current generation, shared cached feed if it belongs to that generation)."""
    if generation is None:
        generation = current_generation()
    feed = cache.get(feed_key(address))
    if feed is not None and not feed.fresh(generation):
        feed = None
    return generation, feed


def redis_backend():
    """Django's Redis cache backend, whose client can pipeline commands
    (one round trip for several); None for any other backend."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    return backend if isinstance(backend, RedisCache) else None


def fetch_and_lock(key, lock, generation, lock_timeout):
    """(the shared feed if current, whether ``lock`` was taken): on Redis
    both in one round trip. A taken lock must be released by the caller."""
    backend = redis_backend()
    if backend is None:
        feed = cache.get(key)
        if feed is not None and feed.fresh(generation):
            return feed, False
        return None, cache.add(lock, 1, timeout=lock_timeout)
    client = backend._cache.get_client(write=True)
    serializer = backend._cache._serializer
    pipe = client.pipeline(transaction=False)
    pipe.get(backend.make_and_validate_key(key))
    pipe.set(backend.make_and_validate_key(lock), serializer.dumps(1), nx=True, ex=lock_timeout)
    raw, locked = pipe.execute()
    feed = None if raw is None else serializer.loads(raw)
    if feed is not None and not feed.fresh(generation):
        feed = None
    return feed, bool(locked)


def store_and_unlock(key, feed, timeout, lock=None):
    """Store a rendered feed and release ``lock``: on Redis in one round trip."""
    backend = redis_backend()
    if backend is None:
        cache.set(key, feed, timeout)
        if lock is not None:
            cache.delete(lock)
        return
    pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
    expiry = backend.get_backend_timeout(timeout)
    if expiry == 0:  # as Django's own set(): no time to live, no entry
        pipe.delete(backend.make_and_validate_key(key))
    else:
        pipe.set(
            backend.make_and_validate_key(key), backend._cache._serializer.dumps(feed), ex=expiry
        )
    if lock is not None:
        pipe.delete(backend.make_and_validate_key(lock))
    pipe.execute()


def get_or_render(address, render, generation=None):
    """The shared cached feed at ``address``, rendering it once if it is missing.

    ``render(changed_at)`` returns ``(body, last_modified, content_type,
    timeout)``, or None when there is no such feed; that answer is cached too.

    On Redis a cold render costs two round trips: reading the feed and taking
    the lock together, storing the feed and releasing the lock together.
    """
    if generation is None:
        generation = current_generation()
    key = feed_key(address)
    lock = f"{key}:lock:{generation}"
    wait = conf.render_wait()
    feed, locked = fetch_and_lock(key, lock, generation, max(1, int(wait * 2)))
    if feed is not None:
        if locked:
            cache.delete(lock)
        return feed
    if not locked:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            current, feed = lookup(address)
            if feed is not None or current != generation:
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
            cache.delete(lock)
        raise
    store_and_unlock(key, feed, timeout, lock if locked else None)
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
        feed = self.feeds.get(key)
        if feed is not None and feed.fresh(generation):
            return feed
        return None

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

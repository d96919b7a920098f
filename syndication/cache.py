"""Rendered feeds in Django's cache, with one-write invalidation.

Every stored feed carries the *generation* that was current when it was
rendered. Invalidating all feeds is one cache write: a new generation. A
feed is looked up together with the current generation in one round trip
(``get_many``), and a stored feed from an older generation is a miss.

One global generation, not one per site: publishing is rare next to polls,
a move between sites concerns two sites at once, and the warm path stays
free of any site lookup.

After an invalidation many readers may ask at once; the first takes a lock
(``cache.add``) and renders, the others wait briefly and read its result.
"""

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache

from syndication import conf

GENERATION_KEY = "syndication:generation"
WAIT_STEP = 0.02


@dataclass(frozen=True)
class RenderedFeed:
    generation: str
    body: bytes | None  # None: there is no such feed (cached too)
    etag: str
    last_modified: float
    content_type: str


def new_generation(changed_at=None):
    """A generation token: when the news changed, plus randomness so a token
    recreated after eviction never matches an old one."""
    return f"{changed_at or 0:.6f}:{secrets.token_hex(6)}"


def generation_changed_at(generation):
    """When the news last changed, as known to the cache (0: unknown)."""
    return float(generation.partition(":")[0])


def invalidate():
    """Make every cached feed stale, at once, for every process sharing the cache.

    The change time is in whole seconds (HTTP dates have no less) and moves
    forward even for two changes within one second, by at most one second
    ahead of the clock, so Last-Modified always tells a reader that asks
    If-Modified-Since about the change.
    """
    previous = cache.get(GENERATION_KEY)
    now = math.ceil(time.time())
    changed_at = now
    if previous is not None:
        changed_at = min(max(now, generation_changed_at(previous) + 1), now + 1)
    cache.set(GENERATION_KEY, new_generation(changed_at), None)


def feed_key(address):
    digest = hashlib.sha256(repr(address).encode()).hexdigest()[:32]
    return f"syndication:feed:{digest}"


def lookup(address):
    """(current generation, cached feed if it belongs to that generation)."""
    key = feed_key(address)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    feed = found.get(key)
    if feed is not None and feed.generation != generation:
        feed = None
    return generation, feed


def etag_for(body):
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def get_or_render(address, render):
    """The cached feed at ``address``, rendering it once if it is missing.

    ``render(changed_at)`` returns ``(body, last_modified, content_type,
    timeout)``, or None when there is no such feed; that answer is cached too.
    """
    generation, feed = lookup(address)
    if feed is not None:
        return feed
    key = feed_key(address)
    lock = f"{key}:lock:{generation}"
    wait = conf.render_wait()
    locked = cache.add(lock, 1, timeout=max(1, int(wait * 2)))
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
            feed = RenderedFeed(generation, None, "", 0.0, "")
            timeout = conf.cache_timeout()
        else:
            body, last_modified, content_type, timeout = rendered
            feed = RenderedFeed(generation, body, etag_for(body), last_modified, content_type)
        cache.set(key, feed, timeout)
        return feed
    finally:
        if locked:
            cache.delete(lock)

"""Rendered feeds in Django's cache: one key per feed, one rule for how long.

Every rendered feed carries the *generation* that was current when it was
rendered; a feed of another generation is stale. Invalidating every feed
is one write: a new generation (:func:`invalidate`). One generation for
all sites: publishing is rare next to polls, and a move between sites
concerns two at once.

Each process keeps the feeds it served in memory, by address, in front of
Django's cache (which pickles: a feed is tens of kilobytes), so a warm
request costs at most one read of the generation and no render. Where
Django's cache reaches every process (Redis, Memcached, a database or a
shared folder), the generation is one key of it, and that read makes
another process's change show on the next request. Where it does not
(local memory, the dummy cache), nothing carries a change from one process
to another: the generation is kept in the process itself (reading it costs
nothing), and a feed lives at most ``SYNDICATION_GENERATION_RECHECK``
seconds there (:func:`lifetime`).

While a shared cache does not answer (Redis down: see
:mod:`cms.fail_soft_cache`), there is no generation to read: each process
renders from the database and keeps the feed no longer than
``SYNDICATION_GENERATION_RECHECK`` seconds, as where the cache is local.
Invalidations sent meanwhile were dropped, and Redis may come back with
the generation and feeds of before: so the first process that finds it
back moves to a new generation (:func:`outage_over`) before it reads any.

After an invalidation many readers may ask at once; the first takes a lock
and renders, the others wait briefly and read its result.
"""

import hashlib
import math
import secrets
import threading
import time
from dataclasses import dataclass, fields
from functools import lru_cache

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from syndication import conf
from syndication.address import FeedAddress
from syndication.response import RenderedFeed, missing_feed, rendered_feed

GENERATION_KEY = "syndication:generation"
WAIT_STEP = 0.02


#: The rendered feed's layout: a feed pickled by a release whose RenderedFeed
#: had other fields is under another key, never read (nor crashing) here.
LAYOUT = hashlib.sha256(
    repr([field.name for field in fields(RenderedFeed)]).encode()
).hexdigest()[:8]


def feed_key(address, layout=LAYOUT):
    digest = hashlib.sha256(repr(address).encode()).hexdigest()[:32]
    return f"syndication:feed:{layout}:{digest}"


def new_generation(changed_at=0):
    """A generation token: when the feeds changed, plus randomness so a token
    recreated after an eviction never matches an old one."""
    return f"{changed_at:.6f}:{secrets.token_hex(6)}"


def generation_changed_at(generation):
    """When the feeds last changed, as the generation knows it (0: unknown)."""
    return float((generation or "0").partition(":")[0])


@lru_cache(maxsize=1)
def shared():
    """``conf.shared_cache()``, asked once per process rather than per request."""
    return conf.shared_cache()


@receiver(setting_changed)
def ask_shared_again(setting, **kwargs):
    """Tests change the cache settings; a server never does."""
    if setting in ("CACHES", "SYNDICATION_SHARED_CACHE"):
        shared.cache_clear()


class ProcessGeneration:
    """The generation where Django's cache reaches this process only."""

    def __init__(self):
        self.value = None
        self.lock = threading.Lock()

    def current(self):
        if self.value is None:
            with self.lock:
                if self.value is None:
                    self.value = new_generation()
        return self.value


#: This process's generation (used where the cache is not shared).
PROCESS = ProcessGeneration()


def current_generation():
    """The generation every feed must carry to be current, made if missing;
    None while the shared cache does not answer."""
    if not shared():
        return PROCESS.current()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def invalidate():
    """Make every cached feed stale, at once, for every process the cache reaches.

    The change time is in whole seconds (HTTP dates have no less) and moves
    forward even for two changes within one second, by at most one second
    ahead of the clock, so Last-Modified always tells a reader that asks
    If-Modified-Since about the change.
    """
    now = math.ceil(time.time())
    previous = generation_changed_at(cache.get(GENERATION_KEY) if shared() else PROCESS.value)
    generation = new_generation(min(max(now, previous + 1), now + 1))
    if shared():
        cache.set(GENERATION_KEY, generation, None)
        # This process's own change shows at once even where the cache did
        # not take the new generation (the others' within the recheck).
        LOCAL.clear()
    else:
        PROCESS.value = generation


def outage_over(**kwargs):
    """Redis answers again after an outage this process saw: whatever it
    kept from before (or was invalidated meanwhile without it) is stale."""
    invalidate()


def forget():
    """Drop the generation, as an eviction would, and the feeds this process
    keeps, which would otherwise still hold up Last-Modified (tests start
    from nothing)."""
    PROCESS.value = None
    cache.delete(GENERATION_KEY)
    LOCAL.clear()


def lifetime(document, generation=""):
    """Seconds a rendered feed (None: the answer that there is none) stays
    current: ``SYNDICATION_CACHE_TIMEOUT``, no longer than until one of its
    items expires, and in a cache local to each process (or while the
    shared one does not answer: ``generation`` None) no longer than
    ``SYNDICATION_GENERATION_RECHECK``."""
    seconds = conf.cache_timeout()
    if not shared() or generation is None:
        seconds = min(seconds, conf.generation_recheck())
    now = time.time()
    for item in document.items if document is not None else ():
        if item.expires is not None:
            seconds = min(seconds, max(1, item.expires.timestamp() - now + 1))
    return seconds


class LocalFeeds:
    """One process's rendered feeds, by address (hashing the address is
    cheaper than its key in Django's cache). Bounded: the oldest entry goes
    when it is full (query strings are the client's to choose); the whole
    store is dropped when the generation moves on."""

    def __init__(self):
        self.feeds = {}
        self.generation = None
        self.lock = threading.Lock()

    def get(self, key):
        return self.feeds.get(key)

    def put(self, key, feed):
        with self.lock:
            if feed.generation != self.generation:
                self.feeds = {}
                self.generation = feed.generation
            while len(self.feeds) >= conf.local_feeds():
                self.feeds.pop(next(iter(self.feeds)), None)
            self.feeds[key] = feed

    def clear(self):
        with self.lock:
            self.feeds = {}
            self.generation = None


#: This process's rendered feeds.
LOCAL = LocalFeeds()


@dataclass(frozen=True)
class Claim:
    """The right to render one feed for one generation; ``locked`` when this
    request holds the render lock, ``previous`` the stale feed if any."""

    address: FeedAddress
    key: str
    generation: str
    locked: bool
    previous: RenderedFeed | None


def shared_feed(key, generation):
    """The feed Django's cache holds under ``key``, if current for ``generation``."""
    feed = cache.get(key)
    return feed if feed is not None and feed.fresh(generation) else None


def lookup(address):
    """(the current rendered feed at ``address``, None), or (None, a claim
    to render it) when there is none; waits briefly for another process
    already rendering it."""
    generation = current_generation()
    local = LOCAL.get(address)
    if local is not None and local.fresh(generation):
        return local, None
    key = feed_key(address)
    if generation is None:  # the shared cache does not answer: nothing to read or lock
        return None, Claim(address, key, None, False, local)
    stored = cache.get(key)
    if stored is not None and stored.fresh(generation):
        LOCAL.put(address, stored)
        return stored, None
    wait = conf.render_wait()
    lock = f"{key}:lock:{generation}"
    locked = cache.add(lock, 1, timeout=max(1, int(wait * 2)))
    deadline = time.monotonic() + wait
    while not locked and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        feed = shared_feed(key, generation)
        if feed is not None:
            LOCAL.put(address, feed)
            return feed, None
        if current_generation() != generation:
            break  # news changed meanwhile: render the new state
    # Nobody else rendered it (or the renderer is slow or gone): render it here.
    return None, Claim(address, key, generation, locked, stored or local)


def store(claim, document, body, content_type):
    """Keep the rendered ``document`` (None: there is no such feed) and
    release the claim; returns what to serve."""
    seconds = lifetime(document, claim.generation)
    changed = None if document is None else last_modified(document, claim, body)
    if document is None:
        feed = missing_feed(claim.generation, time.time() + seconds)
    else:
        feed = rendered_feed(claim.generation, body, content_type, time.time() + seconds, changed)
    if claim.generation is not None:
        cache.set(claim.key, feed, math.ceil(seconds))
    if claim.locked:
        cache.delete(f"{claim.key}:lock:{claim.generation}")
    LOCAL.put(claim.address, feed)
    return feed


def last_modified(document, claim, body):
    """The feed's Last-Modified, which never goes back: removing an item can
    make the newest change older, and If-Modified-Since would then hide the
    removal. The generation's change time covers that where it reached this
    process; the previous render of the feed covers it where it did not."""
    newest = int(max(document.updated.timestamp(), generation_changed_at(claim.generation)))
    previous = claim.previous
    if previous is None or previous.body is None or previous.last_modified < newest:
        return newest
    return previous.last_modified + (previous.body != body)

"""The feeds' generation: which rendered feeds are current, in every process.

The shared generation lives in Django's cache (Redis in production).
Invalidating writes a new one there and, with ``REDIS_URL`` set, publishes it
on a Redis pub/sub channel. Each worker process runs one daemon thread
subscribed to that channel (started on the first feed request in the
process, so it is safe under gunicorn's pre-fork) that keeps the process's
*known* generation current: a warm request then needs no round trip at all.

Correctness never depends on pub/sub. While the subscription is not
confirmed healthy (not yet subscribed, or the connection dropped), every
request reads the shared generation, as it would without Redis; after
(re)subscribing the thread reads it once, which closes the race with an
invalidation that came before the subscription. On a message the thread
re-reads the shared value rather than trusting the payload, so messages
from concurrent invalidations that arrive out of order cannot leave a
worker on an older generation; and it re-reads it every
``SYNDICATION_GENERATION_RECHECK`` seconds, which bounds what a message lost
to a silently broken connection could cost.

Without ``REDIS_URL`` (local memory cache, one process: tests, the demo)
there is no thread and every request reads the shared generation, which is
a dictionary lookup in that cache.
"""

import contextlib
import logging
import math
import os
import secrets
import threading
import time

from django.core.cache import cache

from syndication import conf

logger = logging.getLogger(__name__)

GENERATION_KEY = "syndication:generation"
#: Seconds between two attempts at subscribing after a failure.
RETRY_DELAY = 1.0


def new_generation(changed_at=None):
    """A generation token: when the news changed, plus randomness so a token
    recreated after eviction never matches an old one."""
    return f"{changed_at or 0:.6f}:{secrets.token_hex(6)}"


def generation_changed_at(generation):
    """When the news last changed, as known to the cache (0: unknown)."""
    return float(generation.partition(":")[0])


def shared_generation():
    """The generation in the shared cache, created if missing (e.g. evicted)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def channel():
    """The pub/sub channel, named like a cache key so that deployments (and
    test runs) with their own key prefix do not hear each other."""
    return cache.make_key(GENERATION_KEY)


class Watcher:
    """One process's known generation, kept current by a subscriber thread."""

    def __init__(self, url):
        self.url = url
        #: How the subscription shows in Redis's CLIENT LIST.
        self.name = f"syndication-watcher-{os.getpid()}-{id(self):x}"
        self.known = None
        self.healthy = False
        self.thread = None
        self.stopping = threading.Event()
        self.pubsub = None
        self.lock = threading.Lock()  # starting the thread
        self.reading = threading.Lock()  # reading the shared generation

    def current(self):
        """The current generation: the known one while the subscription is
        healthy, else the shared one (one cache read)."""
        if self.thread is None:
            self.start()
        known = self.known
        if self.healthy and known is not None:
            return known
        return shared_generation()

    def start(self):
        with self.lock:
            if self.thread is None:
                self.stopping.clear()
                self.thread = threading.Thread(
                    target=self.run, name="syndication-generation", daemon=True
                )
                self.thread.start()

    def stop(self):
        """End the subscription; requests fall back to the shared generation."""
        self.stopping.set()
        self.healthy = False
        self.close()  # wakes the thread, which is waiting for a message
        if self.thread is not None:
            self.thread.join(5)

    def close(self):
        """Close the subscription; either thread may, so a second close is no error."""
        pubsub = self.pubsub
        if pubsub is not None:
            with contextlib.suppress(Exception):
                pubsub.close()

    def refresh(self):
        """Read the shared generation now. Reads and their assignments are
        serialised, so one that started before a change cannot overwrite
        the value read after it."""
        with self.reading:
            self.known = shared_generation()

    def forget(self):
        """After a fork: the parent's thread and connection are not ours."""
        self.known, self.healthy, self.thread, self.pubsub = None, False, None, None
        self.name = f"syndication-watcher-{os.getpid()}-{id(self):x}"
        self.stopping = threading.Event()
        self.lock, self.reading = threading.Lock(), threading.Lock()

    def run(self):
        import redis

        recheck = conf.generation_recheck()
        while not self.stopping.is_set():
            client = None
            try:
                client = redis.Redis.from_url(
                    self.url, socket_timeout=max(5.0, recheck * 2), socket_keepalive=True,
                    client_name=self.name,
                )
                self.pubsub = client.pubsub()
                self.pubsub.subscribe(channel())
                self.listen(recheck)
            except Exception:
                if not self.stopping.is_set():
                    logger.warning("Feed invalidation channel lost; retrying", exc_info=True)
            finally:
                self.healthy = False
                self.close()
                if client is not None:
                    with contextlib.suppress(Exception):
                        client.close()
            self.stopping.wait(RETRY_DELAY)

    def listen(self, recheck):
        """Handle messages until the connection fails. (redis-py may itself
        reconnect and resubscribe; the new confirmation re-reads as well.)"""
        last_read = 0.0
        while not self.stopping.is_set():
            message = self.pubsub.get_message(timeout=recheck)
            if message is None:
                self.pubsub.ping()  # a dead connection raises here
            elif message["type"] == "subscribe":
                self.refresh()
                self.healthy = True
                last_read = time.monotonic()
                continue
            notified = message is not None and message["type"] == "message"
            if self.healthy and (notified or time.monotonic() - last_read >= recheck):
                self.refresh()
                last_read = time.monotonic()


_watcher = None


def watcher():
    """This process's watcher; None without Redis."""
    global _watcher
    url = conf.redis_url()
    if not url:
        return None
    if _watcher is None or _watcher.url != url:
        _watcher = Watcher(url)
    return _watcher


def current_generation():
    found = watcher()
    return shared_generation() if found is None else found.current()


def refresh_here():
    """This process sees its own invalidation at once, not when pub/sub delivers it."""
    if _watcher is not None and _watcher.thread is not None:
        _watcher.refresh()


def _after_fork():
    if _watcher is not None:
        _watcher.forget()


os.register_at_fork(after_in_child=_after_fork)

_publisher = None


def publish(generation):
    """Tell every subscribed process; a failure is logged, not raised: their
    periodic re-read still picks the new generation up."""
    global _publisher
    url = conf.redis_url()
    if not url:
        return
    try:
        import redis

        if _publisher is None or _publisher[0] != (url, os.getpid()):
            _publisher = ((url, os.getpid()), redis.Redis.from_url(url, socket_timeout=5))
        _publisher[1].publish(channel(), generation)
    except Exception:
        logger.exception("Feed invalidation not published")


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
    generation = new_generation(changed_at)
    cache.set(GENERATION_KEY, generation, None)
    refresh_here()
    publish(generation)


def forget():
    """Drop the shared generation, as an eviction would, and tell the
    subscribers (tests use it to start from nothing)."""
    cache.delete(GENERATION_KEY)
    refresh_here()
    publish("")

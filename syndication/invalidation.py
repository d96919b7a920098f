"""The feeds' generation: which rendered feeds are current, in every process.

Every rendered feed carries the generation that was current when it was
rendered; invalidating all feeds is one write of a new generation. Where
that generation lives depends on what every server process can reach:

* **Redis** (``REDIS_URL``): in Redis, written and read with redis-py, and
  published on a pub/sub channel. Each worker runs one daemon thread
  subscribed to it (started on the first feed request, so it is safe under
  gunicorn's pre-fork) that keeps the process's *known* generation current:
  a warm request needs no round trip. While the subscription is not
  confirmed healthy, every request reads the generation from Redis; the
  thread re-reads it on every message (never trusting the payload, so
  messages arriving out of order cannot leave it behind) and every
  ``SYNDICATION_GENERATION_RECHECK`` seconds, which bounds what a message
  lost to a silently broken connection could cost.
* **A shared Django cache** (database, file, Memcached): in the cache, read
  on every request.
* **A cache local to each process** (local memory, the default): in the
  database (:class:`~syndication.models.FeedGeneration`), read at most once
  per ``SYNDICATION_GENERATION_RECHECK`` seconds per process, so another
  process's change (an import, ``publish_scheduled``, a shell) shows within
  about a second; the process's own changes show at once.
"""

import contextlib
import logging
import math
import os
import secrets
import threading
import time

from django.core.cache import cache

from syndication import conf, redis_client
from syndication.models import FeedGeneration

logger = logging.getLogger(__name__)

GENERATION_KEY = "syndication:generation"
#: Seconds between two attempts at subscribing after a failure.
RETRY_DELAY = 1.0


def new_generation(changed_at=None):
    """A generation token: when the news changed, plus randomness so a token
    recreated after eviction never matches an old one."""
    return f"{changed_at or 0:.6f}:{secrets.token_hex(6)}"


def generation_changed_at(generation):
    """When the news last changed, as known to the generation (0: unknown)."""
    return float(generation.partition(":")[0])


class RedisGenerations:
    """The generation in Redis."""

    def read(self):
        client = redis_client.client()
        value = client.get(redis_client.key(GENERATION_KEY))
        if value is None:
            client.set(redis_client.key(GENERATION_KEY), new_generation(), nx=True)
            value = client.get(redis_client.key(GENERATION_KEY))
        return value.decode()

    def write(self, generation):
        redis_client.client().set(redis_client.key(GENERATION_KEY), generation)

    def delete(self):
        redis_client.client().delete(redis_client.key(GENERATION_KEY))


class CacheGenerations:
    """The generation in a Django cache every process shares."""

    def read(self):
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, new_generation(), None)
            generation = cache.get(GENERATION_KEY)
        return generation

    def write(self, generation):
        cache.set(GENERATION_KEY, generation, None)

    def delete(self):
        cache.delete(GENERATION_KEY)


class DatabaseGenerations:
    """The generation in the database, one row."""

    def read(self):
        value = FeedGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
        if value is None:
            FeedGeneration.objects.bulk_create(
                [FeedGeneration(pk=1, value=new_generation())], ignore_conflicts=True
            )
            value = FeedGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
        return value

    def write(self, generation):
        FeedGeneration.objects.update_or_create(pk=1, defaults={"value": generation})

    def delete(self):
        # A row is never evicted; forgetting is starting a generation nobody rendered.
        self.write(new_generation())


def generations():
    """Where the generation every process shares lives (see the module's doc)."""
    if conf.redis_url():
        return RedisGenerations()
    if conf.shared_cache():
        return CacheGenerations()
    return DatabaseGenerations()


def shared_generation():
    """The shared generation, created if missing (e.g. evicted)."""
    return generations().read()


class Recheck:
    """The database generation as this process last read it, re-read when
    older than ``SYNDICATION_GENERATION_RECHECK`` seconds (wall clock, so
    tests can travel in time)."""

    def __init__(self):
        self.known, self.read_at = None, 0.0
        self.lock = threading.Lock()

    def current(self):
        known = self.known
        if known is not None and time.time() - self.read_at < conf.generation_recheck():
            return known
        with self.lock:
            self.known, self.read_at = shared_generation(), time.time()
            return self.known

    def set(self, generation):
        with self.lock:
            self.known, self.read_at = generation, time.time()


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
        healthy, else the shared one (one Redis read)."""
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


def channel():
    """The pub/sub channel, named like a cache key so that deployments (and
    test runs) with their own key prefix do not hear each other."""
    return redis_client.key(GENERATION_KEY)


_watcher = None
_recheck = Recheck()


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
    if found is not None:
        return found.current()
    if conf.shared_cache():
        return shared_generation()
    return _recheck.current()


def refresh_here(generation):
    """This process sees its own invalidation at once, not when pub/sub
    delivers it or the next re-read comes."""
    if _watcher is not None and _watcher.thread is not None:
        _watcher.refresh()
    _recheck.set(generation)


def _after_fork():
    if _watcher is not None:
        _watcher.forget()
    _recheck.set(None)


os.register_at_fork(after_in_child=_after_fork)


def publish(generation):
    """Tell every subscribed process; a failure is logged, not raised: their
    periodic re-read still picks the new generation up."""
    if not conf.redis_url():
        return
    try:
        redis_client.client().publish(channel(), generation)
    except Exception:
        logger.exception("Feed invalidation not published")


def invalidate():
    """Make every cached feed stale, at once, for every process.

    The change time is in whole seconds (HTTP dates have no less) and moves
    forward even for two changes within one second, by at most one second
    ahead of the clock, so Last-Modified always tells a reader that asks
    If-Modified-Since about the change.
    """
    store = generations()
    previous = store.read()
    now = math.ceil(time.time())
    changed_at = min(max(now, generation_changed_at(previous) + 1), now + 1)
    generation = new_generation(changed_at)
    store.write(generation)
    refresh_here(generation)
    publish(generation)


def forget():
    """Drop the shared generation, as an eviction would, and tell the
    subscribers (tests use it to start from nothing)."""
    generations().delete()
    _recheck.set(None)
    if _watcher is not None and _watcher.thread is not None:
        _watcher.refresh()
    publish("")

"""Django's Redis cache, failing soft: an unreachable Redis makes the site
slower, not down.

Redis holds only caches, so every cache call can do without it: while Redis
does not answer, a read is a miss, a write or delete does nothing, and the
caller computes from the database what it would have read. Django's own
backend raises instead, and everything that reads the cache (Wagtail's
site-root lookup on every page, the feeds, the API) answers 500.

After a failure the process leaves Redis alone for ``RETRY_AFTER`` seconds
(so a dead server costs one connect timeout per interval and process, not
one per call), then tries again; it logs the outage once per
``LOG_INTERVAL``, not once per call. On the first answer after an outage
:data:`recovered` is sent, before the call that found Redis back returns:
writes and deletes that were dropped meanwhile (another process's
invalidations among them) are lost, and its receivers make up for them.

``OPTIONS`` takes ``RETRY_AFTER`` and ``LOG_INTERVAL`` besides redis-py's
own; the socket timeouts default to a fraction of a second, as a cache that
answers slower than the database is no use.
"""

import logging
import re
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

logger = logging.getLogger(__name__)

#: Sent by the process that saw Redis fail, when Redis answers again.
recovered = Signal()

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    #: What an unreachable, restarting or overloaded Redis raises (BusyLoadingError,
    #: while a restarted Redis loads its data, is a ConnectionError).
    UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # redis-py is optional: without it this backend cannot be used
    UNAVAILABLE = ()
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
#: A key nobody writes: asking Redis whether it exists is a round trip and nothing more.
PROBE_KEY = "fail-soft:probe"
RETRY_AFTER = 0.25
LOG_INTERVAL = 60.0


def address(url):
    """host:port of a Redis URL, for the log: never its password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else parts.path


class CacheUnavailable(Exception):
    """Redis did not answer (raised by :meth:`FailSoftRedisCache.probe` only)."""


class Outage:
    """One process's view of one Redis: shared by the backend instances of
    all its threads (Django makes one per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since = None  # monotonic time of the first failure; None: answering
        self.retry_at = 0.0
        self.logged_at = None
        self.dropped = 0

    def failed(self, error, retry_after, log_interval, location):
        now = time.monotonic()
        with self.lock:
            first = self.since is None
            if first:
                self.since = now
            self.retry_at = now + retry_after
            due = self.logged_at is None or now - self.logged_at >= log_interval
            if due:
                self.logged_at = now
                dropped, self.dropped = self.dropped, 0
        if due:
            logger.warning(
                "Cache at %s unreachable (%s); serving without it%s", location, error,
                "" if first else f", {dropped} calls since the last report",
                extra={"cache_calls_dropped": 0 if first else dropped},
            )

    def skips(self):
        """Whether to leave Redis alone for now (counting the call as dropped)."""
        with self.lock:
            if self.since is None or time.monotonic() >= self.retry_at:
                return False
            self.dropped += 1
            return True

    def answered(self):
        """Mark Redis as answering; True when it was down until now."""
        with self.lock:
            if self.since is None:
                return False
            down = time.monotonic() - self.since
            self.since, self.logged_at, self.dropped = None, None, 0
        logger.info("Cache answers again after %.1f s", down, extra={"cache_down_s": down})
        return True

    @property
    def down(self):
        return self.since is not None


#: One Outage per Redis location, for the whole process.
OUTAGES = {}
OUTAGES_LOCK = threading.Lock()


def outage_of(location):
    with OUTAGES_LOCK:
        return OUTAGES.setdefault(location, Outage())


def fail_soft(default):
    """Wrap a cache method: ``default(*args, **kwargs)`` is its answer while
    Redis does not."""

    def decorate(method):
        def wrapped(self, *args, **kwargs):
            if not self.reachable():
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self.failed(error)
                return default(*args, **kwargs)

        wrapped.__name__ = method.__name__
        wrapped.__doc__ = method.__doc__
        return wrapped

    return decorate


def nothing(*args, **kwargs):
    return None


def no(*args, **kwargs):
    return False


def missing(key, *args, **kwargs):
    """``incr`` of a key the cache does not have (``decr`` calls ``incr``)."""
    raise ValueError(f"Key '{key}' not found.")


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self.retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        self.log_interval = float(options.pop("LOG_INTERVAL", LOG_INTERVAL))
        super().__init__(server, {**params, "OPTIONS": options})
        # LOCATION as Django reads it: one URL, several separated by , or ;, or a list.
        servers = re.split("[;,]", server) if isinstance(server, str) else server
        self.location = ",".join(map(address, servers))
        self.outage = outage_of(self.location)

    def failed(self, error):
        self.outage.failed(error, self.retry_after, self.log_interval, self.location)

    def reachable(self):
        """False while Redis is known down; after an outage, True only once
        Redis answers a ping and :data:`recovered` has been sent."""
        if not self.outage.down:
            return True
        if self.outage.skips():
            return False
        try:
            self.round_trip()
        except UNAVAILABLE as error:
            self.failed(error)
            return False
        if self.outage.answered():
            for receiver, response in recovered.send_robust(sender=type(self), cache=self):
                if isinstance(response, Exception):
                    logger.error(
                        "Making up for the cache outage failed in %r", receiver,
                        exc_info=response,
                    )
        return True

    def round_trip(self):
        """One command to Redis through Django's own backend; raises when it does not answer."""
        super().has_key(PROBE_KEY)

    def probe(self):
        """A round trip to Redis that raises :class:`CacheUnavailable` when
        it does not answer (for health checks, which must know)."""
        if not self.reachable():
            raise CacheUnavailable(f"the cache at {self.location} did not answer")
        try:
            self.round_trip()
        except UNAVAILABLE as error:
            self.failed(error)
            raise CacheUnavailable(str(error)) from error

    @fail_soft(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @fail_soft(nothing)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @fail_soft(no)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @fail_soft(no)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @fail_soft(no)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @fail_soft(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @fail_soft(no)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @fail_soft(lambda data, timeout=DEFAULT_TIMEOUT, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @fail_soft(nothing)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @fail_soft(missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @fail_soft(no)
    def clear(self):
        return super().clear()

"""The feeds' own Redis client, made from ``REDIS_URL`` with redis-py.

Django's cache API offers neither pipelines nor pub/sub, so the feeds talk
to Redis directly, under keys made by the cache's public ``make_key`` (the
deployment's prefix) so that sites sharing one Redis do not meet.
"""

import os

from django.core.cache import cache

from syndication import conf

_client = None


def client():
    """This process's client (a new one after a fork); None without ``REDIS_URL``."""
    global _client
    url = conf.redis_url()
    if not url:
        return None
    if _client is None or _client[0] != (url, os.getpid()):
        import redis

        _client = ((url, os.getpid()), redis.Redis.from_url(url, socket_timeout=5))
    return _client[1]


def key(name):
    """The Redis key of ``name``: prefixed as Django's cache would."""
    return cache.make_key(name)

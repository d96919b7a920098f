"""An invalidation reaches every process that shares Django's cache, on its
next lookup: another real process (``manage.py shell``) invalidates, and
this process's warm feed is stale at once. No subscriber, no message: the
generation is one key of the cache both read."""

import os
import uuid

import pytest
from django.conf import settings as django_settings

from syndication.address import FeedAddress
from syndication.cache import lookup
from tests.serving import base_environment, shell
from tests.syndication.test_cache import stored

ADDRESS = FeedAddress("worker-test", "http://worker-test", "rss")


def file_cache(tmp_path):
    location, prefix = str(tmp_path / "cache"), "invalidation"
    backend = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
               "LOCATION": location, "KEY_PREFIX": prefix}
    return backend, {"CACHE_BACKEND": "file", "CACHE_LOCATION": location,
                     "CACHE_KEY_PREFIX": prefix}


def redis_cache(tmp_path):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs Redis (REDIS_URL)")
    prefix = f"invalidation-{uuid.uuid4().hex}"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
               "KEY_PREFIX": prefix}
    return backend, {"REDIS_URL": url, "CACHE_KEY_PREFIX": prefix}


@pytest.mark.parametrize("shared", [file_cache, redis_cache], ids=["file", "redis"])
def test_an_invalidation_in_another_process_shows_on_the_next_lookup(settings, tmp_path, shared):
    backend, env = shared(tmp_path)
    settings.CACHES = {**django_settings.CACHES, "default": backend}
    stored(ADDRESS, b"v1")
    assert lookup(ADDRESS)[0].body == b"v1"  # warm, from this process's memory

    shell(base_environment(**env), "from syndication.cache import invalidate; invalidate()")

    feed, claim = lookup(ADDRESS)
    assert feed is None and claim is not None  # stale at once: render again
    assert claim.previous.body == b"v1"  # kept, so Last-Modified cannot go back

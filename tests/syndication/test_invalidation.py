"""An invalidation reaches every process that shares Django's cache within
``SYNDICATION_SHARED_RECHECK``: another real process (``manage.py shell``)
invalidates, and this process's warm feed is stale from its next lookup
after that bound. No subscriber, no message: the generation is one key of
the cache both read."""

import os
import time
import uuid

import pytest
from django.conf import settings as django_settings

from syndication import conf
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


def first_stale_lookup(bound):
    """The first lookup that finds the feed stale; every lookup begun more than
    ``bound`` seconds from now must."""
    deadline = time.monotonic() + bound
    while True:
        begun = time.monotonic()
        feed, claim = lookup(ADDRESS)
        if feed is None:
            return claim
        assert begun <= deadline, f"the old feed served {begun - deadline:.3f}s after the bound"
        time.sleep(0.001)


@pytest.mark.parametrize("shared", [file_cache, redis_cache], ids=["file", "redis"])
def test_an_invalidation_in_another_process_shows_within_the_recheck(settings, tmp_path, shared):
    backend, env = shared(tmp_path)
    settings.CACHES = {**django_settings.CACHES, "default": backend}
    stored(ADDRESS, b"v1")
    assert lookup(ADDRESS)[0].body == b"v1"  # warm, from this process's memory

    shell(base_environment(**env), "from syndication.cache import invalidate; invalidate()")

    claim = first_stale_lookup(conf.shared_recheck())  # stale: render again
    assert claim is not None
    assert claim.previous.body == b"v1"  # kept, so Last-Modified cannot go back

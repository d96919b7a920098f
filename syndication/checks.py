"""System checks: what the feeds need from the host project."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.checks import Error, Tags, register

from cms.checks import base_url_errors

#: Cache backends that need the redis client (redis-py): Django's and the fail-soft one.
REDIS_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache", "cms.fail_soft_cache.FailSoftRedisCache",
}


def redis_client_missing():
    try:
        importlib.import_module("redis")
    except ImportError:
        return True
    return False


@register(Tags.compatibility)
def check_feed_settings(app_configs, **kwargs):
    errors = []
    if not apps.is_installed("wagtail.contrib.settings"):
        errors.append(
            Error(
                "The feeds need wagtail.contrib.settings in INSTALLED_APPS.",
                hint="Each site's feed title, size and WebSub hub are site settings.",
                id="projectsite_feeds.E001",
            )
        )
    return errors + base_url_errors(["SYNDICATION_BASE_URL"], "projectsite_feeds.E002")


@register(Tags.caches)
def check_feed_cache(app_configs, **kwargs):
    """The feeds keep their renders in Django's default cache: a Redis cache
    (what the runnable site makes of ``REDIS_URL``) without redis-py would
    fail every feed request; say so before any request does."""
    backend = settings.CACHES.get(DEFAULT_CACHE_ALIAS, {}).get("BACKEND", "")
    if backend not in REDIS_BACKENDS or not redis_client_missing():
        return []
    return [
        Error(
            "Django's cache is Redis (REDIS_URL is set) but the redis client is not installed.",
            hint="Install the [site] extra (pip install 'wagtail-project-site[site]'), "
            "or redis>=5.0, or choose another cache.",
            id="projectsite_feeds.E003",
        )
    ]

"""The app's Django settings, each with a default (documented in the README)."""

from django.conf import settings
from django.utils.text import slugify


def max_age():
    """Seconds readers and proxies may reuse a feed without asking again."""
    return getattr(settings, "SYNDICATION_MAX_AGE", 300)


def cache_timeout():
    """Seconds a rendered feed stays cached; invalidation usually comes first."""
    return getattr(settings, "SYNDICATION_CACHE_TIMEOUT", 24 * 3600)


def tag_authority():
    """Authority of the items' ``tag:`` ids. Set once and never change it: a
    new value gives every item a new id and readers show all news again."""
    default = slugify(getattr(settings, "WAGTAIL_SITE_NAME", "")) or "wagtail-project-site"
    return getattr(settings, "SYNDICATION_TAG_AUTHORITY", default)


def tag_date():
    """Date part of the ``tag:`` ids (a day the authority was owned); fixed too."""
    return getattr(settings, "SYNDICATION_TAG_DATE", "2025")


def base_url():
    """Origin the feeds are served at, for ``rel=self`` and hub pings.

    Empty: the request's origin, and the Site's root URL for pings.
    """
    return getattr(settings, "SYNDICATION_BASE_URL", "").rstrip("/")


def render_wait():
    """Seconds a request waits for another process already rendering the feed."""
    return getattr(settings, "SYNDICATION_RENDER_WAIT", 5.0)


def websub_attempts():
    """How often a hub ping is tried before it is given up and logged."""
    return getattr(settings, "SYNDICATION_WEBSUB_ATTEMPTS", 3)


def websub_backoff():
    """Seconds before the second attempt at a hub ping; doubled for each further one."""
    return getattr(settings, "SYNDICATION_WEBSUB_BACKOFF", 2.0)


def websub_timeout():
    """Seconds a hub may take to answer one ping."""
    return getattr(settings, "SYNDICATION_WEBSUB_TIMEOUT", 5.0)


def generation_recheck():
    """Seconds a rendered feed lives where Django's cache is local to each
    process: the most another process's change takes to show there."""
    return getattr(settings, "SYNDICATION_GENERATION_RECHECK", 1.0)


def shared_recheck():
    """Seconds a process goes on with the generation it last read from a
    shared cache before reading it again: the most another process's change
    takes to show there (its own show at once)."""
    return getattr(settings, "SYNDICATION_SHARED_RECHECK", 0.02)


def shared_cache():
    """Whether Django's default cache reaches every server process (database,
    file, Memcached, Redis do; local memory and the dummy cache do not), and
    with it a new generation (see :mod:`syndication.cache`).
    ``SYNDICATION_SHARED_CACHE`` overrides the guess, e.g. False for file
    caches on several hosts."""
    value = getattr(settings, "SYNDICATION_SHARED_CACHE", None)
    if value is not None:
        return bool(value)
    from django.core.cache import DEFAULT_CACHE_ALIAS, caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache | DummyCache)


def local_feeds():
    """How many rendered feeds each process keeps in memory (oldest go first)."""
    return getattr(settings, "SYNDICATION_LOCAL_FEEDS", 500)


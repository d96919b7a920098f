"""Rendered feeds in Django's cache: one key per feed, one rule for how long.

Every rendered feed carries the *generation* that was current when it was
rendered; a feed of another generation is stale. Invalidating every feed
is one write: a new generation (:func:`invalidate`). Each Wagtail Site has a
generation of its own besides the one of every site, and a feed carries
both: publishing on one site makes that site's feeds stale and no other's,
while a change that concerns every site (a Site's address, a tag) is still
one write. A process learns which Site a host's feeds belong to once per
generation of every site (:data:`SITES`), so a warm request still reads its
generations in one round trip.

Each process keeps the feeds it served in memory, by address, in front of
Django's cache (which pickles: a feed is tens of kilobytes), so a warm
request costs at most one read of the generation and no render. Where
Django's cache reaches every process (Redis, Memcached, a database or a
shared folder), the generation is one key of it, read again at most every
``SYNDICATION_SHARED_RECHECK`` seconds (:class:`RecentGenerations`; 20 ms
by default): another process's change shows within that, this process's
own at once, and a warm request under load reads nothing from the cache
most of the time. Where it does not
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
back moves every site to a new generation (:func:`outage_over`) before it
reads any.

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
from wagtail.models import Site

from syndication import conf
from syndication.address import FeedAddress
from syndication.response import RenderedFeed, missing_feed, rendered_feed

GENERATION_KEY = "syndication:generation"
WAIT_STEP = 0.02


def site_generation_key(site_id):
    """The key of one Site's own generation."""
    return f"{GENERATION_KEY}:site:{site_id}"


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
    """When the feeds last changed, as the generation knows it (0: unknown); of a
    site's feeds, the later of its own change and the change of every site."""
    parts = (generation or "0").split("|")
    return max(float(part.partition(":")[0] or 0) for part in parts)


@lru_cache(maxsize=1)
def shared():
    """``conf.shared_cache()``, asked once per process rather than per request."""
    return conf.shared_cache()


@receiver(setting_changed)
def ask_shared_again(setting, **kwargs):
    """Tests change the cache settings; a server never does."""
    if setting in ("CACHES", "SYNDICATION_SHARED_CACHE"):
        shared.cache_clear()
        RECENT.clear()


class ProcessGeneration:
    """The generations (of every site, of each Site) where Django's cache reaches
    this process only."""

    def __init__(self):
        self.values = {}
        self.lock = threading.Lock()

    def current(self, key=GENERATION_KEY):
        value = self.values.get(key)
        if value is None:
            with self.lock:
                value = self.values.setdefault(key, new_generation())
        return value

    def clear(self):
        with self.lock:
            self.values = {}


#: This process's generations (used where the cache is not shared).
PROCESS = ProcessGeneration()


@lru_cache(maxsize=1024)
def _keys(site_id):
    return (GENERATION_KEY,) if site_id is None else (GENERATION_KEY, site_generation_key(site_id))


class RecentGenerations:
    """The generations this process read from a shared cache, with when it
    read them: each is read again once ``SYNDICATION_SHARED_RECHECK`` has
    passed, so that is the most another process's change takes to show
    here. Cleared when this process invalidates, so its own changes show at
    once."""

    def __init__(self):
        self.read = {}

    def get(self, keys):
        found = self.read.get(keys)
        if found is not None and time.monotonic() - found[1] < conf.shared_recheck():
            return found[0]
        return None

    def put(self, keys, generation):
        self.read[keys] = (generation, time.monotonic())

    def clear(self):
        self.read = {}


#: This process's generations as last read from a shared cache.
RECENT = RecentGenerations()


def current_generation(site_id=None):
    """The generation every feed (of the Site ``site_id``) must carry to be current,
    made if missing: one read of the cache, at most every
    ``SYNDICATION_SHARED_RECHECK``. None while the shared cache does not answer."""
    keys = _keys(site_id)
    if not shared():
        return "|".join(map(PROCESS.current, keys))
    generation = RECENT.get(keys)
    if generation is not None:
        return generation
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in keys:
            if key not in found:
                cache.add(key, new_generation(), None)
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None
    generation = "|".join(found[key] for key in keys)
    RECENT.put(keys, generation)
    return generation


def invalidate(site_ids=None):
    """Make cached feeds stale, at once, for every process the cache reaches: those
    of the Sites ``site_ids``, or of every site when None.

    The change time is in whole seconds (HTTP dates have no less) and moves
    forward even for two changes within one second, by at most one second
    ahead of the clock, so Last-Modified always tells a reader that asks
    If-Modified-Since about the change.
    """
    keys = [GENERATION_KEY] if site_ids is None else [site_generation_key(i) for i in site_ids]
    now = math.ceil(time.time())
    for key in keys:
        before = [GENERATION_KEY, key]
        current = cache.get_many(before).values() if shared() else (
            PROCESS.values.get(k) for k in before)
        previous = max((generation_changed_at(value) for value in current), default=0)
        generation = new_generation(min(max(now, previous + 1), now + 1))
        if shared():
            cache.set(key, generation, None)
        else:
            PROCESS.values[key] = generation
    if shared():
        # This process's own change shows at once even where the cache did
        # not take the new generation (the others' within the recheck).
        RECENT.clear()
        LOCAL.clear()


def outage_over(**kwargs):
    """Redis answers again after an outage this process saw: whatever it
    kept from before (or was invalidated meanwhile without it) is stale."""
    invalidate()


def forget():
    """Drop the generation, as an eviction would, and the feeds this process
    keeps, which would otherwise still hold up Last-Modified (tests start
    from nothing)."""
    PROCESS.clear()
    RECENT.clear()
    cache.delete(GENERATION_KEY)
    LOCAL.clear()
    SITES.clear()


class HostSites:
    """Which Site each host's feeds belong to, as this process learned it, with the
    generation of every site it was learned at: a change to any Site (its address,
    the default) makes a new one, and the host is asked about again. Bounded, as
    clients choose hosts: the oldest goes."""

    def __init__(self, size):
        self.size = size
        self.found = {}
        self.lock = threading.Lock()

    def get(self, host):
        return self.found.get(host)

    def put(self, host, every_site, site_id):
        with self.lock:
            while len(self.found) >= self.size:
                self.found.pop(next(iter(self.found)), None)
            self.found[host] = (every_site, site_id)

    def clear(self):
        with self.lock:
            self.found = {}


#: This process's hosts and their Sites.
SITES = HostSites(1000)


def site_generation(host, request):
    """The generation the feeds of ``host`` must carry: of every site and, with a
    ``request`` to find its Site by, of that Site."""
    if request is None:
        return current_generation()
    known = SITES.get(host)
    if known is not None:
        generation = current_generation(known[1])
        if generation is None or generation.partition("|")[0] == known[0]:
            return generation
    site = Site.find_for_request(request)
    generation = current_generation(site.pk if site is not None else "none")
    if generation is not None:  # None: the shared cache does not answer
        SITES.put(host, generation.partition("|")[0], site.pk if site is not None else "none")
    return generation


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
    when it is full (query strings are the client's to choose). A stale feed
    is never served (:func:`lookup` checks its generation) and is replaced
    when its address is rendered again; the generations are per site, so a
    change on one site leaves the others' feeds in place."""

    def __init__(self):
        self.feeds = {}
        self.lock = threading.Lock()

    def get(self, key):
        return self.feeds.get(key)

    def put(self, key, feed):
        with self.lock:
            self.feeds.pop(key, None)
            while len(self.feeds) >= conf.local_feeds():
                self.feeds.pop(next(iter(self.feeds)), None)
            self.feeds[key] = feed

    def clear(self):
        with self.lock:
            self.feeds = {}


#: This process's rendered feeds.
LOCAL = LocalFeeds()


@dataclass(frozen=True)
class Claim:
    """The right to render one feed for one generation; ``locked`` when this
    request holds the render lock, ``previous`` the stale feed if any."""

    address: FeedAddress
    key: str
    generation: str | None
    locked: bool
    previous: RenderedFeed | None


def shared_feed(key, generation):
    """The feed Django's cache holds under ``key``, if current for ``generation``."""
    feed = cache.get(key)
    return feed if feed is not None and feed.fresh(generation) else None


def lookup(address, request=None):
    """(the current rendered feed at ``address``, None), or (None, a claim
    to render it) when there is none; waits briefly for another process
    already rendering it. ``request`` finds the Site whose generation counts."""
    generation = site_generation(address.host, request)
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
        if site_generation(address.host, request) != generation:
            break  # news changed meanwhile: render the new state
    # Nobody else rendered it (or the renderer is slow or gone): render it here.
    return None, Claim(address, key, generation, locked, stored or local)


def store(claim, document, body, content_type, gone=False):
    """Keep the rendered ``document`` (None: there is no such feed, ``gone``
    if a deleted tag's) and release the claim; returns what to serve."""
    seconds = lifetime(document, claim.generation)
    changed = None if document is None else last_modified(document, claim, body)
    if document is None:
        feed = missing_feed(claim.generation, time.time() + seconds, gone)
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

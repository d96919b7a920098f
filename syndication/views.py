"""HTTP for the feeds: cached bytes, conditional GET, compression.

A warm request finds the rendered feed in this process's memory, under the
request's format, scheme, host and raw query string, with its gzipped body
and validators ready: no round trip, no database, no parsing, so a poll
costs about what serving constant bytes does.
"""

import datetime

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

from syndication import conf
from syndication.cache import LocalFeeds, get_or_render
from syndication.document import FORMATS, FeedAddress, build_document
from syndication.feeds import render_atom, render_rss
from syndication.invalidation import current_generation
from syndication.jsonfeed import render_json
from syndication.news import public_news, site_for_request

WRITERS = {"rss": render_rss, "atom": render_atom, "json": render_json}
MAX_TAG_LENGTH = 100
#: This process's rendered feeds.
LOCAL = LocalFeeds()


def feed_address(request, fmt):
    """The feed a request asks for; 404 for a malformed page or tag."""
    tag = request.GET.get("tag", "").strip()
    page = request.GET.get("page", "1")
    if len(tag) > MAX_TAG_LENGTH or not page.isdigit() or int(page) < 1:
        raise Http404("No such feed.")
    origin = conf.base_url() or f"{request.scheme}://{request.get_host()}"
    return FeedAddress(
        host=request.get_host(), origin=origin, fmt=fmt, tag=tag, page=int(page)
    )


def cache_timeout(document):
    """Seconds to cache a document: no longer than until an item expires."""
    timeout = conf.cache_timeout()
    now = datetime.datetime.now(datetime.UTC)
    for item in document.items:
        if item.expires is not None:
            timeout = min(timeout, max(1, int((item.expires - now).total_seconds()) + 1))
    return timeout


def render_feed(request, address, changed_at):
    site = site_for_request(request)
    if site is None:
        return None
    document = build_document(address, site, request)
    if document is None:
        return None
    body = WRITERS[address.fmt](document)
    # Removing an item can make the newest change older; never let
    # Last-Modified go back, or If-Modified-Since would hide the removal.
    last_modified = max(document.updated.timestamp(), changed_at)
    return body, last_modified, FORMATS[address.fmt][0], cache_timeout(document)


@require_safe
def news_feed(request, fmt):
    generation = current_generation()
    meta = request.META
    # The raw headers get_host() reads, not its result (validating costs more
    # than the rest of a warm request): a key is stored only after a miss
    # has gone through get_host(), and equal headers give an equal host.
    key = (
        fmt, request.scheme, meta.get("HTTP_HOST") or request.get_host(),
        meta.get("HTTP_X_FORWARDED_HOST"), meta.get("QUERY_STRING", ""),
    )
    feed = LOCAL.get(key, generation)
    if feed is None:
        address = feed_address(request, fmt)
        feed = get_or_render(
            address, lambda changed_at: render_feed(request, address, changed_at), generation
        )
        LOCAL.put(key, feed)
    if feed.body is None:
        raise Http404("No such feed.")
    return feed.respond(request)


@require_safe
def feed_index(request):
    """A small page listing the site's feeds, with subscribe links."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site.")
    origin = conf.base_url() or f"{request.scheme}://{request.get_host()}"
    address = FeedAddress(host=request.get_host(), origin=origin, fmt="rss")
    tags = (
        public_news(site)
        .filter(tagged_items__isnull=False)
        .values_list("tagged_items__tag__name", "tagged_items__tag__slug")
        .distinct()
        .order_by("tagged_items__tag__name")
    )
    context = {
        "site": site,
        "feeds": [
            {"label": label, "url": address.url(fmt=fmt), "type": FORMATS[fmt][0].split(";")[0]}
            for fmt, label in (("rss", "RSS 2.0"), ("atom", "Atom 1.0"), ("json", "JSON Feed"))
        ],
        "tags": [
            {"name": name, "url": FeedAddress(address.host, origin, "rss", slug).url()}
            for name, slug in tags
        ],
    }
    return render(request, "syndication/index.html", context)

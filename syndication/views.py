"""HTTP for the feeds: cached bytes, conditional GET, compression.

A warm request reads the generation and the rendered feed from the cache in
one round trip and touches no database, so a poll costs about what serving
a static file does.
"""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from wagtail.models import Site

from syndication import conf
from syndication.cache import get_or_render
from syndication.document import FORMATS, FeedAddress, build_document
from syndication.feeds import render_atom, render_rss
from syndication.jsonfeed import render_json
from syndication.news import public_news

WRITERS = {"rss": render_rss, "atom": render_atom, "json": render_json}
MAX_TAG_LENGTH = 100


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
    site = Site.find_for_request(request)
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


@gzip_page
@require_safe
def news_feed(request, fmt):
    address = feed_address(request, fmt)
    feed = get_or_render(
        address, lambda changed_at: render_feed(request, address, changed_at)
    )
    if feed.body is None:
        raise Http404("No such feed.")
    response = HttpResponse(feed.body, content_type=feed.content_type)
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(int(feed.last_modified))
    patch_cache_control(response, public=True, max_age=conf.max_age())
    return get_conditional_response(
        request, etag=feed.etag, last_modified=int(feed.last_modified), response=response
    )


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

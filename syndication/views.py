"""HTTP for the feeds: cached bytes, conditional GET, compression.

A warm request finds the rendered feed in this process's memory, under the
request's format, scheme, host and raw query string, with its gzipped body
and validators ready: no round trip, no database, no parsing, so a poll
costs about what serving constant bytes does.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

from cms.api.query import MalformedQuery, check_query, whole_number
from syndication import conf
from syndication.cache import LocalFeeds, get_or_render
from syndication.document import FORMATS, NEWS_FORMATS, FeedAddress, build_document
from syndication.feeds import render_atom, render_rss
from syndication.ics import render_ics
from syndication.invalidation import current_generation
from syndication.jsonfeed import render_json
from syndication.news import public_news

WRITERS = {"rss": render_rss, "atom": render_atom, "json": render_json, "ics": render_ics}
MAX_TAG_LENGTH = 100
#: Feed pages beyond this are refused: 100 items a page reach 10⁸ items.
MAX_PAGE = 1_000_000
#: This process's rendered feeds.
LOCAL = LocalFeeds()


def origin(request):
    return conf.base_url() or f"{request.scheme}://{request.get_host()}"


def feed_address(request, fmt):
    """The feed a request asks for; MalformedQuery for a malformed query."""
    query = request.GET
    check_query(query)
    tag = query.get("tag", "").strip()
    if len(tag) > MAX_TAG_LENGTH:
        raise MalformedQuery(f"tag must be at most {MAX_TAG_LENGTH} characters")
    page = whole_number("page", query.get("page", "1"), minimum=1, maximum=MAX_PAGE)
    milestones = query.get("milestones", "0")
    if milestones not in ("0", "1"):
        raise MalformedQuery("milestones must be 0 or 1")
    if fmt == "ics":
        tag, page = "", 1
    return FeedAddress(
        host=request.get_host(), origin=origin(request), fmt=fmt, tag=tag, page=page,
        milestones=fmt == "ics" and milestones == "1",
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
        try:
            address = feed_address(request, fmt)
        except MalformedQuery as error:
            return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")
        feed = get_or_render(
            address, lambda changed_at: render_feed(request, address, changed_at), generation
        )
        LOCAL.put(key, feed)
    if feed.body is None:
        return HttpResponse(
            "No such feed.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    return feed.respond(request)


FORMAT_LABELS = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed"}


@require_safe
def feed_index(request):
    """The site's feeds, the events calendar and the tag feeds, with subscribe links."""
    site = Site.find_for_request(request)
    if site is None:
        return HttpResponse("No site.\n", status=404, content_type="text/plain; charset=utf-8")
    home = FeedAddress(host=request.get_host(), origin=origin(request), fmt="rss")
    calendar = FeedAddress(home.host, home.origin, "ics")
    tags = (
        public_news(site)
        .filter(tagged_items__isnull=False)
        .values_list("tagged_items__tag__name", "tagged_items__tag__slug")
        .distinct()
        .order_by("tagged_items__tag__name")
    )
    context = {
        "site": site,
        "site_name": site.site_name or settings.WAGTAIL_SITE_NAME or site.root_page.title,
        "feeds": [
            {"label": FORMAT_LABELS[fmt], "url": home.url(fmt=fmt), "type": mime_type(fmt)}
            for fmt in NEWS_FORMATS
        ],
        "calendars": [
            {"label": "Events", "url": calendar.url(), "type": mime_type("ics")},
            {
                "label": "Events and work-package milestones",
                "url": FeedAddress(home.host, home.origin, "ics", milestones=True).url(),
                "type": mime_type("ics"),
            },
        ],
        "tags": [
            {
                "name": name,
                "feeds": [
                    {"label": FORMAT_LABELS[fmt], "url": home.url(fmt=fmt, tag=slug),
                     "type": mime_type(fmt)}
                    for fmt in NEWS_FORMATS
                ],
            }
            for name, slug in tags
        ],
    }
    return render(request, "syndication/index.html", context)


def mime_type(fmt):
    return FORMATS[fmt][0].split(";")[0]

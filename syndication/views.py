"""The feeds' views. A feed request goes one way: which feed is asked
(:mod:`~syndication.address`), the cached render if current
(:mod:`~syndication.cache`), else what it shows (:mod:`~syndication.query`),
its document (:mod:`~syndication.document`) and its bytes in the format
asked (the writers), kept; then the HTTP response (:mod:`~syndication.response`).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

from syndication import cache
from syndication.address import (
    FORMATS,
    NEWS_FORMATS,
    FeedAddress,
    MalformedAddress,
    feed_address,
    request_origin,
)
from syndication.document import build_document
from syndication.feeds import render_atom, render_rss
from syndication.ics import render_ics
from syndication.jsonfeed import render_json
from syndication.query import NoFeed, public_news, read_feed
from syndication.response import bad_request, respond

WRITERS = {"rss": render_rss, "atom": render_atom, "json": render_json, "ics": render_ics}


@require_safe
def news_feed(request, fmt):
    try:
        address = feed_address(request, fmt)
    except MalformedAddress as error:
        return bad_request(error)
    feed, claim = cache.lookup(address, request)
    if feed is None:
        content = read_feed(address, request)
        missing = isinstance(content, NoFeed)
        document = None if missing else build_document(address, content)
        body = None if missing else WRITERS[fmt](document)
        feed = cache.store(claim, document, body, address.content_type,
                           gone=missing and content.gone)
    return respond(feed, request)


FORMAT_LABELS = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed"}


@require_safe
def feed_index(request):
    """The site's feeds, the events calendar and the tag feeds, with subscribe links."""
    site = Site.find_for_request(request)
    if site is None:
        return HttpResponse("No site.\n", status=404, content_type="text/plain; charset=utf-8")
    home = FeedAddress(host=request.get_host(), origin=request_origin(request), fmt="rss")
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

"""The product's URLs plus the two baselines the benchmark compares against."""

import os
from functools import cache

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import path
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from config.urls import urlpatterns as product_urlpatterns
from syndication.query import public_news


@cache
def constant_bytes():
    """The warm feed's own bytes (written by run.py), so only the work differs."""
    with open(os.environ["BENCH_CONSTANT_FILE"], "rb") as file:
        return file.read()


def constant_view(request):
    return HttpResponse(constant_bytes(), content_type="application/rss+xml; charset=utf-8")


class PlainNewsFeed(Feed):
    """What one writes with django.contrib.syndication alone: same items, no cache."""

    title = "News"
    link = "/news/"
    description = "Latest news"

    def get_object(self, request):
        self.request = request
        return Site.find_for_request(request)

    def items(self, site):
        return public_news(site).order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return expand_db_html(item.body)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return f"news/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


urlpatterns = [
    path("bench/constant", constant_view),
    path("bench/plain.rss", PlainNewsFeed()),
    *product_urlpatterns,
]

"""Which news a feed may show, loaded in a fixed number of queries.

A feed is public and shared by every reader through the cache, so it shows
only what an anonymous visitor may see: live pages of the site, within their
schedule, and under no view restriction of any kind (login, password or
groups), whoever asks.
"""

from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Subquery,
)
from wagtail.models import PageViewRestriction, Site

from cms.api.visibility import out_of_schedule_q
from cms.models import NewsIndexPage, NewsPage, NewsPageTag
from syndication.models import FeedSettings


def restricted_q():
    """Pages that are, or sit under, a page with a view restriction."""
    outer_path = ExpressionWrapper(OuterRef("path"), output_field=CharField())
    restrictions = PageViewRestriction.objects.annotate(outer_path=outer_path).filter(
        outer_path__startswith=F("page__path")
    )
    return Exists(restrictions)


def public_news(site):
    """Live, public, in-schedule news pages below the site's root page."""
    root = site.root_page
    return (
        NewsPage.objects.live()
        .filter(path__startswith=root.path, depth__gt=root.depth)
        .exclude(out_of_schedule_q())
        .exclude(restricted_q())
    )


def news_window(site, tag=None, offset=0, limit=20):
    """Up to ``limit + 1`` news pages from ``offset``, newest first.

    The extra row tells whether an older page of the feed exists without a
    COUNT query. Tags come in one more query, images with the pages.
    """
    pages = public_news(site)
    if tag:
        pages = pages.filter(tagged_items__tag__slug=tag)
    return list(
        pages.select_related("image")
        .prefetch_related(
            Prefetch("tagged_items", queryset=NewsPageTag.objects.select_related("tag"))
        )
        .order_by("-date", "-pk")[offset : offset + limit + 1]
    )


def feed_context(site):
    """The site's feed settings and news listing page, in one query.

    The listing page is the feed's home page (None when missing), loaded as
    just enough of a page to build its URL.
    """
    index = (
        NewsIndexPage.objects.live()
        .filter(path__startswith=site.root_page.path)
        .exclude(out_of_schedule_q())
        .exclude(restricted_q())
        .order_by("path")
    )
    found = (
        Site.objects.filter(pk=site.pk)
        .select_related("feedsettings")
        .annotate(
            index_pk=Subquery(index.values("pk")[:1]),
            index_url_path=Subquery(index.values("url_path")[:1]),
        )
        .first()
    )
    try:
        options = found.feedsettings
    except FeedSettings.DoesNotExist:
        options = FeedSettings(site=site)
    news_page = None
    if found.index_pk is not None:
        news_page = NewsIndexPage(pk=found.index_pk, url_path=found.index_url_path)
    return options, news_page

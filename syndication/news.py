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
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
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


#: What a feed item is built from; the rest of a page is not loaded.
ITEM_FIELDS = (
    "title", "date", "summary", "body", "url_path", "path", "depth", "locale_id",
    "first_published_at", "last_published_at", "expire_at",
    "image", "image__file", "image__file_size", "image__width", "image__height",
)


def news_window(site, tag=None, offset=0, limit=20):
    """Up to ``limit + 1`` news pages from ``offset``, newest first.

    The extra row tells whether an older page of the feed exists without a
    COUNT query. Images come with the pages; tag names in one more query,
    as ``page.tag_names`` (plain values: model instances and the cluster
    machinery cost more than the rest of the render).
    """
    pages = public_news(site)
    if tag:
        pages = pages.filter(tagged_items__tag__slug=tag)
    pages = list(
        pages.select_related("image")
        .only(*ITEM_FIELDS)
        .order_by("-date", "-pk")[offset : offset + limit + 1]
    )
    names = {page.pk: [] for page in pages}
    if names:
        tagged = NewsPageTag.objects.filter(content_object_id__in=list(names))
        for page_pk, name in tagged.values_list("content_object_id", "tag__name"):
            names[page_pk].append(name)
    for page in pages:
        page.tag_names = names[page.pk]
    return pages


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
    # One subquery for both fields ("pk url_path"; a primary key has no
    # space): each subquery costs more to build than to run.
    index_fields = Concat(Cast("pk", CharField()), Value(" "), "url_path", output_field=CharField())
    found = (
        Site.objects.filter(pk=site.pk)
        .select_related("feedsettings")
        .annotate(news_index=Subquery(index.annotate(fields=index_fields).values("fields")[:1]))
        .first()
    )
    try:
        options = found.feedsettings
    except FeedSettings.DoesNotExist:
        options = FeedSettings(site=site)
    news_page = None
    if found.news_index is not None:
        pk, _space, url_path = found.news_index.partition(" ")
        news_page = NewsIndexPage(pk=int(pk), url_path=url_path)
    return options, news_page

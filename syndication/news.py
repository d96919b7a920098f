"""Which news a feed may show, loaded in a fixed number of queries.

A feed is public and shared by every reader through the cache, so it shows
only what an anonymous visitor may see (``cms.visibility``): live pages
of the site, within their schedule (the database's clock), under no view
restriction of any kind (login, password or groups), whoever asks.

Restricted paths are read first, in one small query, and the news query
filters on them: its plan then never depends on planner statistics (a
correlated restriction check on a never-analysed PostgreSQL database took
seconds).
"""

from functools import lru_cache

from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat, Now

from cms.models import NewsIndexPage, NewsPage, NewsPageTag
from cms.visibility import publicly_visible, restricted_paths

#: Built querysets kept per process, by the values they are built for. They
#: hold no rows (only clones of them are ever evaluated) and no clock
#: reading (the database's own ``Now()``), so reusing one is exactly
#: building it again, minus the cost of building: most of a cold render's
#: ORM time. Bounded, as hostnames come from clients.
QUERYSETS = 64


@lru_cache(maxsize=QUERYSETS)
def _public_news(root_path, root_depth, restricted):
    pages = NewsPage.objects.filter(path__startswith=root_path, depth__gt=root_depth)
    return publicly_visible(pages, Now(), restricted)


def public_news(site, restricted=None):
    """Live, public, in-schedule news pages below the site's root page."""
    root = site.root_page
    if restricted is None:
        restricted = restricted_paths()
    return _public_news(root.path, root.depth, restricted).all()


#: What a feed item is built from; the rest of a page is not loaded.
ITEM_FIELDS = (
    "title", "date", "summary", "body", "url_path", "path", "depth", "locale_id",
    "first_published_at", "last_published_at", "expire_at",
    "event_start", "event_end", "location",
    "image", "image__file", "image__file_size", "image__width", "image__height",
)


def news_index_fields(root_path, restricted):
    """One scalar subquery for the site's news listing page: "pk url_path"
    (a primary key has no space)."""
    index = publicly_visible(
        NewsIndexPage.objects.filter(path__startswith=root_path), Now(), restricted
    ).order_by("path")
    fields = Concat(Cast("pk", CharField()), Value(" "), "url_path", output_field=CharField())
    return Subquery(index.annotate(fields=fields).values("fields")[:1])


@lru_cache(maxsize=QUERYSETS)
def _window(root_path, root_depth, restricted):
    return (
        _public_news(root_path, root_depth, restricted)
        .select_related("image")
        .only(*ITEM_FIELDS)
        .annotate(news_index=news_index_fields(root_path, restricted))
        .order_by("-date", "-pk")
    )


def tag_q(tag):
    """News tagged ``tag``, given as a tag's name (any case) or its slug."""
    tags = NewsPageTag.objects.filter(content_object=OuterRef("pk")).filter(
        Q(tag__name__iexact=tag) | Q(tag__slug=tag)
    )
    return Exists(tags)


def news_window(site, tag=None, offset=0, limit=20, restricted=None):
    """Up to ``limit + 1`` news pages from ``offset``, newest first.

    The extra row tells whether an older page of the feed exists without a
    COUNT query. Images come with the pages, and each row carries the site's
    news listing page (``news_index``); tag names and slugs in one more
    query, as ``page.tags_found`` (plain values: model instances and the
    cluster machinery cost more than the rest of the render).
    """
    root = site.root_page
    if restricted is None:
        restricted = restricted_paths()
    pages = _window(root.path, root.depth, restricted)
    if tag:
        pages = pages.filter(tag_q(tag))
    pages = list(pages[offset : offset + limit + 1])
    found = {page.pk: [] for page in pages}
    if found:
        tagged = NewsPageTag.objects.filter(content_object_id__in=list(found))
        for page_pk, name, slug in tagged.values_list(
            "content_object_id", "tag__name", "tag__slug"
        ):
            found[page_pk].append((name, slug))
    for page in pages:
        page.tags_found = found[page.pk]
        page.tag_names = [name for name, _slug in found[page.pk]]
    return pages


def news_index(site, pages, restricted):
    """The site's news listing page, as just enough of a page to build its
    URL: from the news rows when there are any, else in one query."""
    if pages:
        fields = pages[0].news_index
        if not fields:
            return None
        pk, _space, url_path = fields.partition(" ")
        return NewsIndexPage(pk=int(pk), url_path=url_path)
    root = site.root_page
    indexes = NewsIndexPage.objects.filter(path__startswith=root.path)
    found = (
        publicly_visible(indexes, Now(), restricted)
        .order_by("path")
        .values_list("pk", "url_path")
        .first()
    )
    return None if found is None else NewsIndexPage(pk=found[0], url_path=found[1])

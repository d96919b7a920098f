"""Which news a feed may show, loaded in a fixed number of queries.

A feed is public and shared by every reader through the cache, so it shows
only what an anonymous visitor may see: live pages of the site, within their
schedule, and under no view restriction of any kind (login, password or
groups), whoever asks.
"""

from functools import lru_cache

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Now
from django.db.models.lookups import StartsWith
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from cms.models import NewsIndexPage, NewsPage, NewsPageTag
from syndication.models import FeedSettings

#: Built querysets kept per process, by the values they are built for. They
#: hold no rows (only clones of them are ever evaluated) and no clock
#: reading (the database's own ``Now()``), so reusing one is exactly
#: building it again, minus the cost of building: most of a cold render's
#: ORM time. Bounded, as hostnames come from clients.
QUERYSETS = 64


def out_of_schedule_q():
    """Pages that are expired, or scheduled for later, now (the database's
    clock at each query, as ``cms.api.visibility.out_of_schedule_q`` with
    the application's clock)."""
    return Q(expire_at__lte=Now()) | Q(go_live_at__gt=Now())


def restricted_q():
    """Pages that are, or sit under, a page with a view restriction."""
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))


@lru_cache(maxsize=QUERYSETS)
def _public_news(root_path, root_depth):
    return (
        NewsPage.objects.live()
        .filter(path__startswith=root_path, depth__gt=root_depth)
        .exclude(out_of_schedule_q())
        .exclude(restricted_q())
    )


def public_news(site):
    """Live, public, in-schedule news pages below the site's root page."""
    root = site.root_page
    return _public_news(root.path, root.depth).all()


#: What a feed item is built from; the rest of a page is not loaded.
ITEM_FIELDS = (
    "title", "date", "summary", "body", "url_path", "path", "depth", "locale_id",
    "first_published_at", "last_published_at", "expire_at",
    "image", "image__file", "image__file_size", "image__width", "image__height",
)


@lru_cache(maxsize=QUERYSETS)
def _window(root_path, root_depth):
    return (
        _public_news(root_path, root_depth)
        .select_related("image")
        .only(*ITEM_FIELDS)
        .order_by("-date", "-pk")
    )


def news_window(site, tag=None, offset=0, limit=20):
    """Up to ``limit + 1`` news pages from ``offset``, newest first.

    The extra row tells whether an older page of the feed exists without a
    COUNT query. Images come with the pages; tag names in one more query,
    as ``page.tag_names`` (plain values: model instances and the cluster
    machinery cost more than the rest of the render).
    """
    root = site.root_page
    pages = _window(root.path, root.depth)
    if tag:
        pages = pages.filter(tagged_items__tag__slug=tag)
    pages = list(pages[offset : offset + limit + 1])
    names = {page.pk: [] for page in pages}
    if names:
        tagged = NewsPageTag.objects.filter(content_object_id__in=list(names))
        for page_pk, name in tagged.values_list("content_object_id", "tag__name"):
            names[page_pk].append(name)
    for page in pages:
        page.tag_names = names[page.pk]
    return pages


def news_index_fields(root_path):
    """One subquery for the site's news listing page: "pk url_path" (a
    primary key has no space); each subquery costs more to build than to run."""
    index = (
        NewsIndexPage.objects.live()
        .filter(path__startswith=root_path)
        .exclude(out_of_schedule_q())
        .exclude(restricted_q())
        .order_by("path")
    )
    fields = Concat(Cast("pk", CharField()), Value(" "), "url_path", output_field=CharField())
    return Subquery(index.annotate(fields=fields).values("fields")[:1])


def attach_context(site):
    """Turn the row's feed settings and news index into ``site.feed_context``."""
    try:
        options = site.feedsettings
    except FeedSettings.DoesNotExist:
        options = FeedSettings(site=site)
    news_page = None
    if site.news_index is not None:
        pk, _space, url_path = site.news_index.partition(" ")
        news_page = NewsIndexPage(pk=int(pk), url_path=url_path)
    site.feed_context = (options, news_page)
    return site


#: Wagtail's ranking of the sites a host may pick (wagtail.models.sites).
MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = 0, 1, 2, 3


@lru_cache(maxsize=QUERYSETS)
def _sites(hostname, port):
    """The sites a host may pick, best first, as ``get_site_for_hostname``."""
    return (
        Site.objects.filter(Q(hostname=hostname) | Q(is_default_site=True))
        .annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            ),
            news_index=news_index_fields(OuterRef("root_page__path")),
        )
        .order_by("match")
        .select_related("root_page", "feedsettings")
    )


def site_for_request(request):
    """The request's Site, as ``Site.find_for_request`` picks it, with its
    root page, feed settings and news listing page, in one query.

    Wagtail's lookup costs a query of its own on every call; this one also
    brings what :func:`feed_context` would load. The site is remembered on
    the request as Wagtail does, so page URLs built for the request reuse it.
    """
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    sites = list(_sites(hostname, request.get_port()).all())
    site = None
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            site = sites[0]
        elif sites[0].match == MATCH_DEFAULT:
            # The default site, unless exactly one other site has the hostname.
            site = sites[len(sites) == 2]
    if site is not None:
        attach_context(site)
    request._wagtail_site = site
    return site


def feed_context(site):
    """The site's feed settings and news listing page, in one query (none
    when the site came from :func:`site_for_request`).

    The listing page is the feed's home page (None when missing), loaded as
    just enough of a page to build its URL.
    """
    found = getattr(site, "feed_context", None)
    if found is not None:
        return found
    found = (
        Site.objects.filter(pk=site.pk)
        .select_related("feedsettings")
        .annotate(news_index=news_index_fields(site.root_page.path))
        .first()
    )
    return attach_context(found).feed_context

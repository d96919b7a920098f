"""Everything a feed shows, read from the database in a fixed number of queries.

A feed is public and shared by every reader through the cache, so it shows
only what an anonymous visitor may see (``cms.visibility``): live pages
of the site, within their schedule (the database's clock), under no view
restriction of any kind (login, password or groups), whoever asks.

Restricted paths are read first, in one small query, and the news query
filters on them: its plan then never depends on planner statistics (a
correlated restriction check on a never-analysed PostgreSQL database took
seconds). A news feed costs six queries (site, feed settings, restricted
paths, news with their images and listing page, tags, linked pages), a tag
feed one more (it notes the tag as served, or finds it when it has no news),
the calendar five or six.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat, Now
from taggit.models import Tag
from wagtail.models import Site

from cms.models import Milestone, NewsIndexPage, NewsPage, NewsPageTag, WorkPackagePage
from cms.visibility import publicly_visible, restricted_paths
from syndication.models import FeedSettings, ServedTag
from syndication.richtext import expanded_bodies

#: Built querysets kept per process, by the values they are built for. They
#: hold no rows (only clones of them are ever evaluated) and no clock
#: reading (the database's own ``Now()``), so reusing one is exactly
#: building it again, minus the cost of building: most of a cold render's
#: ORM time. Bounded, as hostnames come from clients.
QUERYSETS = 64
#: The calendar lists at most this many events, the latest first.
MAX_EVENTS = 1000

#: What a feed item is built from; the rest of a page is not loaded.
ITEM_FIELDS = (
    "title", "date", "summary", "body", "url_path", "path", "depth", "locale_id",
    "first_published_at", "last_published_at", "expire_at",
    "event_start", "event_end", "location",
    "image", "image__file", "image__file_size", "image__width", "image__height",
)


@dataclass
class FeedContent:
    """What one feed document is built from. Each page carries its public
    URL (``feed_url``), its tags as (name, slug) pairs (``tags_found``) and,
    for full text, its body with Wagtail's links expanded (``feed_body``)."""

    site: Site
    options: FeedSettings
    pages: list
    #: The site's news listing page, else its home page.
    home_url: str
    has_older: bool = False
    #: Work-package milestones (the calendar with ``?milestones=1``), each
    #: with its page's public URL (``page_url``).
    milestones: list = field(default_factory=list)
    #: (name, slug) of the tag a tag feed is for.
    tag: tuple | None = None


@lru_cache(maxsize=QUERYSETS)
def _public_news(root_path, root_depth, restricted):
    return publicly_visible(NewsPage.below(root_path, root_depth), Now(), restricted)


def public_news(site, restricted=None):
    """Live, public, in-schedule news pages below the site's root page."""
    if restricted is None:
        restricted = restricted_paths()
    root = site.root_page
    return _public_news(root.path, root.depth, restricted).all()


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


def news_window(site, tag, offset, limit, restricted):
    """Up to ``limit + 1`` news pages from ``offset``, newest first.

    The extra row tells whether an older page of the feed exists without a
    COUNT query. Images come with the pages, and each row carries the site's
    news listing page (``news_index``); tag names and slugs in one more
    query, as ``page.tags_found`` (plain values: model instances and the
    cluster machinery cost more than the rest of the render).
    """
    root = site.root_page
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
    indexes = NewsIndexPage.objects.filter(path__startswith=site.root_page.path)
    found = (
        publicly_visible(indexes, Now(), restricted)
        .order_by("path")
        .values_list("pk", "url_path")
        .first()
    )
    return None if found is None else NewsIndexPage(pk=found[0], url_path=found[1])


def matched_tag(pages, tag):
    """(name, slug) of the tag ``tag`` names (a name in any case, or a slug)."""
    wanted = tag.casefold()
    for page in pages:
        for name, slug in page.tags_found:
            if slug == tag or name.casefold() == wanted:
                return name, slug
    return tag, tag


def named(tags, tag):
    return tags.filter(Q(slug=tag) | Q(name__iexact=tag))


def served_tag(tag):
    """(name, slug) of the existing tag ``tag`` names, if its feed has
    listed public news before: its feed is then empty, not missing."""
    served = ServedTag.objects.values("slug")
    return named(Tag.objects.filter(slug__in=served), tag).values_list("name", "slug").first()


def tag_gone(tag):
    """Whether ``tag`` names a tag whose feed listed news and that is deleted since."""
    existing = Tag.objects.values("slug")
    return named(ServedTag.objects.all(), tag).exclude(slug__in=existing).exists()


def public_milestones(site, restricted):
    packages = publicly_visible(
        WorkPackagePage.objects.filter(path__startswith=site.root_page.path), Now(), restricted
    )
    return list(
        Milestone.objects.filter(page__in=packages.values("pk"))
        .select_related("page")
        .order_by("page__path", "sort_order", "pk")  # milestones saved without an order: as made
    )


@dataclass(frozen=True)
class NoFeed:
    """There is no feed at the address; ``gone``: it was a tag feed, and its tag is deleted."""

    gone: bool = False


def no_feed(address):
    return NoFeed(gone=bool(address.tag) and tag_gone(address.tag))


def read_feed(address, request):
    """What the feed at ``address`` shows, else :class:`NoFeed`.

    A tag used by no public news of the site is no feed at all, exactly
    like a tag that does not exist: its name is nobody's business.
    """
    site = Site.find_for_request(request)
    if site is None:
        return no_feed(address)
    options = FeedSettings.for_request(request)
    restricted = restricted_paths()  # the same for every reader: a feed is public
    milestones, tag = [], None
    if address.fmt == "ics":
        pages = list(
            public_news(site, restricted)
            .filter(event_start__isnull=False)
            .select_related("image")
            .only(*ITEM_FIELDS)
            .order_by("-event_start", "-pk")[:MAX_EVENTS]
        )
        for page in pages:
            page.tags_found = []  # the calendar has no categories
        has_older, home = False, site.root_page
        if address.milestones:
            milestones = public_milestones(site, restricted)
    else:
        per_page = options.item_count
        offset = (address.page - 1) * per_page
        pages = news_window(site, address.tag, offset, per_page, restricted)
        has_older, pages = len(pages) > per_page, pages[:per_page]
        if address.tag and pages:
            tag = matched_tag(pages, address.tag)
            ServedTag.objects.bulk_create(
                [ServedTag(name=tag[0], slug=tag[1])], ignore_conflicts=True
            )
        elif address.tag and address.page == 1:
            tag = served_tag(address.tag)
            if tag is None:
                return no_feed(address)
        elif not pages and address.page > 1:
            return no_feed(address)
        home = news_index(site, pages, restricted) or site.root_page
    for page in pages:
        page.feed_url = page.get_full_url(request)
    for milestone in milestones:
        milestone.page_url = milestone.page.get_full_url(request)
    full_text = options.full_text and address.fmt != "ics"
    bodies = expanded_bodies(pages, request, full_text, restricted)
    for page, body in zip(pages, bodies, strict=True):
        page.feed_body = body
    return FeedContent(
        site, options, pages, home.get_full_url(request) or site.root_page.get_full_url(request),
        has_older, milestones, tag,
    )

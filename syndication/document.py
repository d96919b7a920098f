"""One feed document, in terms all formats share.

Everything a format writes comes from here, so the RSS, Atom, JSON and
iCalendar versions of a feed always agree, and nothing here depends on the
clock: the same news gives the same document, byte for byte.
"""

import datetime
import mimetypes
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from cms.models import Milestone, WorkPackagePage
from cms.visibility import publicly_visible, restricted_paths
from syndication import conf
from syndication.content import URLResolver, clean_html, clean_text, clean_title
from syndication.events import Event, Period, event_html, milestone_period, news_event
from syndication.models import FeedSettings
from syndication.news import ITEM_FIELDS, news_index, news_window, public_news
from syndication.richtext import expanded_bodies

#: Format name → (content type, URL name).
FORMATS = {
    "rss": ("application/rss+xml; charset=utf-8", "syndication:news_rss"),
    "atom": ("application/atom+xml; charset=utf-8", "syndication:news_atom"),
    "json": ("application/feed+json; charset=utf-8", "syndication:news_json"),
    "ics": ("text/calendar; charset=utf-8", "syndication:events_ics"),
}
#: The formats of the news feeds (the calendar lists events only).
NEWS_FORMATS = ("rss", "atom", "json")
#: The calendar lists at most this many events, the latest first.
MAX_EVENTS = 1000
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class FeedAddress:
    """What picks one feed document: the host asked (which picks the Site),
    the origin its URLs are on, format, tag (a name or a slug), page number,
    and for the calendar whether milestones are included."""

    host: str
    origin: str
    fmt: str
    tag: str = ""
    page: int = 1
    milestones: bool = False

    def url(self, fmt=None, page=None, tag=None):
        """Canonical absolute URL of this feed, or of another format/page/tag of it."""
        page = self.page if page is None else page
        tag = self.tag if tag is None else tag
        query = {}
        if tag:
            query["tag"] = tag
        if page > 1:
            query["page"] = page
        if self.milestones:
            query["milestones"] = 1
        path = reverse(FORMATS[fmt or self.fmt][1])
        return self.origin + path + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True)
class Image:
    url: str
    length: int
    mime_type: str


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    url: str
    #: Plain text; never empty together with ``content_html`` (Atom needs one).
    summary: str
    content_html: str | None
    published: datetime.datetime
    updated: datetime.datetime
    categories: list[str]
    image: Image | None
    #: When the page leaves public view by itself; the cache must not outlive it.
    expires: datetime.datetime | None = None
    event: Event | None = None


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    description: str
    author: str
    language: str
    home_url: str
    self_url: str
    logo_url: str
    updated: datetime.datetime
    hub_url: str
    first_url: str
    next_url: str | None
    previous_url: str | None
    items: list[Item] = field(default_factory=list)
    #: Milestones (the calendar with ``?milestones=1`` only).
    periods: list[Period] = field(default_factory=list)


def tag_uri(specific):
    """A ``tag:`` URI (RFC 4151) that survives edits of title, slug, date and domain."""
    return f"tag:{conf.tag_authority()},{conf.tag_date()}:{specific}"


def item_id(page):
    return tag_uri(f"news/{page.pk}")


def feed_id(tag_slug, fmt="rss"):
    if fmt == "ics":
        return tag_uri("events")
    return tag_uri(f"news/tag/{tag_slug}" if tag_slug else "news")


def news_datetime(page):
    """The news date as an aware datetime (midnight, site time zone)."""
    if page.date is None:
        return page.first_published_at or EPOCH
    midnight = datetime.datetime.combine(page.date, datetime.time())
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def news_image(page, files_base):
    image = page.image
    if image is None or not image.file:
        return None
    mime_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
    url = URLResolver(files_base, files_base)(image.file.url)
    return Image(url=url, length=image.file_size or 0, mime_type=mime_type)


def build_items(pages, request, files_base, full_text):
    bodies = expanded_bodies(pages, request) if full_text else [None] * len(pages)
    items = []
    for page, body in zip(pages, bodies, strict=True):
        url = page.get_full_url(request)
        title = clean_title(page.title)
        event = news_event(page)
        content = clean_html(body, URLResolver(url, files_base)) if body else ""
        if event is not None:
            content = event_html(event) + content
        summary = clean_text(page.summary).strip()
        items.append(
            Item(
                id=item_id(page),
                title=title,
                url=url,
                summary=summary or ("" if content else title),
                content_html=content or None,
                published=news_datetime(page),
                updated=page.last_published_at or news_datetime(page),
                categories=sorted({clean_text(name) for name in getattr(page, "tag_names", ())}),
                image=news_image(page, files_base),
                expires=page.expire_at,
                event=event,
            )
        )
    return items


def matched_tag(pages, tag):
    """(name, slug) of the tag ``tag`` names (a name in any case, or a slug)."""
    wanted = tag.casefold()
    for page in pages:
        for name, slug in page.tags_found:
            if slug == tag or name.casefold() == wanted:
                return name, slug
    return tag, tag


def feed_options(site, request):
    return FeedSettings.for_request(request) if request is not None else FeedSettings.for_site(site)


def site_title(options, site):
    return clean_title(options.title or site.site_name or settings.WAGTAIL_SITE_NAME, "News")


def base_document(address, site, request, options, title, home_url, updated, **fields):
    return Document(
        title=title,
        description=clean_text(options.description) or f"Latest news from {title}",
        author=clean_text(options.author) or title,
        language=settings.LANGUAGE_CODE,
        home_url=home_url,
        self_url=address.url(),
        logo_url=options.logo_url,
        updated=updated or site.root_page.last_published_at or EPOCH,
        hub_url=options.websub_hub,
        first_url=address.url(page=1),
        **fields,
    )


def build_document(address, site, request=None):
    """The feed document at ``address`` for ``site``; None if there is none.

    A tag used by no public news of the site is no feed at all, exactly
    like a tag that does not exist: its name is nobody's business.
    """
    if address.fmt == "ics":
        return build_calendar(address, site, request)
    options = feed_options(site, request)
    restricted = restricted_paths()
    per_page = options.item_count
    pages = news_window(site, address.tag, (address.page - 1) * per_page, per_page, restricted)
    has_older = len(pages) > per_page
    pages = pages[:per_page]
    if not pages and (address.page > 1 or address.tag):
        return None
    items = build_items(pages, request, address.origin, options.full_text)
    index = news_index(site, pages, restricted)
    home_url = (index.get_full_url(request) if index else None) or site.root_page.get_full_url(
        request
    )
    title = site_title(options, site)
    tag_slug = ""
    if address.tag:
        tag_name, tag_slug = matched_tag(pages, address.tag)
        title = f"{title}: {clean_title(tag_name)}"
    return base_document(
        address, site, request, options, title, home_url,
        max((item.updated for item in items), default=None),
        id=feed_id(tag_slug),
        next_url=address.url(page=address.page + 1) if has_older else None,
        previous_url=address.url(page=address.page - 1) if address.page > 1 else None,
        items=items,
    )


def milestone_periods(site, request, restricted):
    root = site.root_page
    packages = publicly_visible(
        WorkPackagePage.objects.filter(path__startswith=root.path), Now(), restricted
    )
    milestones = (
        Milestone.objects.filter(page__in=packages.values("pk"))
        .select_related("page")
        .order_by("page__path", "sort_order")
    )
    periods = []
    for milestone in milestones:
        period = milestone_period(
            milestone, milestone.page.get_full_url(request), tag_uri(f"milestone/{milestone.pk}")
        )
        if period is not None:
            periods.append(period)
    return periods


def build_calendar(address, site, request=None):
    """The events calendar: news about events, and milestones if asked."""
    options = feed_options(site, request)
    restricted = restricted_paths()
    pages = list(
        public_news(site, restricted)
        .filter(event_start__isnull=False)
        .select_related("image")
        .only(*ITEM_FIELDS)
        .order_by("-event_start", "-pk")[:MAX_EVENTS]
    )
    items = build_items(pages, request, address.origin, full_text=False)
    periods = milestone_periods(site, request, restricted) if address.milestones else []
    updates = [item.updated for item in items] + [period.updated for period in periods]
    title = f"{site_title(options, site)}: events"
    return base_document(
        address, site, request, options, title, site.root_page.get_full_url(request),
        max(updates, default=None),
        id=feed_id("", "ics"), next_url=None, previous_url=None, items=items, periods=periods,
    )

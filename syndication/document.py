"""One feed document, in terms all three formats share.

Everything a format writes comes from here, so the RSS, Atom and JSON
versions of a feed always agree, and nothing here depends on the clock: the
same news gives the same document, byte for byte.
"""

import datetime
import mimetypes
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from syndication import conf
from syndication.content import URLResolver, clean_html, clean_text, clean_title
from syndication.news import feed_context, news_window
from syndication.richtext import expanded_bodies

#: Format name → (content type, URL name).
FORMATS = {
    "rss": ("application/rss+xml; charset=utf-8", "syndication:news_rss"),
    "atom": ("application/atom+xml; charset=utf-8", "syndication:news_atom"),
    "json": ("application/feed+json; charset=utf-8", "syndication:news_json"),
}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class FeedAddress:
    """What picks one feed document: the host asked (which picks the Site),
    the origin its URLs are on, format, tag and page number."""

    host: str
    origin: str
    fmt: str
    tag: str = ""
    page: int = 1

    def url(self, fmt=None, page=None):
        """Canonical absolute URL of this feed, or of another format/page of it."""
        page = self.page if page is None else page
        query = {}
        if self.tag:
            query["tag"] = self.tag
        if page > 1:
            query["page"] = page
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
    summary: str
    content_html: str | None
    published: datetime.datetime
    updated: datetime.datetime
    categories: list[str]
    image: Image | None
    #: When the page leaves public view by itself; the cache must not outlive it.
    expires: datetime.datetime | None = None


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


def item_id(page):
    """A ``tag:`` URI (RFC 4151) that survives edits of title, slug, date and domain."""
    return f"tag:{conf.tag_authority()},{conf.tag_date()}:news/{page.pk}"


def feed_id(tag):
    suffix = f"/tag/{tag}" if tag else ""
    return f"tag:{conf.tag_authority()},{conf.tag_date()}:news{suffix}"


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
    root_paths = None
    if request is not None and full_text:
        # Read once for the request: item URLs and body links share it.
        root_paths = pages[0]._get_site_root_paths(request) if pages else None
    bodies = expanded_bodies(pages, root_paths) if full_text else [None] * len(pages)
    items = []
    for page, body in zip(pages, bodies, strict=True):
        url = page.get_full_url(request)
        items.append(
            Item(
                id=item_id(page),
                title=clean_title(page.title),
                url=url,
                summary=clean_text(page.summary).strip(),
                content_html=clean_html(body, URLResolver(url, files_base)) if body else None,
                published=news_datetime(page),
                updated=page.last_published_at or news_datetime(page),
                categories=sorted({clean_text(name) for name in page.tag_names}),
                image=news_image(page, files_base),
                expires=page.expire_at,
            )
        )
    return items


def tag_exists(slug):
    return Tag.objects.filter(slug=slug).exists()


def build_document(address, site, request=None):
    """The feed document at ``address`` for ``site``; None if that page is empty."""
    options, index = feed_context(site)
    per_page = options.item_count
    pages = news_window(site, address.tag, (address.page - 1) * per_page, per_page)
    has_older = len(pages) > per_page
    pages = pages[:per_page]
    if not pages and (address.page > 1 or (address.tag and not tag_exists(address.tag))):
        return None
    items = build_items(pages, request, address.origin, options.full_text)
    home_url = (index.get_full_url(request) if index else None) or site.root_page.get_full_url(
        request
    )
    title = clean_title(options.title or site.site_name or settings.WAGTAIL_SITE_NAME, "News")
    if address.tag:
        title = f"{title}: {address.tag}"
    updated = max((item.updated for item in items), default=None)
    return Document(
        id=feed_id(address.tag),
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
        next_url=address.url(page=address.page + 1) if has_older else None,
        previous_url=address.url(page=address.page - 1) if address.page > 1 else None,
        items=items,
    )

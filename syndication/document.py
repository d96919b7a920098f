"""One feed document, in terms all formats share, built from what
:mod:`syndication.query` read.

Everything a format writes comes from here, so the RSS, Atom, JSON and
iCalendar versions of a feed always agree, and nothing here depends on the
clock or the database: the same news gives the same document, byte for byte.
"""

import datetime
import mimetypes
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from cms.image_files import stored_file_size
from syndication import conf
from syndication.content import URLResolver, clean_html, clean_text, clean_title
from syndication.events import Event, Period, event_html, milestone_period, news_event

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


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
    #: Who published it: readers that mix feeds show it beside each item.
    author: str
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


def tag_uri(specific, options=None):
    """A ``tag:`` URI (RFC 4151) that survives edits of title, slug, date and domain,
    under the site's own authority (its feed settings) or the instance's."""
    authority = getattr(options, "tag_authority", "") or conf.tag_authority()
    return f"tag:{authority},{conf.tag_date()}:{specific}"


def news_datetime(page):
    """The news date as an aware datetime (midnight, site time zone)."""
    if page.date is None:
        return page.first_published_at or EPOCH
    midnight = datetime.datetime.combine(page.date, datetime.time())
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def news_image(page, files_base):
    """The enclosure of a news page's image; none for a file whose size the
    storage cannot tell (it is gone), rather than a length of 0."""
    image = page.image
    if image is None or not image.file:
        return None
    length = stored_file_size(image)
    if length is None:
        return None
    mime_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
    url = URLResolver(files_base, files_base)(image.file.url)
    return Image(url=url, length=length, mime_type=mime_type)


def item(page, files_base, author, options=None):
    """The feed item of a news page, as :mod:`syndication.query` read it."""
    event, image = news_event(page), news_image(page, files_base)
    title = clean_title(page.title)
    body = page.feed_body
    content = clean_html(body, URLResolver(page.feed_url, files_base)) if body else ""
    if event is not None:
        content = event_html(event) + content
    summary = clean_text(page.summary).strip()
    return Item(
        id=tag_uri(f"news/{page.pk}", options),
        title=title,
        url=page.feed_url,
        summary=summary or ("" if content else title),
        content_html=content or None,
        published=news_datetime(page),
        updated=page.last_published_at or news_datetime(page),
        categories=sorted({clean_text(name) for name, _slug in page.tags_found}),
        author=author,
        image=image,
        expires=page.expire_at,
        event=event,
    )


def build_document(address, content):
    """The feed document at ``address``, from its ``content``."""
    options, site = content.options, content.site
    title = clean_title(options.title or site.site_name or settings.WAGTAIL_SITE_NAME, "News")
    # The publisher, whichever part of its news a feed lists.
    author = clean_text(options.author) or title
    if address.fmt == "ics":
        title, feed_id = f"{title}: events", tag_uri("events", options)
    elif content.tag:
        tag_name, tag_slug = content.tag
        title = f"{title}: {clean_title(tag_name)}"
        feed_id = tag_uri(f"news/tag/{tag_slug}", options)
    else:
        feed_id = tag_uri("news", options)
    items = [item(page, address.origin, author, options) for page in content.pages]
    periods = []
    for milestone in content.milestones:
        period = milestone_period(
            milestone, milestone.page_url, tag_uri(f"milestone/{milestone.pk}", options)
        )
        if period is not None:
            periods.append(period)
    updated = max([i.updated for i in items] + [p.updated for p in periods], default=None)
    return Document(
        id=feed_id,
        title=title,
        description=clean_text(options.description) or f"Latest news from {title}",
        author=author,
        language=settings.LANGUAGE_CODE,
        home_url=content.home_url,
        self_url=address.url(),
        logo_url=options.logo_url,
        updated=updated or site.root_page.last_published_at or EPOCH,
        hub_url=options.websub_hub,
        first_url=address.url(page=1),
        next_url=address.url(page=address.page + 1) if content.has_older else None,
        previous_url=address.url(page=address.page - 1) if address.page > 1 else None,
        items=items,
        periods=periods,
    )

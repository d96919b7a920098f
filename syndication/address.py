"""Which feed a request asks for: its format, tag, page, host and origin.

The feeds' query string is read here and nowhere else, and refused (a 400)
before anything is looked up when it is malformed: control characters
(``cms.query_string``'s rule, as the API has it), a page that is no whole
number in ASCII digits or beyond :data:`MAX_PAGE`, a tag too long.

Feed readers poll the same few addresses, so each is read once per process
(:data:`READ`): parsing a query string and validating the host cost a warm
request more than the rest of its view.
"""

import threading
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse

from cms.query_string import CONTROL_CHARACTERS
from syndication import conf

#: Format name → (content type, URL name).
FORMATS = {
    "rss": ("application/rss+xml; charset=utf-8", "syndication:news_rss"),
    "atom": ("application/atom+xml; charset=utf-8", "syndication:news_atom"),
    "json": ("application/feed+json; charset=utf-8", "syndication:news_json"),
    "ics": ("text/calendar; charset=utf-8", "syndication:events_ics"),
}
#: The formats of the news feeds (the calendar lists events only).
NEWS_FORMATS = ("rss", "atom", "json")
MAX_TAG_LENGTH = 100
#: Feed pages beyond this are refused: 100 items a page reach 10⁸ items.
MAX_PAGE = 1_000_000


class MalformedAddress(ValueError):
    """A feed query no lookup may see; its text says why, in one line."""


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

    @property
    def content_type(self):
        return FORMATS[self.fmt][0]


def request_origin(request):
    """The origin the feeds' own URLs are on: ``SYNDICATION_BASE_URL``, else the request's."""
    return conf.base_url() or f"{request.scheme}://{request.get_host()}"


def page_number(value):
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise MalformedAddress(f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(value)


class ReadAddresses:
    """What this process has read from each raw request: a FeedAddress, or
    the reason (a string) it is malformed. Keyed by everything the reading
    depends on: the format, the raw query string and every input of
    ``request.get_host()`` and of the origin; a host is validated before its
    address is kept, and the settings the reading depends on are never
    changed but by tests, which :func:`forget_read_addresses` follows.
    Bounded, as clients choose query strings and hosts: the oldest goes."""

    def __init__(self, size):
        self.size = size
        self.found = {}
        self.lock = threading.Lock()

    def get(self, key):
        return self.found.get(key)

    def put(self, key, value):
        with self.lock:
            while len(self.found) >= self.size:
                self.found.pop(next(iter(self.found)), None)
            self.found[key] = value

    def clear(self):
        with self.lock:
            self.found = {}


#: This process's read addresses.
READ = ReadAddresses(1000)


@receiver(setting_changed)
def forget_read_addresses(**kwargs):
    """A setting changed (tests do this): ALLOWED_HOSTS,
    SYNDICATION_BASE_URL or a proxy header may read differently now."""
    READ.clear()


def feed_address(request, fmt):
    """The feed ``request`` asks for in format ``fmt``; MalformedAddress if malformed."""
    meta = request.META
    key = (
        fmt, meta.get("QUERY_STRING", ""), request.scheme, meta.get("HTTP_HOST"),
        meta.get("HTTP_X_FORWARDED_HOST"), meta.get("SERVER_NAME"), meta.get("SERVER_PORT"),
    )
    found = READ.get(key)
    if found is None:
        try:
            found = read_address(request, fmt)
        except MalformedAddress as error:
            found = str(error)
        READ.put(key, found)
    if isinstance(found, str):
        raise MalformedAddress(found)
    return found


def read_address(request, fmt):
    query = request.GET
    for name, values in query.lists():
        if any(CONTROL_CHARACTERS.search(text) for text in (name, *values)):
            raise MalformedAddress("the query must not contain control characters")
    tag = query.get("tag", "").strip()
    if len(tag) > MAX_TAG_LENGTH:
        raise MalformedAddress(f"tag must be at most {MAX_TAG_LENGTH} characters")
    page = page_number(query.get("page", "1"))
    milestones = query.get("milestones", "0")
    if milestones not in ("0", "1"):
        raise MalformedAddress("milestones must be 0 or 1")
    if fmt == "ics":
        return FeedAddress(request.get_host(), request_origin(request), fmt,
                           milestones=milestones == "1")
    return FeedAddress(request.get_host(), request_origin(request), fmt, tag, page)

"""Make editors' and importers' text safe for every feed reader.

Legacy text carries control characters XML forbids (lxml refuses them, readers
choke on them); rich text carries relative URLs a reader cannot resolve and,
from imports, markup no feed should pass on (scripts, event handlers).
"""

import re
import threading
from functools import cache
from urllib.parse import urljoin, urlsplit

import nh3
from django.conf import settings

#: Characters XML 1.0 forbids or discourages: C0 controls but tab/newline/CR,
#: DEL and C1 controls, lone surrogates and the two non-characters.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

#: Attributes whose value is a URL, and those holding a list of them.
URL_ATTRIBUTES = {"href", "src", "cite", "longdesc"}
SRCSET = "srcset"


def clean_text(text):
    """Plain text without the characters that would break the XML."""
    return XML_UNSAFE.sub("", text or "")


def clean_title(text, default="Untitled"):
    """A title every format accepts: Atom requires a non-empty one."""
    return " ".join(clean_text(text).split()) or default


def file_prefixes():
    return tuple(
        prefix
        for prefix in (settings.MEDIA_URL, settings.STATIC_URL, "/documents/")
        if prefix and prefix.startswith("/")
    )


def origin(url):
    """``scheme://host[:port]`` of an absolute URL, what a root path joins to."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class URLResolver:
    """Turns the relative URLs of one page's rich text into absolute ones.

    Files (media, static, documents) are served by the Wagtail server; every
    other relative URL is relative to the page itself, whose public URL on a
    headless site is on the frontend's domain.
    """

    def __init__(self, page_url, files_base):
        self.page_url = page_url
        self.files_base = files_base.rstrip("/") + "/"
        self.file_prefixes = file_prefixes()
        self.page_origin = origin(page_url)
        self.files_origin = origin(self.files_base)

    def __call__(self, url):
        url = url.strip()
        is_file = url.startswith(self.file_prefixes)
        if url.startswith("/") and not url.startswith("//") and "/." not in url:
            # The common case, without urljoin's parsing: a path from the root.
            return (self.files_origin if is_file else self.page_origin) + url
        return urljoin(self.files_base if is_file else self.page_url, url)

    def srcset(self, value):
        candidates = []
        for candidate in value.split(","):
            parts = candidate.split()
            if parts:
                candidates.append(" ".join([self(parts[0]), *parts[1:]]))
        return ", ".join(candidates)


#: The resolver of the HTML being cleaned in this thread (see clean_html).
_current = threading.local()


def _absolute_urls(_tag, attribute, value):
    if attribute in URL_ATTRIBUTES:
        return _current.resolver(value)
    if attribute == SRCSET:
        return _current.resolver.srcset(value)
    return value


@cache
def cleaner():
    """One sanitiser, built once: building nh3's configuration costs as much
    as cleaning a body. Its URL filter uses the current thread's resolver."""
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["img"] |= {SRCSET}
    return nh3.Cleaner(attributes=attributes, attribute_filter=_absolute_urls)


def clean_html(html, resolver):
    """Sanitised HTML with absolute URLs, safe inside XML and in a reader."""
    _current.resolver = resolver
    try:
        cleaned = cleaner().clean(clean_text(html))
    finally:
        _current.resolver = None
    # Character references (&#1;) are decoded by the sanitiser: clean again.
    return clean_text(cleaned)

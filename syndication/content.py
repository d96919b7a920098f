"""Make editors' and importers' text safe for every feed reader.

Legacy text carries control characters XML forbids (lxml refuses them, readers
choke on them); rich text carries relative URLs a reader cannot resolve and,
from imports, markup no feed should pass on (scripts, event handlers).
"""

import re
from urllib.parse import urljoin

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


class URLResolver:
    """Turns the relative URLs of one page's rich text into absolute ones.

    Files (media, static, documents) are served by the Wagtail server; every
    other relative URL is relative to the page itself, whose public URL on a
    headless site is on the frontend's domain.
    """

    def __init__(self, page_url, files_base):
        self.page_url = page_url
        self.files_base = files_base.rstrip("/") + "/"
        self.file_prefixes = tuple(
            prefix
            for prefix in (settings.MEDIA_URL, settings.STATIC_URL, "/documents/")
            if prefix and prefix.startswith("/")
        )

    def __call__(self, url):
        url = url.strip()
        base = self.files_base if url.startswith(self.file_prefixes) else self.page_url
        return urljoin(base, url)

    def srcset(self, value):
        candidates = []
        for candidate in value.split(","):
            parts = candidate.split()
            if parts:
                candidates.append(" ".join([self(parts[0]), *parts[1:]]))
        return ", ".join(candidates)


def clean_html(html, resolver):
    """Sanitised HTML with absolute URLs, safe inside XML and in a reader."""

    def absolute_urls(_tag, attribute, value):
        if attribute in URL_ATTRIBUTES:
            return resolver(value)
        if attribute == SRCSET:
            return resolver.srcset(value)
        return value

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["img"] |= {SRCSET}
    cleaned = nh3.clean(
        clean_text(html),
        attributes=attributes,
        attribute_filter=absolute_urls,
    )
    # Character references (&#1;) are decoded by the sanitiser: clean again.
    return clean_text(cleaned)

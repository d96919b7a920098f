"""What a page tells search engines and link previews about itself.

One definition, used by the website's ``<head>`` (Open Graph tags, the
canonical link, JSON-LD) and by the API's ``seo`` field (v2 and v3), so a
headless frontend renders the same data instead of rebuilding it.

Built from the page alone, without the request: API v3 hands its fields no
request, and the answer must be the same on every surface. URLs are absolute:
a page's on the frontend of a headless site, a file's on the origin the API
and the feeds serve files from. Reading it costs no query per page once the
site's names are cached (:func:`site_names`), so API listings keep a fixed
number of queries.
"""

import html
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Site

from cms import conf

#: Longest description, in characters: what link previews and result pages show.
DESCRIPTION_LENGTH = 200
SCHEMA_ORG = "https://schema.org"
#: Django cache key of the sites' names (see :func:`site_names`).
SITE_NAMES_KEY = "cms:site-names"
#: The fields a description falls back on, in order: the first with text wins.
TEXT_FIELDS = ("summary", "intro", "body")


def site_names():
    """Site id → name, from the cache; cleared whenever a Site is saved or deleted."""
    names = cache.get(SITE_NAMES_KEY)
    if names is None:
        names = dict(Site.objects.values_list("pk", "site_name"))
        cache.set(SITE_NAMES_KEY, names, None)
    return names


def site_name(site_id):
    """The name a site goes by: its Site's, else ``WAGTAIL_SITE_NAME``."""
    return site_names().get(site_id) or getattr(settings, "WAGTAIL_SITE_NAME", "") or "Home"


def forget_site_names(**kwargs):
    # Now, and again once the change is committed: a request between the two
    # may have cached the names as they were.
    cache.delete(SITE_NAMES_KEY)
    transaction.on_commit(lambda: cache.delete(SITE_NAMES_KEY))


def plain_text(rich_text):
    return " ".join(html.unescape(strip_tags(rich_text or "")).split())


def description(page):
    """The page's description: the editor's search description, else the
    start of its summary, introduction or body as plain text."""
    if page.search_description:
        return page.search_description.strip()
    for name in TEXT_FIELDS:
        text = plain_text(getattr(page, name, ""))
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def files_origin(root_url):
    """Where files (images) are served: the API's origin when set, else the Site's."""
    return (conf.api_base_url() or root_url or "") + "/"


def wagtail_root_url(site_id):
    """The Site's own root URL (a headless site's page URLs are the
    frontend's, its files are not), from Wagtail's cached root paths."""
    for root in Site.get_site_root_paths():
        if root.site_id == site_id:
            return root.root_url
    return ""


def image_url(page, root_url):
    image = getattr(page, "image", None)
    if image is None or not image.file:
        return None
    return urljoin(files_origin(root_url), image.file.url)


def publisher(site_id, root_url):
    home = (conf.frontend_base_url() or root_url) + "/"
    return {"@type": "Organization", "name": site_name(site_id), "url": home}


def news_article(page, url, image, site_id, root_url):
    published = page.date or page.first_published_at
    article = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": page.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published.isoformat() if published else None,
        "dateModified": page.last_published_at.isoformat() if page.last_published_at else None,
        "description": description(page),
        "publisher": publisher(site_id, root_url),
    }
    if image:
        article["image"] = [image]
    return {key: value for key, value in article.items() if value is not None}


def news_event(page, url, image):
    """The event a news item announces; none without a start date (schema.org needs one)."""
    if not page.event_start:
        return None
    event = {
        "@context": SCHEMA_ORG,
        "@type": "Event",
        "name": page.title,
        "url": url,
        "startDate": page.event_start.isoformat(),
        "endDate": (page.event_end or page.event_start).isoformat(),
        # News tell of events that take place; a cancelled one is news of its own.
        "eventStatus": f"{SCHEMA_ORG}/EventScheduled",
        "description": description(page),
    }
    if page.location:
        event["location"] = {"@type": "Place", "name": page.location, "address": page.location}
    if image:
        event["image"] = [image]
    return event


def project(page, url, site_id, root_url):
    """A work package (or a part of one): a project of its own within the site's."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "Project",
        "name": page.title,
        "url": url,
        "description": description(page),
        "parentOrganization": publisher(site_id, root_url),
    }


def json_ld(page, url, image, site_id, root_url):
    kind = getattr(page, "schema_org_type", None)
    if kind == "NewsArticle":
        nodes = [news_article(page, url, image, site_id, root_url), news_event(page, url, image)]
        return [node for node in nodes if node is not None]
    if kind == "Project":
        return [project(page, url, site_id, root_url)]
    return []


def page_seo(page):
    """Canonical URL, description, image, Open Graph properties and JSON-LD
    nodes of ``page``; None for a page no Site serves (it has no public URL)."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    site_id, root_url, _path = parts
    url = page.get_full_url()
    text = description(page)
    image = image_url(page, wagtail_root_url(site_id))
    open_graph = {
        "og:type": "article" if getattr(page, "schema_org_type", None) == "NewsArticle"
        else "website",
        "og:title": page.seo_title or page.title,
        "og:description": text,
        "og:url": url,
        "og:site_name": site_name(site_id),
    }
    if image:
        open_graph["og:image"] = image
    return {
        "canonical_url": url,
        "description": text,
        "image": image,
        "open_graph": open_graph,
        "json_ld": json_ld(page, url, image, site_id, root_url),
    }

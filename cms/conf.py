"""The settings ``cms`` reads, each with its default (documented in the README)."""

from django.conf import settings


def frontend_base_url():
    """Origin of a headless site's public frontend, e.g. ``https://www.example.org``.

    When set, every page's public URL (``full_url``, the API's ``html_url``,
    feed links) is on this origin instead of the Wagtail Site's. Empty: pages
    are served by Wagtail itself.
    """
    return getattr(settings, "WAGTAIL_FRONTEND_BASE_URL", "").rstrip("/")


def api_base_url():
    """Origin the API (and the feeds it advertises) is served at, or "" for
    the page's own Site (``Site.root_url``)."""
    return getattr(settings, "WAGTAILAPI_BASE_URL", "").rstrip("/")


def preview_token_max_age():
    """Seconds a headless preview token stays valid (``CMS_PREVIEW_TOKEN_MAX_AGE``,
    default 600): long enough for a frontend to render the draft and an editor to
    look at it, short enough that a leaked link soon shows nothing."""
    return int(getattr(settings, "CMS_PREVIEW_TOKEN_MAX_AGE", 600))


#: Where on the frontend the admin's preview goes (``?content_type=…&token=…`` follow).
FRONTEND_PREVIEW_PATH = "/preview/"


def api_max_age():
    """Seconds browsers and shared caches (a CDN) may reuse a public API
    response without asking again; after that they revalidate by ETag."""
    return getattr(settings, "CMS_API_MAX_AGE", 60)


def sitemap_limit():
    """URLs per sitemap file (``CMS_SITEMAP_LIMIT``, default 50,000: the sitemaps.org
    limit); past it ``/sitemap.xml`` is an index of files of at most as many."""
    return int(getattr(settings, "CMS_SITEMAP_LIMIT", 50_000))

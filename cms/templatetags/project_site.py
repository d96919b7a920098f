"""Template tags of the website: what every page's frame shows.

Tags rather than a context processor, so that a host project's templates can
use them without changing its settings.
"""

import json

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from wagtail.models import Site

from cms import listings, structured_data
from cms.models.news import events_calendar, news_feeds
from cms.visibility import is_public, restricted_paths

register = template.Library()


def request_site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def site_name(context):
    site = request_site(context)
    return structured_data.site_name(site.pk if site else None)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's one public address: a page's full URL (on the frontend of a
    headless site), plus what the view adds (``canonical_query``), else the
    request's own path without its query."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and getattr(page, "pk", None):
        url = page.get_full_url(request)
    elif request is not None:
        url = request.build_absolute_uri(request.path)
    else:
        return ""
    query = context.get("canonical_query")
    return f"{url}?{query}" if query else url


#: What must not appear literally inside <script>: the JSON stays the same JSON.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(node):
    """A JSON-LD node as the body of a ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(node, ensure_ascii=False).translate(SCRIPT_ESCAPES))  # noqa: S308


@register.simple_tag
def search_url():
    """The search page's URL; "" in a project that does not route ``cms.urls``."""
    try:
        return reverse("cms:search")
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def site_news_feeds(context):
    return news_feeds(request_site(context))


@register.simple_tag(takes_context=True)
def site_follow_links(context):
    """What the footer offers to follow: the news feeds and the events calendar."""
    site = request_site(context)
    return [*news_feeds(site), *events_calendar(site)]


def menu_state(section, current_path):
    """``aria-current`` of a menu entry: "page" on it, "true" below it, else None."""
    if current_path == section.path:
        return "page"
    if current_path.startswith(section.path):
        return "true"
    return None


@register.inclusion_tag("cms/includes/main_menu.html", takes_context=True)
def main_menu(context):
    site = request_site(context)
    page = context.get("page")
    current_path = getattr(page, "path", "") or ""
    if site is None:
        return {"home": None, "sections": []}
    home, request = site.root_page, context.get("request")
    return {
        "request": request,
        "home": home,
        "home_is_current": current_path == home.path,
        "sections": [
            (section, menu_state(section, current_path))
            for section in listings.menu(home, request)
        ],
    }


@register.inclusion_tag("cms/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The way from the site's home page down to the page being shown,
    through its public ancestors only: a hidden one is left out."""
    site = request_site(context)
    page = context.get("page")
    if site is None or page is None or not page.path or page.depth <= site.root_page.depth:
        return {"trail": []}
    request = context.get("request")
    restricted = restricted_paths(request)
    ancestors = page.get_ancestors().descendant_of(site.root_page, inclusive=True)
    trail = [ancestor for ancestor in ancestors if is_public(ancestor, restricted)]
    return {"request": request, "trail": trail, "page": page}

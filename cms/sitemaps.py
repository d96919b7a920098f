"""The sitemap, robots.txt and the sitemap's entries for the API.

Wagtail's sitemap (``wagtail.contrib.sitemaps``) lists the site's live pages
that Wagtail calls public; ours lists the pages the public may see
(:func:`cms.visibility.public_pages`: the API's pages, so also never an
expired or scheduled page), each at its public address (on the frontend of a
headless site), with its last publication as ``lastmod``.

The pages are read in one query, as their specific page types with the
types' own fields deferred (``specific(defer=True)``): a page's URL needs
only the fields every page has, so the sitemap costs a fixed number of queries
however many pages there are. Wagtail's ``specific()`` would load each type
in chunks, a query per type per 2,000 pages.
"""

from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as sitemap_views

from cms.query_string import check_query, whole_number
from cms.visibility import public_pages


class PublicSitemap(Sitemap):
    """Every page a visitor may see, in tree order (Django's limit of 50,000
    URLs per sitemap page; further pages follow as ``?p=2``, …)."""

    def items(self):
        return (
            public_pages(self.request)
            .order_by("path")
            .specific(defer=True)
        )


def sitemap_page(request):
    """The ``?p=`` page number, 1 without one; MalformedQuery for anything else."""
    check_query(request.GET)
    return whole_number("p", request.GET.get("p", "1"), minimum=1)


def refusal(request):
    """Why the request's query is malformed, or None: a control character,
    ``?p=`` that is no page number, or ``?site=`` naming several sites."""
    try:
        sitemap_page(request)
        public_pages(request)
    except ValueError as error:  # MalformedQuery is one
        return str(error)
    return None


@require_safe
def sitemap(request):
    if (reason := refusal(request)) is not None:
        return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
    return sitemap_views.sitemap(request, {"pages": PublicSitemap})


def sitemap_entries(request):
    """The sitemap's entries of ``?p=`` as the API gives them; EmptyPage past the last."""
    sitemap = PublicSitemap(request)
    return [
        {
            "location": entry["location"],
            "lastmod": entry["lastmod"].isoformat() if entry["lastmod"] else None,
        }
        for entry in sitemap.get_urls(
            page=sitemap_page(request), site=get_current_site(request), protocol=request.scheme
        )
    ]


@require_safe
def sitemap_json(request):
    """The sitemap's entries as JSON, for a frontend that serves its own sitemap."""
    if (reason := refusal(request)) is not None:
        return JsonResponse({"message": reason}, status=400)
    try:
        return JsonResponse({"items": sitemap_entries(request)})
    except EmptyPage:
        return JsonResponse({"message": "No such page of the sitemap."}, status=404)


def admin_path():
    """Where the admin is routed, or None in a project that routes none."""
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


@require_safe
def robots_txt(request):
    """Crawlers may read everything public, and the sitemap says what there
    is; the admin is left out, being a login form, never content."""
    lines = ["User-agent: *"]
    if (admin := admin_path()) is not None:
        lines.append(f"Disallow: {admin}")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('cms:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

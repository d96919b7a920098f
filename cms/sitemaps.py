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

A file holds at most 50,000 URLs (sitemaps.org; ``CMS_SITEMAP_LIMIT``).
Past them ``/sitemap.xml`` is a sitemap index (Django's ``index`` view, as
Wagtail's) naming ``/sitemap-pages.xml``, ``/sitemap-pages.xml?p=2``, …,
each file in the same fixed number of queries; the index counts the pages
and reads their newest publication, two queries whatever their number.
"""

from functools import cached_property

from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as sitemap_views

from cms.conf import sitemap_limit
from cms.query_string import check_query, whole_number
from cms.visibility import public_pages

#: The one section of the sitemap index: ``/sitemap-pages.xml``.
SECTION = "pages"


class PublicSitemap(Sitemap):
    """Every page a visitor may see, in tree order, :func:`~cms.conf.sitemap_limit`
    URLs per file (further files follow as ``?p=2``, …)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = sitemap_limit()

    def items(self):
        return (
            public_pages(self.request)
            .order_by("path")
            .specific(defer=True)
        )

    @cached_property
    def paginator(self):
        """Django's, kept: deciding between a list and an index counts the pages once."""
        return Paginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        """The newest ``lastmod`` in one query (Django's reads every page for it)."""
        newest = Coalesce("last_published_at", "latest_revision_created_at")
        return public_pages(self.request).aggregate(newest=Max(newest))["newest"]


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


def refused(request):
    reason = refusal(request)
    if reason is None:
        return None
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request):
    """The pages' sitemap while one file holds them, else the index of its files
    (``?p=`` asks for a file of the list, as before there was an index)."""
    if (refusing := refused(request)) is not None:
        return refusing
    pages = PublicSitemap(request)
    if "p" not in request.GET and pages.paginator.num_pages > 1:
        return sitemap_views.index(request, {SECTION: pages},
                                   sitemap_url_name="cms:sitemap_section")
    return sitemap_views.sitemap(request, {SECTION: pages})


@require_safe
def sitemap_section(request, section):
    """A file the sitemap index names: ``/sitemap-pages.xml?p=2``."""
    if (refusing := refused(request)) is not None:
        return refusing
    return sitemap_views.sitemap(request, {SECTION: PublicSitemap(request)}, section=section)


def sitemap_listing(request):
    """The sitemap's entries of ``?p=`` as the API gives them, with how many
    pages and files there are (the paginator counted them already); EmptyPage
    past the last."""
    sitemap = PublicSitemap(request)
    number = sitemap_page(request)
    items = [
        {
            "location": entry["location"],
            "lastmod": entry["lastmod"].isoformat() if entry["lastmod"] else None,
        }
        for entry in sitemap.get_urls(
            page=number, site=get_current_site(request), protocol=request.scheme
        )
    ]
    meta = {"total_count": sitemap.paginator.count, "pages": sitemap.paginator.num_pages,
            "page": number}
    return {"meta": meta, "items": items}


@require_safe
def sitemap_json(request):
    """The sitemap's entries as JSON, for a frontend that serves its own sitemap."""
    if (reason := refusal(request)) is not None:
        return JsonResponse({"message": reason}, status=400)
    try:
        return JsonResponse(sitemap_listing(request))
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

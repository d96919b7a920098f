"""What the public may see: the one rule, for every surface.

**Policy.** Every list, menu, breadcrumb, API answer (v2 and v3: list,
detail, ``find``, search), redirect, image and document listing, feed and
calendar shows *public* pages only: live (Wagtail's ``live``), within their
schedule (:mod:`cms.schedule`: Wagtail still counts an expired page, or one
going live later, as live until ``publish_scheduled`` next runs) and under
no view restriction (login, password or groups, on the page or an
ancestor: Wagtail's ``public()``). That holds whoever asks, logged in or
not, whatever password they passed. Only the restricted page itself is
shown to a visitor who passed its password, logged in or is in its group,
by Wagtail's own page serving, which checks the restriction; our
``before_serve_page`` hook adds the schedule (:func:`servable`).

:func:`publicly_visible` is the queryset filter and :func:`is_public` the
answer for one page already loaded; both are built from the same three
parts (``live``, :data:`cms.schedule.OUT_OF_SCHEDULE`, the restricted paths).
The view restrictions are read once (:func:`restricted_paths`), once per
request when a request is given, and filtered on by path: the condition of
Wagtail's ``PageQuerySet.public()``, with a query plan that does not depend
on planner statistics (a correlated restriction check on a never-analysed
PostgreSQL database took seconds). The schedule is a subquery on the primary
key, because search backends filter only on indexed fields (``live``,
``path``, the primary key) and the schedule fields are not indexed.

Images and documents are public when something public uses them, as
Wagtail's reference index records it: a public page, or an object that is
not a page (a snippet, a site setting). A file used only by drafts, private,
expired or scheduled pages, or by nothing, stays out of public listings;
confidential files belong in a private collection (see the README).
"""

import swapper
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import PageViewRestriction, ReferenceIndex

from cms.schedule import is_out_of_schedule, out_of_schedule_q


def page_model():
    """Wagtail's page model, swappable; loaded late, as ``cms.models`` imports this module."""
    return swapper.load_model("wagtailcore", "Page")


#: Where the restricted paths read for a request are kept, for its other surfaces.
REQUEST_CACHE = "_cms_restricted_paths"
#: Where the public pages of a request's site are kept, by model (see :func:`public_pages`).
REQUEST_PAGES = "_cms_public_pages"
#: Where the Site a request asks about is kept (see :func:`requested_site`).
REQUEST_SITE = "_cms_requested_site"


def restricted_paths(request=None):
    """Tree paths of the pages with a view restriction (login, password or
    groups): one small query, made once per ``request`` when one is given."""
    if request is not None and hasattr(request, REQUEST_CACHE):
        return getattr(request, REQUEST_CACHE)
    paths = tuple(
        PageViewRestriction.objects.order_by("page__path")
        .values_list("page__path", flat=True)
        .distinct()
    )
    if request is not None:
        setattr(request, REQUEST_CACHE, paths)
    return paths


def publicly_visible(queryset, now=None, restricted=None):
    """The public pages of ``queryset``: live, within their schedule at
    ``now`` (a moment or a database expression), under no page of
    ``restricted`` (:func:`restricted_paths` when not given)."""
    in_schedule = ~Q(pk__in=page_model().objects.filter(out_of_schedule_q(now)).values("pk"))
    queryset = queryset.live().filter(in_schedule)
    for path in restricted_paths() if restricted is None else restricted:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def servable(page, now=None):
    """Whether Wagtail's page serving may show ``page`` at all: live and
    within its schedule. Its view restrictions are Wagtail's to check, with
    a login or password form."""
    return page.live and not is_out_of_schedule(page, now)


def is_public(page, restricted=None, now=None):
    """Whether one loaded page is public, as :func:`publicly_visible` decides
    for a queryset (``restricted``: :func:`restricted_paths` when not given)."""
    if restricted is None:
        restricted = restricted_paths()
    return servable(page, now) and not page.path.startswith(tuple(restricted))


def requested_site(request):
    """The Site a request asks about: ``?site=hostname[:port]``, else the one
    Wagtail picks by its host (None when the database has no Site). Raises
    Http404 when ``?site=`` names no Site, ValueError when it names several.
    Found once per request: the API asks for it more than once."""
    if REQUEST_SITE not in request.__dict__:
        site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
        request.__dict__[REQUEST_SITE] = site
    return request.__dict__[REQUEST_SITE]


def public_pages(request, model=None):
    """The public pages of the request's site (``?site=``, else the host) and
    of its translations: what API v2 and v3 show. Unlike Wagtail's
    ``get_public_pages_queryset``, a password passed or a login changes nothing.
    Raises ValueError when ``?site=`` names several sites.

    Built once per request and model (Wagtail's API views ask for it several
    times per request); callers filter it further, which copies it."""
    model = model or page_model()
    built = request.__dict__.setdefault(REQUEST_PAGES, {})
    if model not in built:
        built[model] = site_pages(request, model)
    return built[model]


def site_pages(request, model):
    queryset = publicly_visible(model._default_manager.all(), restricted=restricted_paths(request))
    site = requested_site(request)
    if site is None:
        return queryset.none()
    of_site = Q()
    for root in site_tree_paths(site):
        of_site |= Q(path__startswith=root)
    return queryset.filter(of_site)


def site_tree_paths(site):
    """Tree paths of ``site``'s root page and, with translations, of its translations:
    a page of the site has one of them as its path's prefix."""
    roots = [site.root_page]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        roots += list(site.root_page.get_translations())
    return tuple(root.path for root in roots)


def publicly_used(queryset):
    """The images or documents of ``queryset`` that something public uses."""
    Page = page_model()
    page_type = ContentType.objects.get_for_model(Page)
    public_page_keys = publicly_visible(Page.objects.all()).values_list(
        Cast("pk", output_field=CharField()), flat=True
    )
    uses = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(queryset.model),
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).filter(~Q(base_content_type=page_type) | Q(object_id__in=public_page_keys))
    # A subquery on the primary key: search backends filter on nothing else.
    return queryset.filter(pk__in=queryset.model.objects.filter(Exists(uses)).values("pk"))

"""Which redirect Wagtail answers a request with, looked up as Wagtail does.

Wagtail offers no function for it: its redirect middleware and its v3
``redirects/find/`` each look a redirect up inline. The checks that keep a
redirect to a hidden page from answering (:mod:`cms.redirects`,
:mod:`cms.api.public_redirects`) must find the same redirect, so they use
these copies of the two lookups.  The middleware's is split in two, so that
:mod:`cms.redirects` reads the redirects of every path it tries (Wagtail's
and a legacy URL's canonical one) in one query: :func:`stored_for` reads,
:func:`first_found` picks as Wagtail's ``get_redirect`` does. Both take the
Site, so that the API's ``find`` may look up the Site a frontend names.

v3's ``find`` looks ``html_path`` up with Wagtail's ``get_redirect`` alone
(no query dropped, no legacy parameters); :func:`v3_found_redirect` takes
the website's lookup instead, and :func:`v3_found_answer` answers as
Wagtail's view does.
"""

from urllib.parse import urlparse

from django.shortcuts import redirect as redirect_to
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from cms.compat.reliance import Reliance

RELIES_ON = Reliance(
    check_id="cms.E010",
    names=(
        "wagtail.contrib.redirects.middleware.RedirectMiddleware.process_response",
        "wagtail.contrib.redirects.middleware.get_redirect",
        "wagtail.contrib.redirects.middleware._get_redirect",
        "wagtail.contrib.redirects.api.v3.router.find_redirect",
    ),
    fingerprint="18b570acf60b028c",
    recheck="middleware_paths, stored_for, first_found, v3_found_redirect and "
    "v3_found_answer in "
    "cms.compat.redirect_lookup: the same paths tried in the same order, the same forms "
    "of each (decoded, then as sent), a site's own redirect before one for every site.",
    risk="A redirect to a draft, private, expired or scheduled page could answer with that "
    "page's URL.",
)


def middleware_paths(full_path):
    """The paths Wagtail's ``RedirectMiddleware`` tries for a request of ``full_path``
    (path and query), in its order: the normalised path with its query, then without."""
    path = Redirect.normalise_path(full_path, decode_unicode=False)
    without_query = urlparse(path).path
    return [path] if without_query == path else [path, without_query]


def _forms(path):
    """The spellings ``get_redirect`` looks ``path`` up by (none with a NUL)."""
    decoded = uri_to_iri(path)
    forms = [decoded] if decoded == path else [decoded, path]
    return [form for form in forms if "\0" not in form]


def stored_for(site, paths):
    """The redirects Wagtail could answer with on ``site`` for any of ``paths``
    (a queryset: the caller may add to it before it is read)."""
    forms = {form for path in paths for form in _forms(path)}
    return Redirect.get_for_site(site).filter(old_path__in=forms)


def first_found(site, redirects, paths):
    """Of ``redirects`` (read by :func:`stored_for`), the one ``get_redirect`` gives
    on ``site`` for the first of ``paths`` that has one, or None."""
    own_site = site.pk if site is not None else None
    for path in paths:
        for form in _forms(path):
            matches = [redirect for redirect in redirects if redirect.old_path == form]
            if matches:
                return next((r for r in matches if r.site_id == own_site), matches[0])
    return None


def middleware_redirect(request, redirects=None):
    """The redirect Wagtail's ``RedirectMiddleware`` answers ``request`` with, or None
    (``redirects``: read by :func:`stored_for` for at least :func:`middleware_paths`)."""
    site = Site.find_for_request(request)
    paths = middleware_paths(request.get_full_path())
    if redirects is None:
        redirects = list(stored_for(site, paths))
    return first_found(site, redirects, paths)


def v3_found_redirect(request, parse_id, find_path):
    """The redirect v3's ``redirects/find/`` leads ``request`` to, or None: by
    ``html_path`` (looked up with ``find_path``), else by ``id`` (read with
    ``parse_id``, which refuses what Wagtail's ``int`` parameter would)."""
    found = None
    if request.GET.get("html_path"):
        found = find_path(request.GET["html_path"])
    if found is None and request.GET.get("id"):
        found = Redirect.objects.filter(pk=parse_id(request.GET["id"])).first()
    return found


def v3_found_answer(request, found):
    """Wagtail's answer to a ``find`` that found ``found``: to its detail, with the
    request's other parameters."""
    url = reverse("wagtailapi_v3:detail_redirect", kwargs={"redirect_id": found.pk})
    query = request.GET.copy()
    query.pop("id", None)
    query.pop("html_path", None)
    return redirect_to(f"{url}?{query.urlencode()}")

"""Which redirect Wagtail answers a request with, looked up as Wagtail does.

Wagtail offers no function for it: its redirect middleware and its v3
``redirects/find/`` each look a redirect up inline. The checks that keep a
redirect to a hidden page from answering (:mod:`cms.redirects`,
:mod:`cms.api.public_redirects`) must find the same redirect, so they use
these copies of the two lookups.
"""

from urllib.parse import urlparse

from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from cms.compat.reliance import Reliance

RELIES_ON = Reliance(
    check_id="cms.E010",
    names=(
        "wagtail.contrib.redirects.middleware.RedirectMiddleware.process_response",
        "wagtail.contrib.redirects.api.v3.router.find_redirect",
    ),
    fingerprint="073026a0db8b6c0f",
    recheck="middleware_redirect and v3_found_redirect in cms.compat.redirect_lookup: "
    "the same paths tried in the same order.",
    risk="A redirect to a draft, private, expired or scheduled page could answer with that "
    "page's URL.",
)


def middleware_redirect(request):
    """The redirect Wagtail's ``RedirectMiddleware`` answers ``request`` with, or None."""
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    redirect = get_redirect(request, path)
    path_without_query = urlparse(path).path
    if redirect is None and path_without_query != path:
        redirect = get_redirect(request, path_without_query)
    return redirect


def v3_found_redirect(request, parse_id):
    """The redirect v3's ``redirects/find/`` leads ``request`` to, or None: by
    ``html_path``, else by ``id`` (read with ``parse_id``, which refuses what
    Wagtail's ``int`` parameter would)."""
    found = None
    if request.GET.get("html_path"):
        found = get_redirect(request, request.GET["html_path"])
    if found is None and request.GET.get("id"):
        found = Redirect.objects.filter(pk=parse_id(request.GET["id"])).first()
    return found

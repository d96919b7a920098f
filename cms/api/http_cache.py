"""HTTP caching headers of the API, so a CDN in front can cache it safely.

A reader's response (no ``Authorization`` header, no session cookie, an
anonymous user) is ``public`` for ``CMS_API_MAX_AGE`` seconds; anything
else is ``private``: a token's or an editor's request may see drafts or
restricted pages, which a shared cache must never hand to the next reader.
Every ``GET`` answer carries an ``ETag`` and answers ``If-None-Match`` with
``304`` (Django's conditional GET), and ``Vary`` names the request headers
the response depends on. ``HEAD`` is answered as ``GET`` is, with the same
headers, ``ETag`` included (:mod:`cms.api.head`).
"""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import conditional_page

from cms import conf
from cms.api.head import answered_as_get
from cms.compat.url_patterns import wrap_views

#: Request headers an API response depends on, besides what Django and DRF add.
VARY = ("Authorization",)


def is_public_request(request):
    user = getattr(request, "user", None)
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not (user is not None and user.is_authenticated)
    )


def cache_headers(view):
    """Add Cache-Control, Vary, ETag and conditional GET to an API view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.has_header("Cache-Control"):
            return response
        patch_vary_headers(response, VARY)
        if not is_public_request(request):
            patch_cache_control(response, private=True, no_cache=True)
        elif response.status_code == 200:  # errors are left to the cache's own rules
            patch_cache_control(response, public=True, max_age=conf.api_max_age())
        return response

    return answered_as_get(conditional_page(wrapped))


def with_cache_headers(urlconf):
    """The same URL patterns (or ``include()`` tuple), every view wrapped in
    :func:`cache_headers`."""
    return wrap_views(urlconf, lambda _route, view: cache_headers(view))

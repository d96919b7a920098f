"""Redirects never reveal a page the public cannot see.

Wagtail's ``RedirectMiddleware`` answers a redirect's old path with a 301 to
its target page's URL whatever the page's state, so the ``Location`` of a
redirect to a draft, a private, expired or scheduled page gives away its slug
(made from its title).  :class:`HiddenTargetsMiddleware`, placed right before
Wagtail's in ``MIDDLEWARE``, sees that answer first on the way out and turns
it into the site's 404 while the target is not public; once the page is
public the redirect works again.  The API's redirect endpoints use
:func:`public_redirects`, and list only the requested Site's redirects
(:func:`answered_on`; see :mod:`cms.api.v2`, :mod:`cms.api.v3`).
"""

from django.db.models import Q
from django.http import Http404
from django.views.defaults import page_not_found
from wagtail.contrib.redirects.models import Redirect

from cms.compat.redirect_lookup import middleware_redirect
from cms.visibility import page_model, publicly_visible

WAGTAIL_MIDDLEWARE = "wagtail.contrib.redirects.middleware.RedirectMiddleware"
MIDDLEWARE = "cms.redirects.HiddenTargetsMiddleware"


def public_redirects(queryset):
    """Redirects of ``queryset`` to a URL or to a page the public may see."""
    public = publicly_visible(page_model().objects.all()).values("pk")
    return queryset.filter(Q(redirect_page__isnull=True) | Q(redirect_page__in=public))


def answered_on(queryset, site):
    """Redirects of ``queryset`` that ``site`` answers: its own and those for every Site
    (no Site set), as Wagtail's ``RedirectMiddleware`` matches them."""
    every_site = Q(site__isnull=True)
    return queryset.filter(every_site if site is None else every_site | Q(site=site))


def leads_to_public(redirect) -> bool:
    """Whether ``redirect`` points at a URL or at a page the public may see."""
    if redirect.redirect_page_id is None:
        return True
    return public_redirects(Redirect.objects.filter(pk=redirect.pk)).exists()


class HiddenTargetsMiddleware:
    """A redirect to a page the public cannot see answers 404, like the page itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in (301, 302) or not response.has_header("Location"):
            return response
        redirect = middleware_redirect(request)
        if redirect is None or redirect.link != response["Location"] or leads_to_public(redirect):
            return response
        return page_not_found(request, Http404("No page here."))

"""Anonymous v3 reads of redirects: the requested Site's, only those whose target
the public may see.

Wagtail's v3 redirects router reads ``Redirect.objects.all()`` with no hook,
so the guard in :mod:`cms.api.v3` sends anonymous listings here (Wagtail's
own listing over :func:`cms.redirects.public_redirects`, see
:mod:`cms.compat.v3_listings`) and answers 404 for a detail or ``find`` of a
hidden one. Every ``find`` is answered here: an ``html_path`` is looked up as
the website looks up an old URL (:func:`cms.redirects.redirect_for`), not
only as sent. The Site is ``?site=hostname[:port]`` (as v3's pages take it),
else the one Wagtail picks by the request's host.
"""

from functools import partial

from django.http import Http404
from wagtail.contrib.redirects.models import Redirect

from cms.compat.redirect_lookup import v3_found_answer, v3_found_redirect
from cms.compat.v3_listings import redirect_listing
from cms.query_string import MalformedQuery, whole_number
from cms.redirects import answered_on, leads_to_public, public_redirects, redirect_for
from cms.visibility import requested_site, restricted_paths

#: Where the Site a listing asks about is kept between the guard and the listing.
REQUESTED_SITE = "_cms_redirects_site"


def public_queryset(request):
    """The redirects of the requested Site an anonymous request may see."""
    return answered_on(public_redirects(Redirect.objects.all()), getattr(request, REQUESTED_SITE))


_LISTING = redirect_listing(public_queryset)


def LISTING(request):  # noqa: N802 - the guard's name for it
    """The listing, its Site found first: a ``site`` naming no Site is a 404 and one
    naming several a 400, before the listing runs."""
    setattr(request, REQUESTED_SITE, site_asked(request))
    return _LISTING(request)


def site_asked(request):
    """The requested Site; a ``site`` naming several is a malformed query."""
    try:
        return requested_site(request)
    except ValueError as error:
        raise MalformedQuery(str(error)) from error


def find(request, anonymous):
    """``find``'s answer: the redirect the website answers ``html_path`` with (else the
    one of ``id``); 404 for none, and for an ``anonymous`` request one the public may
    not see."""
    by_path = partial(redirect_for, site_asked(request), restricted=restricted_paths(request))
    found = v3_found_redirect(request, partial(whole_number, "id"), by_path)
    if found is None or (anonymous and not leads_to_public(found)):
        raise Http404
    return v3_found_answer(request, found)


def check_detail(redirect_id):
    if not public_redirects(Redirect.objects.filter(pk=whole_number("id", str(redirect_id)))
                            ).exists():
        raise Http404

"""Anonymous v3 reads of redirects: only those whose target the public may see.

Wagtail's v3 redirects router reads ``Redirect.objects.all()`` with no hook,
so the guard in :mod:`cms.api.v3` sends anonymous listings here (Wagtail's
own listing over :func:`cms.redirects.public_redirects`, see
:mod:`cms.compat.v3_listings`) and answers 404 for a detail or ``find`` of a
hidden one.
"""

from functools import partial

from django.http import Http404
from wagtail.contrib.redirects.models import Redirect

from cms.compat.redirect_lookup import v3_found_redirect
from cms.compat.v3_listings import redirect_listing
from cms.query_string import whole_number
from cms.redirects import leads_to_public, public_redirects


def public_queryset(request):
    """The redirects an anonymous request may see."""
    return public_redirects(Redirect.objects.all())


LISTING = redirect_listing(public_queryset)


def check_found(request):
    """404 when ``find`` would lead to a redirect the public may not see."""
    found = v3_found_redirect(request, partial(whole_number, "id"))
    if found is not None and not leads_to_public(found):
        raise Http404


def check_detail(redirect_id):
    if not public_redirects(Redirect.objects.filter(pk=whole_number("id", str(redirect_id)))
                            ).exists():
        raise Http404

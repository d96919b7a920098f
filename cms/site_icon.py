"""``/favicon.ico``: every browser asks for it on a first visit, whatever the
page says, so it is answered rather than left a 404.

The icon shipped with the package, unless an editor chose an image in the
"site icon" setting: then a 64 px PNG rendition of it. Browsers keep it a
day (a replaced icon shows within one).
"""

from functools import cache
from pathlib import Path

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Site

from cms.models import SiteIcon

DEFAULT_ICON = Path(__file__).resolve().parent / "static" / "cms" / "favicon.ico"
RENDITION = "fill-64x64|format-png"
ONE_DAY = 24 * 60 * 60


@cache
def default_icon():
    return DEFAULT_ICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def favicon(request):
    site = Site.find_for_request(request)
    chosen = (
        SiteIcon.objects.filter(site=site, image__isnull=False).select_related("image").first()
        if site is not None
        else None
    )
    if chosen is None:
        return HttpResponse(default_icon(), content_type="image/x-icon")
    # Its file may be on object storage: the browser fetches it from there.
    return HttpResponseRedirect(chosen.image.get_rendition(RENDITION).url)

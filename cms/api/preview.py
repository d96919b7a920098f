"""``/api/v2/page_preview/?token=…``: a draft for a headless frontend's preview.

The draft comes out exactly as ``/api/v2/pages/ID/`` gives a live page, so a
frontend renders both with the same code. Only a valid token reads it (see
:mod:`cms.preview`); a page not saved yet has the id 0.

With several Sites, a request that names one (``?site=``, or a host that is
a Site's own hostname) reads only that Site's drafts: a token of one
project's draft shows nothing on another project's host. A host that is no
Site's (the API's own, serving one frontend for every site) reads any.
"""

from django.http import Http404
from django.http.request import split_domain_port
from django.urls import path
from django.utils.cache import patch_cache_control
from wagtail.models import Site

from cms import preview
from cms.api.v2 import ProjectPagesAPIViewSet
from cms.visibility import requested_site, site_tree_paths


def named_site(request):
    """The Site ``request`` names, by ``?site=`` or by its host being a Site's
    hostname; None for a host that is no Site's (Wagtail's default is a fallback)."""
    if "site" in request.GET:
        return requested_site(request)
    site = Site.find_for_request(request)
    host, _port = split_domain_port(request.get_host())
    return site if site is not None and site.hostname == host else None


def of_named_site(request, draft):
    site = named_site(request)
    return site is None or draft.path.startswith(site_tree_paths(site))


class PagePreviewAPIViewSet(ProjectPagesAPIViewSet):
    public_description = "The draft a preview token stands for, shaped as a page's detail."

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "detail_view"}), name="detail")]

    def get_object(self):
        if not hasattr(self, "_draft"):
            self._draft = preview.redeem(self.request.GET.get("token", ""))
            content_type = self.request.GET.get("content_type")
            if self._draft is None or content_type not in (
                None, preview.content_type_name(self._draft)
            ) or not of_named_site(self.request, self._draft):
                raise Http404("No such preview.")
        return self._draft

    def detail_view(self, request, pk=None):
        return super().detail_view(request, pk)

    def finalize_response(self, request, response, *args, **kwargs):
        # A draft: no shared cache may keep it, not even while the token is valid.
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

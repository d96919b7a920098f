"""``/api/v2/page_preview/?token=…``: a draft for a headless frontend's preview.

The draft comes out exactly as ``/api/v2/pages/ID/`` gives a live page, so a
frontend renders both with the same code. Only a valid token reads it (see
:mod:`cms.preview`); a page not saved yet has the id 0.
"""

from django.http import Http404
from django.urls import path
from django.utils.cache import patch_cache_control

from cms import preview
from cms.api.v2 import ProjectPagesAPIViewSet


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
            ):
                raise Http404("No such preview.")
        return self._draft

    def detail_view(self, request, pk=None):
        return super().detail_view(request, pk)

    def finalize_response(self, request, response, *args, **kwargs):
        # A draft: no shared cache may keep it, not even while the token is valid.
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

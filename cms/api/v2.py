"""API v2 router: pages, images, documents and redirects."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.redirects.api.v2 import RedirectsAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api.visibility import public_pages


class ProjectPagesAPIViewSet(PagesAPIViewSet):
    """Pages, limited to what readers may see, with related rows prefetched.

    A listing of a page type that declares ``api_prefetch_related`` loads those
    relations in one query each, so a listing costs the same number of
    queries whatever the number of pages.
    """

    #: What the browsable API tells the public about this endpoint (DRF shows
    #: the class docstring otherwise, which is written for us, not for them).
    public_description = "Live, public pages of the site. See the project's README for fields."

    def get_view_description(self, html=False):
        return self.public_description

    def get_base_queryset(self):
        # Wagtail asks for this several times per request (filters, listing,
        # serializer context); each call reads every view restriction. A
        # viewset instance serves one request, so work it out once.
        if not hasattr(self, "_public_pages"):
            try:
                self._public_pages = public_pages(self.request)
            except ValueError as error:
                raise BadRequestError(str(error)) from error
        return self._public_pages.all()

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")
        prefetch = getattr(queryset.model, "api_prefetch_related", None)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ProjectPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("redirects", RedirectsAPIViewSet)

"""API v2 router: pages, images, documents and redirects."""

from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer, RichTextFieldSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.redirects.api.v2 import RedirectsAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.fields import RichTextField
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.models.fields import without_block_keys
from cms.query_string import MalformedQuery, check_query, whole_number
from cms.redirects import answered_on, leads_to_public, public_redirects, redirect_for
from cms.visibility import (
    public_pages,
    publicly_used,
    requested_site,
    restricted_paths,
    site_tree_paths,
)


class BoundedPagination(WagtailPagination):
    """Wagtail's paging, refusing offsets and limits no database takes."""

    def paginate_queryset(self, queryset, request, view=None):
        for name in ("offset", "limit"):
            if name in request.GET:
                try:
                    whole_number(name, request.GET[name])
                except MalformedQuery as error:
                    raise BadRequestError(str(error)) from error
        return super().paginate_queryset(queryset, request, view)


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters, answering 400 for values the field cannot hold
    (``date=2020-13-45``, ``first_published_at=x``), which Django reports as
    ValidationError rather than the ValueError Wagtail catches."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValidationError, ValueError, OverflowError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise BadRequestError(f"field filter error: {' '.join(messages)}") from error


class PublicRichTextSerializer(RichTextFieldSerializer):
    """Rich text without Draftail's block keys, as the feeds and the website give it."""

    def to_representation(self, value):
        return without_block_keys(super().to_representation(value))


class ProjectPageSerializer(PageSerializer):
    serializer_field_mapping = {
        **PageSerializer.serializer_field_mapping, RichTextField: PublicRichTextSerializer,
    }


class WellFormedQuery:
    """Refuses malformed query strings with 400 before any query runs, and
    names and describes the endpoint for the public in the browsable API
    (DRF shows the class's name and docstring otherwise, written for us)."""

    pagination_class = BoundedPagination
    public_name = ""
    public_description = ""

    def get_view_name(self):
        return self.public_name

    def get_view_description(self, html=False):
        return self.public_description

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            check_query(request.GET)
            if "id" in request.GET and self.action == "find_view":
                whole_number("id", request.GET["id"])
        except MalformedQuery as error:
            raise BadRequestError(str(error)) from error

    @classmethod
    def checked_filters(cls, backends):
        return [CheckedFieldsFilter if b is FieldsFilter else b for b in backends]


class ProjectPagesAPIViewSet(WellFormedQuery, PagesAPIViewSet):
    """Public pages only, whoever asks (see :mod:`cms.visibility`), with
    related rows prefetched.

    A listing of a page type that declares ``api_prefetch_related`` loads those
    relations in one query each, so a listing costs the same number of
    queries whatever the number of pages.
    """

    filter_backends = WellFormedQuery.checked_filters(PagesAPIViewSet.filter_backends)
    base_serializer_class = ProjectPageSerializer
    public_name = "Pages"
    public_description = "Live, public pages of the site. See the project's README for fields."

    def get_base_queryset(self):
        # Wagtail asks for this several times per request (filters, listing,
        # serializer context); the view restrictions are read once per request.
        try:
            return public_pages(self.request)
        except ValueError as error:
            raise BadRequestError(str(error)) from error

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")
        narrowed_to = getattr(queryset.model, "narrowed_to", None)  # news: by their site's home
        if narrowed_to is not None:
            site = requested_site(self.request)
            queryset = narrowed_to(queryset, site_tree_paths(site)) if site else queryset
        prefetch = getattr(queryset.model, "api_prefetch_related", None)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return queryset


class PublicImagesAPIViewSet(WellFormedQuery, ImagesAPIViewSet):
    """Images that something public uses (see :mod:`cms.visibility`)."""

    filter_backends = WellFormedQuery.checked_filters(ImagesAPIViewSet.filter_backends)
    public_name = "Images"
    public_description = "Images that live, public pages use."

    def get_queryset(self):
        return publicly_used(super().get_queryset())


class PublicDocumentsAPIViewSet(WellFormedQuery, DocumentsAPIViewSet):
    """Documents that something public uses (see :mod:`cms.visibility`)."""

    filter_backends = WellFormedQuery.checked_filters(DocumentsAPIViewSet.filter_backends)
    public_name = "Documents"
    public_description = "Documents that live, public pages use."

    def get_queryset(self):
        return publicly_used(super().get_queryset())


class CheckedRedirectsAPIViewSet(WellFormedQuery, RedirectsAPIViewSet):
    """The requested Site's redirects (``?site=hostname[:port]``, else the host, as
    the pages endpoint picks it) whose target the public may see (see
    :mod:`cms.redirects`)."""

    filter_backends = WellFormedQuery.checked_filters(RedirectsAPIViewSet.filter_backends)
    public_name = "Redirects"
    public_description = "Redirects whose target the public may see."
    known_query_parameters = RedirectsAPIViewSet.known_query_parameters.union(["site"])

    def requested_site(self):
        try:
            return requested_site(self.request)
        except ValueError as error:
            raise BadRequestError(str(error)) from error

    def get_queryset(self):
        return answered_on(public_redirects(super().get_queryset()), self.requested_site())

    def find_object(self, queryset, request):
        # Wagtail looks ``html_path`` up as sent, among every redirect; the website
        # drops a legacy URL's session ids and tracking first (cms.redirects).
        if "html_path" in request.GET:
            found = redirect_for(self.requested_site(), request.GET["html_path"],
                                 restricted_paths(request))
            if found is None or not found.public:
                raise Http404
            return found
        found = super().find_object(queryset, request)
        if found is not None and not leads_to_public(found):
            raise Http404
        return found


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ProjectPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("redirects", CheckedRedirectsAPIViewSet)

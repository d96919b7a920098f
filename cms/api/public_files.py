"""Anonymous v3 listings of images and documents: only the files that
something public uses (see :mod:`cms.visibility`).

Wagtail's v3 routers read their querysets from module functions with no
hook, so the guard in :mod:`cms.api.v3` sends anonymous listings here. These
views are Wagtail's own, built from its public parts (schemas, paging,
filters, ordering, search), with one line changed: the queryset.
"""

from typing import cast

from ninja import NinjaAPI, Query, Router
from ninja.pagination import paginate
from wagtail.api.v3.errors import register_exception_handlers
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.api.v3.registry import registry
from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema
from wagtail.documents import get_document_model
from wagtail.documents.api.v3.router import BASE_DOCUMENT_READ_FIELDS, get_documents_queryset
from wagtail.images import get_image_model
from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS, get_images_queryset

from cms.visibility import publicly_used

api = NinjaAPI(urls_namespace="projectsite_public_files", docs_url=None, openapi_url=None)
register_exception_handlers(api)

#: Kind of file → (Wagtail's queryset for a request, fields to filter and order by, model).
KINDS = {
    "images": (get_images_queryset, BASE_IMAGE_READ_FIELDS, get_image_model()),
    "documents": (get_documents_queryset, BASE_DOCUMENT_READ_FIELDS, get_document_model()),
}


def public_queryset(kind, request):
    """The files of ``kind`` an anonymous request may see."""
    base_queryset, _fields, _model = KINDS[kind]
    return publicly_used(base_queryset(request))


def add_listing(kind):
    _queryset, base_fields, model = KINDS[kind]
    schema = registry.get(model._meta.label).read_schema
    router = Router(tags=[kind])

    @router.get("/", response=list[schema], url_name=f"list_public_{kind}")
    @paginate(WagtailLimitOffsetPagination, pass_parameter="pagination_info")  # noqa: S106
    def listing(
        request,
        ordering: OrderingSchema = Query(...),  # noqa: B008 - ninja's declaration
        search: SearchSchema = Query(...),  # noqa: B008
        **kwargs,
    ):
        pagination_info = cast(WagtailLimitOffsetPagination.Input, kwargs["pagination_info"])
        field_filter = APIFieldFilterSchema.with_exclude_schemas(
            raw_params=request.GET, schemas=(OrderingSchema, SearchSchema),
            base_fields=base_fields,
        )
        queryset = field_filter.filter_queryset(public_queryset(kind, request))
        queryset = ordering.order_queryset(queryset, pagination_info, base_fields=base_fields)
        return search.search_queryset(request, queryset)

    api.add_router(f"/{kind}/", router)


for _kind in KINDS:
    add_listing(_kind)

#: Kind of file → the anonymous listing view.
LISTINGS = {pattern.name.removeprefix("list_public_"): pattern.callback for pattern in api.urls[0]}

"""Wagtail's v3 listings of images, documents and redirects over another queryset.

Wagtail's v3 routers read their querysets from module functions with no
hook, so the v3 guard (:mod:`cms.api.v3`) sends anonymous listings to the
views made here: Wagtail's listing views rebuilt from its public parts
(schemas, paging, field filters, ordering, search), with one step changed:
the queryset is the caller's.
"""

from typing import cast

from ninja import NinjaAPI, Query, Router
from ninja.pagination import paginate
from wagtail.api.v3.errors import register_exception_handlers
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.api.v3.registry import registry
from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema
from wagtail.contrib.redirects.api.v3.router import BASE_REDIRECT_READ_FIELDS, RedirectSchema
from wagtail.documents import get_document_model
from wagtail.documents.api.v3.router import BASE_DOCUMENT_READ_FIELDS
from wagtail.images import get_image_model
from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS

from cms.compat.reliance import Reliance

RELIES_ON = Reliance(
    check_id="cms.W010",
    names=(
        "wagtail.images.api.v3.router.list_images",
        "wagtail.documents.api.v3.router.list_documents",
        "wagtail.contrib.redirects.api.v3.router.list_redirects",
    ),
    fingerprint="9d5fab0189cbed4f",
    recheck="cms.compat.v3_listings against these views: the same parameters, filters, "
    "ordering, paging and search, with only the queryset changed.",
    risk="Anonymous listings of images, documents and redirects could answer differently "
    "from Wagtail's (they still list only what the public may see).",
)

#: Kind of file → (the fields Wagtail filters and orders its listing by, model).
FILES = {
    "images": (BASE_IMAGE_READ_FIELDS, get_image_model()),
    "documents": (BASE_DOCUMENT_READ_FIELDS, get_document_model()),
}


def listed(request, queryset, base_fields, ordering, search, kwargs, taken=()):
    """Wagtail's listing steps over ``queryset``: field filters, ordering with paging,
    then search (``search`` is None where Wagtail's listing has none). The query
    parameters ``taken`` are the caller's, not field filters."""
    pagination_info = cast(WagtailLimitOffsetPagination.Input, kwargs["pagination_info"])
    schemas = (OrderingSchema,) if search is None else (OrderingSchema, SearchSchema)
    params = request.GET.copy()
    for name in taken:
        params.pop(name, None)
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=params, schemas=schemas, base_fields=base_fields,
    )
    queryset = field_filter.filter_queryset(queryset)
    queryset = ordering.order_queryset(queryset, pagination_info, base_fields=base_fields)
    return queryset if search is None else search.search_queryset(request, queryset)


def file_listing(kind, queryset):
    """A view: Wagtail's v3 listing of ``kind`` ("images", "documents") over
    ``queryset(request)``."""
    base_fields, model = FILES[kind]
    router = Router(tags=[kind])

    @router.get(
        "/", response=list[registry.get(model._meta.label).read_schema],
        url_name=f"list_public_{kind}",
    )
    @paginate(WagtailLimitOffsetPagination, pass_parameter="pagination_info")  # noqa: S106
    def listing(
        request,
        ordering: OrderingSchema = Query(...),  # noqa: B008 - ninja's declaration
        search: SearchSchema = Query(...),  # noqa: B008
        **kwargs,
    ):
        return listed(request, queryset(request), base_fields, ordering, search, kwargs)

    return view_of(kind, router)


def redirect_listing(queryset):
    """A view: Wagtail's v3 listing of redirects over ``queryset(request)``, which
    takes the ``site`` parameter (a hostname, as v3's pages take it) for itself."""
    router = Router(tags=["redirects"])

    @router.get("/", response=list[RedirectSchema], url_name="list_public_redirects")
    @paginate(WagtailLimitOffsetPagination, pass_parameter="pagination_info")  # noqa: S106
    def listing(request, ordering: OrderingSchema = Query(...), **kwargs):  # noqa: B008
        return listed(
            request, queryset(request), BASE_REDIRECT_READ_FIELDS, ordering, None, kwargs,
            taken=("site",),
        )

    return view_of("redirects", router)


def view_of(kind, router):
    """The Django view of ``router``'s listing, answering errors as Wagtail's v3 does."""
    api = NinjaAPI(urls_namespace=f"projectsite_public_{kind}", docs_url=None, openapi_url=None)
    register_exception_handlers(api)
    api.add_router(f"/{kind}/", router)
    patterns, _app_name, _namespace = api.urls
    return next(p.callback for p in patterns if p.name == f"list_public_{kind}")

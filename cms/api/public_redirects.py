"""Anonymous v3 reads of redirects: only those whose target the public may see.

Wagtail's v3 redirects router reads ``Redirect.objects.all()`` with no hook,
so the guard in :mod:`cms.api.v3` sends anonymous listings here (Wagtail's
own listing, built from its public parts, with one line changed: the
queryset) and answers 404 for a detail or ``find`` of a hidden one.
"""

from typing import cast

from django.http import Http404
from ninja import NinjaAPI, Query, Router
from ninja.pagination import paginate
from wagtail.api.v3.errors import register_exception_handlers
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema
from wagtail.contrib.redirects.api.v3.router import BASE_REDIRECT_READ_FIELDS, RedirectSchema
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from cms.api.query import whole_number
from cms.redirects import is_public, public_redirects

api = NinjaAPI(urls_namespace="projectsite_public_redirects", docs_url=None, openapi_url=None)
register_exception_handlers(api)
router = Router(tags=["redirects"])


@router.get("/", response=list[RedirectSchema], url_name="list_public_redirects")
@paginate(WagtailLimitOffsetPagination, pass_parameter="pagination_info")  # noqa: S106
def listing(request, ordering: OrderingSchema = Query(...), **kwargs):  # noqa: B008
    pagination_info = cast(WagtailLimitOffsetPagination.Input, kwargs["pagination_info"])
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=request.GET, schemas=(OrderingSchema,), base_fields=BASE_REDIRECT_READ_FIELDS,
    )
    queryset = field_filter.filter_queryset(public_redirects(Redirect.objects.all()))
    return ordering.order_queryset(queryset, pagination_info, base_fields=BASE_REDIRECT_READ_FIELDS)


api.add_router("/redirects/", router)
LISTING = api.urls[0][0].callback


def check_found(request):
    """404 when ``find`` would lead to a redirect the public may not see (Wagtail's order)."""
    found = None
    if request.GET.get("html_path"):
        found = get_redirect(request, request.GET["html_path"])
    if found is None and request.GET.get("id"):
        found = Redirect.objects.filter(pk=whole_number("id", request.GET["id"])).first()
    if found is not None and not is_public(found):
        raise Http404


def check_detail(redirect_id):
    if not public_redirects(Redirect.objects.filter(pk=whole_number("id", str(redirect_id)))
                            ).exists():
        raise Http404

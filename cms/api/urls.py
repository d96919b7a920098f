"""URLs of the headless API, to include in a project's urlconf:

    path("api/", include("cms.api.urls")),

Every view answers with caching headers a CDN can rely on (see
:mod:`cms.api.http_cache`), and a malformed ``Authorization`` header with
401 (see :mod:`cms.api.authorization`).
"""

from django.urls import path

from cms.api.authorization import refuse_malformed_authorization, with_checked_authorization
from cms.api.http_cache import cache_headers, with_cache_headers
from cms.api.preview import PagePreviewAPIViewSet
from cms.api.v2 import api_router
from cms.api.v3 import guard
from cms.compat.v3_routes import guarded_urls
from cms.sitemaps import sitemap_json

api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

urlpatterns = [
    # The sitemap's entries, for a frontend that serves its own sitemap.
    path(
        "v2/sitemap/",
        cache_headers(refuse_malformed_authorization(sitemap_json)),
        name="api_sitemap",
    ),
    path("v2/", with_cache_headers(with_checked_authorization(api_router.urls))),
    path("v3/", with_cache_headers(with_checked_authorization(guarded_urls(guard)))),
]

"""URLs of the headless API, to include in a project's urlconf:

    path("api/", include("cms.api.urls")),
"""

from django.urls import path
from wagtail.api.v3.urls import api as api_v3

from cms.api.preview import PagePreviewAPIViewSet
from cms.api.v2 import api_router

api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

urlpatterns = [
    path("v2/", api_router.urls),
    path("v3/", api_v3.urls),
]

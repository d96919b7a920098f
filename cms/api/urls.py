"""URLs of the headless API, to include in a project's urlconf:

    path("api/", include("cms.api.urls")),
"""

from django.urls import path

from cms.api.v2 import api_router
from cms.api.v3 import guarded_urls

urlpatterns = [
    path("v2/", api_router.urls),
    path("v3/", guarded_urls()),
]

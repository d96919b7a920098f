from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import media

urlpatterns = [
    # Feeds first: they take the most requests, and resolving stops at the first match.
    path("feeds/", include("syndication.urls")),
    path("api/", include("cms.api.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cms.urls")),  # favicon.ico, sitemap.xml, robots.txt, search/
]

urlpatterns += media.urlpatterns()
urlpatterns += [path("", include(wagtail_urls))]

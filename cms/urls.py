"""The website's own URLs beside its pages, to include before Wagtail's:

    path("", include("cms.urls")),
    ...
    path("", include(wagtail_urls)),

``/sitemap.xml``, ``/robots.txt`` and the search page ``/search/`` (which
then takes the place of a page with the slug "search" under the home page).
"""

from django.urls import path

from cms import site_search, sitemaps

app_name = "cms"

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("search/", site_search.search, name="search"),
]

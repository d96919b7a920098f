"""The website's own URLs beside its pages, to include before Wagtail's:

    path("", include("cms.urls")),
    ...
    path("", include(wagtail_urls)),

``/favicon.ico``, ``/sitemap.xml`` (and the files of a large site's sitemap
index, ``/sitemap-pages.xml``), ``/robots.txt`` and the search page
``/search/`` (which then takes the place of a page with the slug "search"
under the home page).
"""

from django.urls import path

from cms import site_search, sitemaps
from cms.site_icon import favicon

app_name = "cms"

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("search/", site_search.search, name="search"),
]

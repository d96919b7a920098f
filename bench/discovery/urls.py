"""The product's URLs plus Wagtail's own sitemap, the baseline."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/wagtail-sitemap.xml", sitemap), *product_urlpatterns]

"""The website's own URLs besides Wagtail's pages, before its catch-all."""

from django.urls import path

from cms.site_icon import favicon

urlpatterns = [path("favicon.ico", favicon, name="favicon")]

"""Wagtail hooks of the project site."""

from django.http import Http404
from wagtail import hooks

from cms.schedule import is_out_of_schedule


@hooks.register("before_serve_page")
def hide_pages_out_of_schedule(page, request, serve_args, serve_kwargs):
    """An expired page, or one going live later, is not found, exactly like a
    draft: until ``publish_scheduled`` runs, Wagtail would still serve it, and
    a different answer would tell visitors that the page exists. The API hides
    the same pages (:mod:`cms.api.visibility`)."""
    if is_out_of_schedule(page):
        raise Http404

"""Wagtail hooks of the project site."""

from django.http import Http404, HttpResponseNotFound
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from cms import dashboard
from cms.admin_listings import NewsListing, WorkPackageListing
from cms.page_links import PublicPageLinkHandler
from cms.visibility import publicly_used, servable

#: Anyone allowed any of these on documents works with them in the admin.
EDITOR_ACTIONS = ["add", "change", "choose", "delete"]


@hooks.register("before_serve_page")
def hide_pages_out_of_schedule(page, request, serve_args, serve_kwargs):
    """An expired page, or one going live later, is not found, exactly like a
    draft: until ``publish_scheduled`` runs, Wagtail would still serve it, and
    a different answer would tell visitors that the page exists. Its view
    restrictions are left to Wagtail's own hook (see :mod:`cms.visibility`)."""
    if not servable(page):
        raise Http404


@hooks.register("before_serve_document")
def serve_only_publicly_used_documents(document, request):
    """A document that no public page (or other public object) uses is not
    served to visitors: a draft's attachment must not download before the
    draft is published. Editors still download everything Wagtail lets them."""
    Document = get_document_model()
    permissions = policy_registry.get_by_type(Document)
    if permissions.user_has_any_permission(request.user, EDITOR_ACTIONS):
        return None
    if publicly_used(Document.objects.filter(pk=document.pk)).exists():
        return None
    return HttpResponseNotFound("No such document.", content_type="text/plain")


@hooks.register("register_rich_text_features", order=1)
def link_public_pages_only(features):
    """Rich-text links to pages that are not public are text (see
    :mod:`cms.page_links`); after Wagtail's own hook (order 0), whose page
    link handler this one replaces."""
    features.register_link_type(PublicPageLinkHandler)


@hooks.register("register_admin_viewset")
def register_page_listings():
    return [NewsListing(), WorkPackageListing()]


@hooks.register("construct_homepage_panels")
def add_project_panels(request, panels):
    dashboard.panels_for(request, panels)

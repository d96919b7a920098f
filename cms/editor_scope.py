"""What part of the page tree an editor works on: the pages they may edit, the Sites these
are in.

Several project sites share one admin, and a group gets rights on one site by
Wagtail's page permissions on that site's home page. Wagtail's own explorer
and page listings follow those rights; the project's dashboard panels, filters
and reports ask here, so that they follow the same rights, through Wagtail's
permission policy (``PagePermissionPolicy``) and nothing of our own.
Superusers may edit every page, so they see every site.
"""

from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from wagtail.models import Page, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

#: Editing a page: changing it (an "add" right covers the pages one owns) or publishing it.
EDIT_ACTIONS = frozenset({"change", "publish"})


def editable_pages(user, model=Page):
    """The pages of ``model`` that ``user`` may edit, as Wagtail's permissions say."""
    return PagePermissionPolicy(model).instances_user_has_any_permission_for(user, EDIT_ACTIONS)


def only_editable(pages, user):
    """``pages`` (a page queryset) without those ``user`` may not edit."""
    if user.is_active and user.is_superuser:
        return pages
    return pages.filter(pk__in=editable_pages(user).values("pk"))


def editable_revisions(revisions, user):
    """Page ``revisions`` of the pages ``user`` may edit (a revision names its page by text)."""
    if user.is_active and user.is_superuser:
        return revisions
    pages = editable_pages(user).annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    return revisions.filter(object_id__in=pages)


def editable_sites(user):
    """The Sites with at least one page ``user`` may edit."""
    sites = Site.objects.all()
    if user.is_active and user.is_superuser:
        return sites
    inside = editable_pages(user).filter(path__startswith=OuterRef("root_page__path"))
    return sites.filter(Exists(inside))


def of_editable_sites(user, site_field="site"):
    """A filter (``Q``) for rows whose ``site_field`` names a Site ``user`` may edit; a row
    without a Site stands for the default Site."""
    if user.is_active and user.is_superuser:
        return Q()
    sites = editable_sites(user)
    default = Q(**{f"{site_field}__isnull": True}) if sites.filter(
        is_default_site=True).exists() else Q(pk__in=[])
    return Q(**{f"{site_field}__in": sites}) | default

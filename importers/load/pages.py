"""Where imported pages go in the Wagtail tree, and how one is written.

Home → News → news items; Home → Work Packages → Work Package N → its parts;
everything else under Home.  A new page is first a stub (:func:`create_stub`); its
content is written through a revision (``save_revision().publish()``) so
every import is a revision in the page's history; a news item without a
date gets a draft revision only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.text import slugify
from wagtail.models import Page

from cms.models import Milestone, WorkPackagePage
from cms.site_tree import SiteTree
from importers.history import record_in_history
from importers.page_types import model_of
from importers.records import Kind

DATE_FIELDS = ("date", "event_start", "event_end")
SLUG_LENGTH = 80


def readable_slug(title: str, fallback: str = "page") -> str:
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    slug = slugify(title, allow_unicode=allow_unicode) or fallback
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_LENGTH]
    return slug


class Placement:
    """Parents and sibling slugs, looked up once per run and kept up to date as pages are added."""

    def __init__(self, tree: SiteTree) -> None:
        self.tree = tree
        self._slugs: dict[int, set[str]] = {}
        self._work_packages: dict[int, Page] | None = None

    def parent_for(self, kind: Kind) -> Page:
        return getattr(self.tree, kind.spec.parent)

    def work_package(self, number: int) -> WorkPackagePage | None:
        """The work package page with this number under Work Packages, if any."""
        if self._work_packages is None:
            self._work_packages = {}
            pages = WorkPackagePage.objects.child_of(self.tree.work_packages).filter(
                number__isnull=False
            )
            for wp in pages.order_by("path"):  # the first with a number wins
                self._work_packages.setdefault(wp.number, wp)
        return self._work_packages.get(number)

    def remember_work_package(self, page: WorkPackagePage) -> None:
        if page.number is not None and self._work_packages is not None:
            self._work_packages.setdefault(page.number, page)

    def unique_slug(self, parent: Page, title: str) -> str:
        taken = self._slugs.get(parent.pk)
        if taken is None:
            taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
            self._slugs[parent.pk] = taken
        base = readable_slug(title)
        slug, n = base, 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        return slug

    def claim_slug(self, parent: Page, slug: str) -> None:
        self._slugs.setdefault(parent.pk, set()).add(slug)

    def forget(self) -> None:
        """Drop cached lookups (after a page's transaction rolled back)."""
        self._slugs.clear()
        self._work_packages = None


def _to_python(name: str, value):
    if name in DATE_FIELDS and value is not None:
        return datetime.date.fromisoformat(value)
    return value


def apply_values(page: Page, values: dict, milestones: list[dict] | None) -> None:
    """Set the importer's fields on a page instance (milestones replaced as a whole)."""
    for name, value in values.items():
        if name == "image":
            page.image_id = value
        else:
            setattr(page, name, _to_python(name, value))
    if isinstance(page, WorkPackagePage):
        page.milestones = [
            Milestone(
                sort_order=i,
                number=m["number"],
                period_start=_to_python("date", m["period_start"]),
                period_end=_to_python("date", m["period_end"]),
                description=m["description"],
            )
            for i, m in enumerate(milestones or [])
        ]


def create_stub(
    placement: Placement, parent: Page, kind: Kind, title: str, legacy_url: str, **fields
):
    """An empty, unpublished page with its final slug and no revision (the stub pattern).

    Every new page gets its stub before any page gets content, so every link
    target has its page ID when content is written, and each page's content
    is written once, as one revision.  A stub is never live: a run killed
    between the two steps leaves nothing public, and the next run fills it.
    """
    page = model_of(kind)(
        title=title, slug=placement.unique_slug(parent, title), legacy_url=legacy_url,
        # A frontend's menu lists Home's children that are "shown in menus".
        live=False, show_in_menus=parent.pk == placement.tree.home.pk, **fields,
    )
    parent.add_child(instance=page)
    placement.claim_slug(parent, page.slug)
    if isinstance(page, WorkPackagePage):
        placement.remember_work_package(page)
    return page


def update_page(page: Page, values: dict, milestones, *, publish: bool, run_id: int | None = None):
    """A new revision of an existing page with the importer's values; returns the revision."""
    apply_values(page, values, milestones)
    # Wagtail's own entries could not name the run: the importer writes its own.
    revision = page.save_revision(log_action=False)
    if publish:
        revision.publish(log_action=False)
    record_in_history(page, revision, run_id, published=publish)
    return revision

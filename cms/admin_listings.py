"""Per-page-type listings in the admin (Wagtail's ``PageListingViewSet``).

News: newest first by news date, with event dates, location, tags, status
and where the page came from, filtered by tag, date range and origin. Work
packages: number, parts, milestones and the milestone under way this month.

"Imported" and "edited since" come from the page alone, so ``cms`` needs no
importer: an imported page has a legacy URL; an editor's revisions have a
user, the importer's none, so a page whose latest revision has a user was
changed in Wagtail since its import (the importer then leaves it alone).
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from taggit.models import Tag
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet

from cms.models import Milestone, NewsPage, WorkPackagePage

ORIGINS = {
    "imported": ("Imported", Q(latest_revision__user__isnull=True)),
    "edited": ("Imported, edited in Wagtail", Q(latest_revision__user__isnull=False)),
}


def origin_of(page) -> str:
    if not page.legacy_url:
        return "Written in Wagtail"
    revision = page.latest_revision
    if revision is not None and revision.user_id is not None:
        return ORIGINS["edited"][0]
    return ORIGINS["imported"][0]


def filter_by_origin(queryset, name, value):
    if value == "wagtail":
        return queryset.filter(legacy_url="")
    if value in ORIGINS:
        return queryset.exclude(legacy_url="").filter(ORIGINS[value][1])
    return queryset


def origin_filter():
    choices = [(key, label) for key, (label, _q) in ORIGINS.items()]
    return django_filters.ChoiceFilter(
        label="Imported or edited", empty_label="Any", method=filter_by_origin,
        choices=[*choices, ("wagtail", "Written in Wagtail")],
    )


def title_and_status():
    """Wagtail's own title (with its actions), status and update columns."""
    wanted = ("title", "status", "latest_revision_created_at")
    return [column for column in IndexView.base_columns if column.name in wanted]


class NewsFilterSet(PageFilterSet):
    tag = django_filters.ModelChoiceFilter(
        label="Tag", field_name="tagged_items__tag", empty_label="Any",
        queryset=lambda request: Tag.objects.filter(
            pk__in=NewsPage.tags.through.objects.values("tag_id")
        ).order_by("name"),
    )
    date = django_filters.DateFromToRangeFilter(label="News date", widget=DateRangePickerWidget)
    origin = origin_filter()

    class Meta:
        model = NewsPage
        fields = []


class NewsIndexView(IndexView):
    default_ordering = "-date"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("latest_revision").prefetch_related(
            "tagged_items__tag"
        )


class NewsListing(PageListingViewSet):
    model = NewsPage
    name = "news_listing"
    icon = "calendar-alt"
    menu_label = "News"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = NewsIndexView
    filterset_class = NewsFilterSet
    columns = [
        *title_and_status(),
        Column("date", label="News date", sort_key="date",
               accessor=lambda p: p.date.isoformat() if p.date else ""),
        Column("event", label="Event", accessor=lambda p: " – ".join(
            d.isoformat() for d in (p.event_start, p.event_end) if d
        )),
        Column("location", label="Location", sort_key="location"),
        Column("tags", label="Tags", accessor=lambda p: ", ".join(
            sorted(item.tag.name for item in p.tagged_items.all())
        )),
        Column("origin", label="Imported / edited", accessor=origin_of),
    ]


def current_milestone(page, today=None):
    month = (today or timezone.localdate()).replace(day=1)
    return next((str(m) for m in page.milestones.all() if m.covers(month)), "")


class WorkPackageIndexView(IndexView):
    default_ordering = "number"

    def get_base_queryset(self):
        return (
            super().get_base_queryset()
            .select_related("latest_revision")
            .annotate(milestone_count=Count("milestones", distinct=True))
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by(
                "sort_order"
            )))
        )


class WorkPackageFilterSet(PageFilterSet):
    origin = origin_filter()

    class Meta:
        model = WorkPackagePage
        fields = []


class WorkPackageListing(PageListingViewSet):
    model = WorkPackagePage
    name = "work_package_listing"
    icon = "list-ol"
    menu_label = "Work packages"
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = WorkPackageIndexView
    filterset_class = WorkPackageFilterSet
    columns = [
        *title_and_status(),
        Column("number", label="Number", sort_key="number"),
        Column("numchild", label="Parts", sort_key="numchild"),  # parts are its only children
        Column("milestone_count", label="Milestones", sort_key="milestone_count"),
        Column("current_milestone", label="Current milestone", accessor=current_milestone),
        Column("origin", label="Imported / edited", accessor=origin_of),
    ]

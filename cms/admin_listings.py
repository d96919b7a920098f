"""Per-page-type listings in the admin (Wagtail's ``PageListingViewSet``).

News: newest first by news date, with event dates, location, tags, status
and where the page came from, filtered by tag, date range and origin. Work
packages: number (each package followed by its parts), parent, parts,
milestones and the milestone under way this month.

"Imported" comes from the page alone (it has a legacy URL), so ``cms``
needs no importer; "edited in Wagtail since the import" is the importer's
rule, asked through the ``annotate_edited_since_import`` hook (see
:mod:`cms.provenance`) as one subquery per listing. Without an importer the
column says only "Imported" or "Written in Wagtail", and the filter offers
no "edited" choice.

Wagtail lists only the pages an editor may explore; the filters' choices (Sites,
tags) follow the same rights (:mod:`cms.editor_scope`), so an editor of one
project site is not offered another's.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from taggit.models import Tag
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page

from cms.editor_scope import editable_sites, only_editable
from cms.models import Milestone, NewsPage, WorkPackagePage
from cms.provenance import annotate_edited_since_import, has_edited_rule

IMPORTED = "Imported"
EDITED = "Imported, edited in Wagtail"
WRITTEN_HERE = "Written in Wagtail"


def origin_of(page) -> str:
    if not page.legacy_url:
        return WRITTEN_HERE
    return EDITED if page.edited_since_import else IMPORTED


def filter_by_origin(queryset, name, value):
    if value == "wagtail":
        return queryset.filter(legacy_url="")
    if value in ("imported", "edited"):
        return queryset.exclude(legacy_url="").filter(edited_since_import=value == "edited")
    return queryset


class OriginFilterSet(PageFilterSet):
    """A listing filtered by where its pages came from (the view annotates the rule)."""

    origin = django_filters.ChoiceFilter(
        label="Imported or edited", empty_label="Any", method=filter_by_origin, choices=[],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # asked per request: the importer registers its hook after cms is loaded
        edited = [("edited", EDITED)] if has_edited_rule() else []
        self.filters["origin"].extra["choices"] = [
            ("imported", IMPORTED), *edited, ("wagtail", WRITTEN_HERE),
        ]
        if self.request is not None and "site" in self.filters:
            self.filters["site"].queryset = editable_sites(self.request.user)


def tags_of_editable_news(request):
    news = only_editable(NewsPage.objects.all(), request.user)
    used = NewsPage.tags.through.objects.filter(content_object__in=news)
    return Tag.objects.filter(pk__in=used.values("tag_id")).order_by("name")


def title_and_status(*others):
    """Wagtail's own title (with its actions), status and update columns, and
    ``others`` of its columns (e.g. "parent")."""
    wanted = ("title", "status", "latest_revision_created_at", *others)
    return [column for column in IndexView.base_columns if column.name in wanted]


def event_dates(page) -> str:
    """The event's first and last day; one day once (a one-day event is not a range)."""
    days = sorted({day for day in (page.event_start, page.event_end) if day})
    return " – ".join(day.isoformat() for day in days)


class NewsFilterSet(OriginFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("has_child_pages", None)  # news has no child pages

    tag = django_filters.ModelChoiceFilter(
        label="Tag", field_name="tagged_items__tag", empty_label="Any",
        queryset=tags_of_editable_news,
    )
    date = django_filters.DateFromToRangeFilter(label="News date", widget=DateRangePickerWidget)

    class Meta:
        model = NewsPage
        fields = []


class NewsIndexView(IndexView):
    default_ordering = "-date"

    def get_base_queryset(self):
        pages = super().get_base_queryset().prefetch_related("tagged_items__tag")
        return annotate_edited_since_import(pages)


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
        Column("event", label="Event", accessor=event_dates),
        Column("location", label="Location", sort_key="location"),
        Column("tags", label="Tags", accessor=lambda p: ", ".join(
            sorted(item.tag.name for item in p.tagged_items.all())
        )),
        Column("origin", label="Imported / edited", accessor=origin_of),
    ]


def current_milestone(page, today=None):
    month = (today or timezone.localdate()).replace(day=1)
    return next((str(m) for m in page.milestones.all() if m.covers(month)), "")


def package_number():
    """A page's work-package number, a part's that of its work package, so
    that sorting by number shows each package followed by its parts."""
    parent_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
    parent = WorkPackagePage.objects.filter(path=parent_path).values("number")[:1]
    return Coalesce("number", Subquery(parent))


class WorkPackageIndexView(IndexView):
    default_ordering = "number"

    def order_queryset(self, queryset):
        if self.ordering in ("number", "-number") and not self.is_searching:
            number = F("package_number")
            number = number.asc(nulls_last=True) if self.ordering == "number" else number.desc(
                nulls_last=True
            )
            return queryset.annotate(package_number=package_number()).order_by(number, "path")
        return super().order_queryset(queryset)

    def get_base_queryset(self):
        pages = (
            super().get_base_queryset()
            .annotate(milestone_count=Count("milestones", distinct=True))
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by(
                "sort_order"
            )))
        )
        return annotate_edited_since_import(pages)


class WorkPackageFilterSet(OriginFilterSet):
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
        *title_and_status("parent"),
        Column("number", label="Number", sort_key="number"),
        Column("numchild", label="Parts", sort_key="numchild"),  # parts are its only children
        Column("milestone_count", label="Milestones", sort_key="milestone_count"),
        Column("current_milestone", label="Current milestone", accessor=current_milestone),
        Column("origin", label="Imported / edited", accessor=origin_of),
    ]

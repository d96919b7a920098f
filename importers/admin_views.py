"""Reports → Legacy imports: the stored import runs, in Wagtail's own report views.

Runs, one run's pages (filtered by outcome, linked to their edit views, with
their warnings and errors) and its dead links (with the legacy pages linking
to them), each exportable as CSV and XLSX like Wagtail's reports. Seen by
whoever may view import runs (``projectsite_importers.view_importrun``;
superusers always), and of the runs only those into a Site they may edit
(:mod:`cms.editor_scope`): an editor of one project site sees that site's
imports; a run of another is not found.
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.editor_scope import editable_sites, of_editable_sites
from importers.models import ImportRun, ImportRunDeadLink, ImportRunPage
from importers.records import Action, Kind
from importers.run_records import COUNTS

#: The runs' counts, grouped into one column each, as "8 created, 4 unchanged".
PAGE_COUNTS = tuple(action.value for action in Action)
DOCUMENT_COUNTS = tuple(name for name in COUNTS if name.startswith("documents_"))

PERMISSION = "projectsite_importers.view_importrun"


def may_see_runs(user) -> bool:
    return user.has_perm(PERMISSION)


def visible_runs(user):
    """The runs ``user`` is shown: those into the Sites they may edit."""
    return ImportRun.objects.filter(of_editable_sites(user))


class RunReport(ReportView):
    """What every legacy-import report shares: who may see it."""

    permission_policy = ModelPermissionPolicy(ImportRun)
    permission_required = "view"
    header_icon = "download"


def sites_to_choose(request):
    return editable_sites(request.user).order_by("hostname", "port")


class RunSiteFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=sites_to_choose, empty_label=_("Any")
    )

    class Meta:
        model = ImportRun
        fields = ["site"]


class ImportRunsView(RunReport):
    page_title = _("Legacy imports")
    filterset_class = RunSiteFilterSet
    index_url_name = "projectsite_importers_runs"
    index_results_url_name = "projectsite_importers_runs_results"
    export_filename = "legacy-import-runs"
    every_column = [
        TitleColumn(
            "__str__", label=_("Run"),
            get_url=lambda run: reverse("projectsite_importers_run", args=[run.pk]),
        ),
        DateColumn("started_at", label=_("Started")),
        Column("site", label=_("Site")),
        Column("took", label=_("Took")),
        Column("started_by", label=_("Started by")),
        BooleanColumn("dry_run", label=_("Dry run")),
        Column("pages", label=_("Pages"), accessor=lambda run: counted(run, PAGE_COUNTS)),
        Column("dead_links", label=_("Dead links")),
        Column("documents", label=_("Documents"),
               accessor=lambda run: counted(run, DOCUMENT_COUNTS, "documents ")),
    ]
    list_export = ["pk", "started_at", "finished_at", "site", "started_by", "dry_run",
                   "origin", "sources", *COUNTS]
    export_headings = {"pk": "run"}

    @cached_property
    def columns(self):
        """The Site column only where the user has several Sites to tell apart."""
        if editable_sites(self.request.user).count() > 1:
            return self.every_column
        return [column for column in self.every_column if column.name != "site"]

    def get_queryset(self):
        return visible_runs(self.request.user).select_related("site")


def counted(run: ImportRun, names, prefix="") -> str:
    """The run's non-zero counts of ``names``, read as "8 created, 4 unchanged";
    all counts, zero or not, are in the export."""
    counts = []
    for name in names:
        if getattr(run, name):
            label = str(ImportRun._meta.get_field(name).verbose_name).removeprefix(prefix)
            counts.append(f"{getattr(run, name)} {label}")
    return ", ".join(counts) or "none"


def kind_label(row: ImportRunPage) -> str:
    """The kind as editors read it ("news list"), not its code."""
    try:
        return Kind(row.kind).label
    except ValueError:
        return row.kind


class OutcomeFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Action.choices(), empty_label=_("Any")
    )

    class Meta:
        model = ImportRunPage
        fields = ["action"]


def edit_url(row: ImportRunPage) -> str | None:
    return reverse("wagtailadmin_pages:edit", args=[row.page_id]) if row.page_id else None


def messages(row: ImportRunPage) -> str:
    return "; ".join([*row.errors, *row.warnings])


class OneRunView(RunReport):
    """A report about one run: its number in the URL, the title and links."""

    @cached_property
    def run(self):
        """Asked once the permission is checked; another site's run is not found."""
        return get_object_or_404(visible_runs(self.request.user), pk=self.kwargs["run_id"])

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.run.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.run.pk])

    def get_page_subtitle(self):
        return str(self.run)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("projectsite_importers_runs"), "label": _("Legacy imports")},
            {"url": "", "label": str(self.run)},
        ]

    def get_filename(self):
        return f"{self.export_filename}-{self.run.pk}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["run"] = self.run
        return context


class ImportRunPagesView(OneRunView):
    page_title = _("Pages of a legacy import")
    template_name = "projectsite_importers/run_detail.html"
    index_url_name = "projectsite_importers_run"
    index_results_url_name = "projectsite_importers_run_results"
    filterset_class = OutcomeFilterSet
    export_filename = "legacy-import-run"
    columns = [
        TitleColumn("title", label=_("Page"), get_url=edit_url),
        Column("legacy_url", label=_("Legacy URL")),
        Column("kind", label=_("Kind"), accessor=kind_label),
        Column("get_action_display", label=_("Outcome")),
        Column("messages", label=_("Reasons and warnings"), accessor=messages),
    ]
    list_export = ["legacy_url", "title", "kind", "action", "page_id", "errors", "warnings"]

    def get_queryset(self):
        return self.run.pages.all()


class ImportRunDeadLinksView(OneRunView):
    page_title = _("Dead links of a legacy import")
    index_url_name = "projectsite_importers_dead_links"
    index_results_url_name = "projectsite_importers_dead_links_results"
    export_filename = "legacy-import-dead-links"
    columns = [
        Column("url", label=_("Dead link")),
        Column("reason", label=_("Reason")),
        Column("linked_from", label=_("Linked from"),
               accessor=lambda link: ", ".join(link.linked_from)),
    ]
    list_export = ["url", "reason", "linked_from"]

    def get_queryset(self):
        return ImportRunDeadLink.objects.filter(run=self.run)

"""The importer in the Wagtail admin: history entries, reports, dashboard, provenance."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from importers import admin_views, dashboard, history, page_provenance
from importers.load import editors


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    history.register(actions)


@hooks.register("name_log_actor")
def name_import_run(log_entry):
    return history.actor(log_entry)


class LegacyImportsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_see_runs(request.user)


@hooks.register("register_reports_menu_item")
def register_legacy_imports_report():
    return LegacyImportsMenuItem(
        "Legacy imports", reverse("projectsite_importers_runs"), icon_name="download", order=900
    )


def _report_urls(prefix, view, name):
    return [
        path(prefix, view.as_view(), name=name),
        path(f"{prefix}results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]


@hooks.register("register_admin_urls")
def register_legacy_import_urls():
    return [
        *_report_urls("reports/legacy-imports/", admin_views.ImportRunsView,
                      "projectsite_importers_runs"),
        *_report_urls("reports/legacy-imports/<int:run_id>/", admin_views.ImportRunPagesView,
                      "projectsite_importers_run"),
        *_report_urls("reports/legacy-imports/<int:run_id>/dead-links/",
                      admin_views.ImportRunDeadLinksView, "projectsite_importers_dead_links"),
    ]


@hooks.register("construct_homepage_panels")
def add_last_import_panel(request, panels):
    dashboard.panels_for(request, panels)


@hooks.register("describe_page_provenance")
def describe_imported_page(page, request):
    return page_provenance.describe(page, request)


@hooks.register("annotate_edited_since_import")
def annotate_edited_pages(pages):
    return editors.annotate_edited_since_import(pages)


@hooks.register("register_permissions")
def import_run_permissions():
    """Lets admins grant "Can view import run" to a group in Settings → Groups."""
    return Permission.objects.filter(
        content_type__app_label="projectsite_importers", codename="view_importrun"
    )

"""The dashboard's "Last legacy import" panel: the latest run, its counts and a link.

The latest run into a Site its reader may edit (:mod:`cms.editor_scope`), as the report lists.
"""

from wagtail.admin.ui.components import Component

from importers.admin_views import may_see_runs, visible_runs


class LastImportPanel(Component):
    name = "last_legacy_import"
    order = 150
    template_name = "projectsite_importers/last_import_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"run": visible_runs(self.request.user).first(), "request": self.request}


def panels_for(request, panels) -> None:
    if may_see_runs(request.user):
        panels.append(LastImportPanel(request))



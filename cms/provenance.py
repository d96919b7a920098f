"""The "Imported from the legacy site" panel of a page's edit view.

``cms`` knows a page's legacy URL, nothing of how it was imported: the app
that imports pages tells the rest through the ``describe_page_provenance``
hook, ``fn(page, request)`` returning HTML to show in the panel, or None.
The panel is shown on pages that have a legacy URL (or something from a hook).
"""

from wagtail import hooks
from wagtail.admin.panels import Panel

HOOK = "describe_page_provenance"


class ProvenancePanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/panels/provenance.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            page = self.instance
            self.parts = []
            if page is not None and page.pk:
                self.parts = [
                    html for describe in hooks.get_hooks(HOOK)
                    if (html := describe(page, self.request))
                ]

        def is_shown(self):
            legacy_url = getattr(self.instance, "legacy_url", "")
            return bool(legacy_url or self.parts) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["legacy_url"] = self.instance.legacy_url
            context["parts"] = self.parts
            return context


provenance_panel = ProvenancePanel(heading="Imported from the legacy site")

"""Where a page came from, as the admin shows it: what ``cms`` asks the importer.

``cms`` knows a page's legacy URL, nothing of how it was imported: the app
that imports pages tells the rest through two hooks.

* ``describe_page_provenance``: ``fn(page, request)`` returning HTML for the
  "Imported from the legacy site" panel of the page's edit view, or None.
  The panel is shown on pages that have a legacy URL (or something from a hook).
* ``annotate_edited_since_import``: ``fn(pages)`` returning the page queryset
  annotated with a boolean ``edited_since_import``, the importer's rule for
  "an editor changed it since the import, so the next import leaves it
  alone" (the admin listings show and filter it). The first one registered
  is the rule; without one, nothing is known to be edited.
"""

from django.db.models import BooleanField, QuerySet, Value
from wagtail import hooks
from wagtail.admin.panels import Panel

HOOK = "describe_page_provenance"
EDITED_HOOK = "annotate_edited_since_import"


def has_edited_rule() -> bool:
    """Whether an importer tells which pages were edited since their import."""
    return bool(hooks.get_hooks(EDITED_HOOK))


def annotate_edited_since_import(pages: QuerySet) -> QuerySet:
    """``pages`` with ``edited_since_import`` from the importer's rule (False without one)."""
    for annotate in hooks.get_hooks(EDITED_HOOK):
        return annotate(pages)
    return pages.annotate(edited_since_import=Value(False, output_field=BooleanField()))


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

"""The importer's entries in a page's history: their own log actions.

The loader saves and publishes revisions with these actions; every entry a
run writes carries the run's log context UUID (``ImportRun.log_uuid``), which
is how the message names the run ("Imported by legacy import run 12").
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from importers.models import ImportRun

IMPORTED = "projectsite_importers.import"
PUBLISHED = "projectsite_importers.publish"


def run_of(log_entry) -> ImportRun | None:
    if log_entry.uuid is None:
        return None
    return ImportRun.objects.filter(log_uuid=log_entry.uuid).first()


class RunFormatter(LogFormatter):
    verb = ""

    def format_message(self, log_entry):
        run = run_of(log_entry)
        if run is None:
            return _("%(verb)s by a legacy import run") % {"verb": self.verb}
        return _("%(verb)s by legacy import run %(run)s") % {"verb": self.verb, "run": run.pk}


class ImportedFormatter(RunFormatter):
    label = _("Import from the legacy site")
    verb = _("Imported")


class PublishedFormatter(RunFormatter):
    label = _("Publish a legacy import")
    verb = _("Published")


def register(actions) -> None:
    actions.register_action(IMPORTED)(ImportedFormatter)
    actions.register_action(PUBLISHED)(PublishedFormatter)

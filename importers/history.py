"""The importer's entries in a page's history: their own log actions.

The loader saves and publishes revisions without Wagtail's entries (which
could carry no run) and writes these instead, with the run's number in
their data: "Imported by legacy import run 12".
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

IMPORTED = "projectsite_importers.import"
PUBLISHED = "projectsite_importers.publish"


def record_in_history(page, revision, run_id: int | None, *, published: bool) -> None:
    data = {"run": run_id}
    log(instance=page, action=IMPORTED, revision=revision, data=data, content_changed=True)
    if published:
        log(instance=page, action=PUBLISHED, revision=revision, data=data, content_changed=True)


class RunFormatter(LogFormatter):
    verb = ""

    def format_message(self, log_entry):
        run = (log_entry.data or {}).get("run")
        if run is None:
            return _("%(verb)s by a legacy import run") % {"verb": self.verb}
        return _("%(verb)s by legacy import run %(run)s") % {"verb": self.verb, "run": run}


    def actor(self, log_entry):
        """Who the history names as the entry's author (see ``cms.compat.log_actors``)."""
        run = (log_entry.data or {}).get("run")
        return _("legacy import run %(run)s") % {"run": run} if run else _("a legacy import run")


class ImportedFormatter(RunFormatter):
    label = _("Import from the legacy site")
    verb = _("Imported")


class PublishedFormatter(RunFormatter):
    label = _("Publish a legacy import")
    verb = _("Published")


def register(actions) -> None:
    actions.register_action(IMPORTED)(ImportedFormatter)
    actions.register_action(PUBLISHED)(PublishedFormatter)

"""The importer's entries in a page's history: their own log actions.

The loader saves and publishes revisions without Wagtail's entries (which
could carry no run) and writes these instead, with the run's number in
their data: "Imported by legacy import run 12". Wagtail's own entry of a
page's creation gets the run in its data too (see ``importers.load``); the
history's user column names the run of each (:func:`actor`, a
``name_log_actor`` hook: ``cms.compat.log_actors``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

IMPORTED = "projectsite_importers.import"
PUBLISHED = "projectsite_importers.publish"
#: Wagtail's entry of a page's creation, which the loader gives the run's number.
CREATED = "wagtail.create"
#: The entries that name the run that wrote them.
RUN_ACTIONS = (IMPORTED, PUBLISHED, CREATED)


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


def actor(log_entry):
    """Who the history names as the author of an entry a run wrote; None for others."""
    if log_entry.action not in RUN_ACTIONS:
        return None
    run = (log_entry.data or {}).get("run") if isinstance(log_entry.data, dict) else None
    if run:
        return _("legacy import run %(run)s") % {"run": run}
    return None if log_entry.action == CREATED else _("a legacy import run")


class ImportedFormatter(RunFormatter):
    label = _("Import from the legacy site")
    verb = _("Imported")


class PublishedFormatter(RunFormatter):
    label = _("Publish a legacy import")
    verb = _("Published")


def register(actions) -> None:
    actions.register_action(IMPORTED)(ImportedFormatter)
    actions.register_action(PUBLISHED)(PublishedFormatter)

"""Wagtail names the author of every log entry without a user "system"
(``BaseLogEntry.user_display_name``, read by the page history and the
audit report), and no hook lets an app say who acted instead: an import
run, say, on its own entries and on the ones Wagtail writes while the run
works (the creation of a page). :func:`install` adds one: a
``name_log_actor`` hook (``fn(log_entry)``, a name or None) names the author
of an entry that has no user; the first name given wins, and an entry no
hook names reads as before.
"""

from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.models.audit_log import BaseLogEntry

from cms.compat.reliance import Reliance, replaced_source

RELIES_ON = Reliance(
    check_id="cms.W014",
    names=(
        "wagtail.models.audit_log.BaseLogEntry.user_display_name",
        "wagtail.admin.views.generic.history.LogEntryUserColumn",
    ),
    fingerprint="cb60de9519d25f99",
    recheck="cms.compat.log_actors: that the history still names an entry's author through "
    "BaseLogEntry.user_display_name, and whether an app may name an entry's actor itself now "
    "(then drop the workaround).",
    risk="Entries a name_log_actor hook names (the importer's) may read \"system\" again.",
    read=replaced_source,
)


def install():
    wagtails = BaseLogEntry.__dict__["user_display_name"]
    if hasattr(wagtails, "replaced"):
        return

    def user_display_name(entry):
        if not entry.user_id:
            for name_actor in hooks.get_hooks("name_log_actor"):
                if name := name_actor(entry):
                    return name
        return wagtails.func(entry)

    named = cached_property(user_display_name)
    named.replaced = wagtails
    named.__set_name__(BaseLogEntry, "user_display_name")
    BaseLogEntry.user_display_name = named

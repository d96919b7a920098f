"""Wagtail names the author of every log entry without a user "system"
(``BaseLogEntry.user_display_name``, read by the page history and the
audit report), and no hook lets a log action say who acted instead: an
import run, say. :func:`install` lets it: a log action's formatter with an
``actor(log_entry)`` method names the author of its entries that have no
user; every other entry reads as before.
"""

import inspect

from django.utils.functional import cached_property
from wagtail.log_actions import registry
from wagtail.models.audit_log import BaseLogEntry

from cms.compat.reliance import Reliance


def _source(obj):
    """The text of Wagtail's own property, also once :func:`install` replaced it."""
    obj = getattr(obj, "replaced", obj)
    return inspect.getsource(getattr(obj, "func", obj))


RELIES_ON = Reliance(
    check_id="cms.W014",
    names=(
        "wagtail.models.audit_log.BaseLogEntry.user_display_name",
        "wagtail.admin.views.generic.history.LogEntryUserColumn",
    ),
    fingerprint="cb60de9519d25f99",
    recheck="cms.compat.log_actors: that the history still names an entry's author through "
    "BaseLogEntry.user_display_name, and whether a log action may name its actor itself now "
    "(then drop the workaround).",
    risk="Entries of a log action with an actor (the importer's) may read \"system\" again.",
    read=_source,
)


def install():
    wagtails = BaseLogEntry.__dict__["user_display_name"]
    if hasattr(wagtails, "replaced"):
        return

    def user_display_name(entry):
        if not entry.user_id:
            actor = getattr(registry.get_formatter(entry), "actor", None)
            name = actor(entry) if actor else None
            if name:
                return name
        return wagtails.func(entry)

    named = cached_property(user_display_name)
    named.replaced = wagtails
    named.__set_name__(BaseLogEntry, "user_display_name")
    BaseLogEntry.user_display_name = named

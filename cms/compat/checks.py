"""The system check of every workaround: ``manage.py check`` in a host project
with another Wagtail (or Django) says which workaround to re-check."""

from importlib import import_module

from django.core.checks import Tags, register

#: Every workaround module: each has ``RELIES_ON`` and may have ``mismatch()``,
#: and ``applies()`` when it works around an optional library.
#: Imported when the check runs: some read Wagtail's API registry, filled as apps get ready.
WORKAROUNDS = tuple(
    f"cms.compat.{name}"
    for name in (
        "v3_querysets", "v3_routes", "url_patterns", "v3_listings", "redirect_lookup", "relabel",
        "task_leases", "page_search_names", "log_actors", "api_markdown", "search_index",
    )
)


def workaround_messages(module_name):
    workaround = import_module(module_name)
    applies = getattr(workaround, "applies", None)
    if applies and not applies():
        return []
    mismatch = getattr(workaround, "mismatch", None)
    return workaround.RELIES_ON.messages(mismatch() if mismatch else None)


@register(Tags.compatibility)
def check_wagtail_workarounds(app_configs, **kwargs):
    return [message for name in WORKAROUNDS for message in workaround_messages(name)]

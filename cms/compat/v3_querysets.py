"""API v3 (a Wagtail preview) reads its public pages through a module global.

``wagtail.api.v3.querysets.get_pages_queryset`` calls
``get_public_pages_queryset`` as a global of its module for an anonymous
request and offers no hook; v2 is subclassed instead (see ``cms.api.v2``).
:func:`install` points that global at :func:`cms.visibility.public_pages`.
"""

from cms.compat.reliance import Reliance
from cms.visibility import public_pages

#: The global of ``wagtail.api.v3.querysets`` replaced below, and the function reading it.
V3_GLOBAL, V3_READER = "get_public_pages_queryset", "get_pages_queryset"

RELIES_ON = Reliance(
    check_id="cms.E003",
    names=(
        f"wagtail.api.v3.querysets.{V3_READER}",
        f"wagtail.api.querysets.{V3_GLOBAL}",
    ),
    fingerprint="7a6be2db81bf4696",
    recheck=f"that {V3_READER} still reads {V3_GLOBAL} as a module global for every "
    "anonymous read, and that cms.visibility.public_pages still gives what the replaced "
    "function gives minus the pages out of their schedule; then update "
    "cms.compat.v3_querysets (or use a hook Wagtail now offers).",
    risk="Drafts, expired and scheduled pages could reach the public through /api/v3/.",
)


def mismatch():
    """Why :func:`install` cannot work with the installed Wagtail, or None."""
    from wagtail.api.v3 import querysets as v3_querysets

    if not callable(getattr(v3_querysets, V3_GLOBAL, None)):
        return f"wagtail.api.v3.querysets.{V3_GLOBAL} is gone."
    code = getattr(getattr(v3_querysets, V3_READER, None), "__code__", None)
    if V3_GLOBAL not in getattr(code, "co_names", ()):
        return f"wagtail.api.v3.querysets.{V3_READER} no longer reads {V3_GLOBAL}."
    return None


def install():
    """Make the v3 preview's public read tier use :func:`public_pages`."""
    from wagtail.api.v3 import querysets as v3_querysets

    if mismatch() is None:
        setattr(v3_querysets, V3_GLOBAL, public_pages)

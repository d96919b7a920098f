"""API v3 (a Wagtail preview) reads its public pages through a module global.

There is no hook: :func:`install` points that global at
:func:`cms.visibility.public_pages`. The system check ``cms.E003`` fails when a
Wagtail release changes this, so the replacement never silently stops working.
"""

from cms.visibility import public_pages

#: The global of ``wagtail.api.v3.querysets`` replaced below, and the function reading it.
V3_GLOBAL, V3_READER = "get_public_pages_queryset", "get_pages_queryset"


def v3_mismatch():
    """Why :func:`install` cannot work with the installed Wagtail, or None."""
    from wagtail.api.v3 import querysets as v3_querysets

    if not callable(getattr(v3_querysets, V3_GLOBAL, None)):
        return f"wagtail.api.v3.querysets.{V3_GLOBAL} is gone"
    reader = getattr(v3_querysets, V3_READER, None)
    if reader is None or V3_GLOBAL not in getattr(reader, "__code__", None).co_names:
        return f"wagtail.api.v3.querysets.{V3_READER} no longer reads {V3_GLOBAL}"
    return None


def install():
    """Make the v3 preview's public read tier use :func:`public_pages`.

    API v3 resolves ``get_public_pages_queryset`` as a module global of
    ``wagtail.api.v3.querysets`` and offers no hook; v2 is subclassed instead
    (see ``cms.api.v2``). The system check ``cms.E003`` fails when a Wagtail
    release changes this, so the replacement never silently stops working.
    """
    from wagtail.api.v3 import querysets as v3_querysets

    if v3_mismatch() is None:
        setattr(v3_querysets, V3_GLOBAL, public_pages)

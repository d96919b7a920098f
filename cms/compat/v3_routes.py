"""Wagtail's API v3 URL patterns, each behind the guard of :mod:`cms.api.v3`.

The v3 preview has no hook to validate a request or narrow what it answers,
so every one of its URL patterns is rebuilt with the guard around its view
(:func:`cms.compat.url_patterns.wrap_views`). The guard knows Wagtail's
routes by their text, named here; it narrows anonymous reads of pages,
images, documents and redirects, so a route Wagtail adds there would answer
unguarded: the table of those routes is fingerprinted.
"""

from cms.compat.reliance import Reliance
from cms.compat.url_patterns import wrap_views

PAGES = "pages/"
PAGE_DETAIL = "pages/<page_id>/"
#: Actions that place a copy, an alias or the page itself beside or under another.
PLACING_ACTIONS = {f"pages/<page_id>/actions/{name}/" for name in ("copy", "create_alias", "move")}
MOVE = "pages/<page_id>/actions/move/"
#: Writes that save a revision, which an alias page never has (Wagtail raises).
REVISION_WRITES = {
    (PAGE_DETAIL, "PATCH"), ("pages/<page_id>/actions/publish/", "POST"),
    ("pages/<page_id>/actions/revert/", "POST"),
}
#: Route → kind of file, for the listings and details of images and documents.
FILE_LISTINGS = {"images/": "images", "documents/": "documents"}
FILE_DETAILS = {"images/<image_id>/": "images", "documents/<document_id>/": "documents"}
#: Redirect reads, narrowed for the public to redirects whose target is public.
REDIRECTS, REDIRECT_FIND, REDIRECT_DETAIL = (
    "redirects/", "redirects/find/", "redirects/<redirect_id>/",
)
#: Every route the guard treats specially; :func:`mismatch` looks for each.
GUARDED_ROUTES = {
    PAGES, PAGE_DETAIL, *PLACING_ACTIONS, *FILE_LISTINGS, *FILE_DETAILS,
    REDIRECTS, REDIRECT_FIND, REDIRECT_DETAIL,
    *(route for route, _method in REVISION_WRITES),
}
#: First segments of the routes whose anonymous reads the guard narrows.
NARROWED = ("pages", "images", "documents", "redirects")


def route_table(api):
    """One line per operation under :data:`NARROWED`: its route and its name."""
    patterns, _app_name, _namespace = api.urls
    return "\n".join(sorted(
        f"{pattern.pattern} {pattern.name}" for pattern in patterns
        if str(pattern.pattern).split("/")[0] in NARROWED
    ))


RELIES_ON = Reliance(
    check_id="cms.E004",
    names=("wagtail.api.v3.urls.api",),
    fingerprint="09dac992ea3de1d7",
    recheck="Wagtail's v3 routes under pages/, images/, documents/ and redirects/ against "
    "the routes named in cms.compat.v3_routes and what cms.api.v3.guard does for each "
    "(a new read route must be narrowed like its siblings).",
    risk="Malformed requests could reach the database, and files or redirects used only by "
    "non-public pages could be listed.",
    read=route_table,
)


def wagtail_urls():
    from wagtail.api.v3.urls import api

    return api.urls


def mismatch():
    """Which routes the guard expects are gone from Wagtail's v3 API, or None."""
    patterns, _app_name, _namespace = wagtail_urls()
    missing = GUARDED_ROUTES - {str(pattern.pattern) for pattern in patterns}
    if missing:
        gone = ", ".join(sorted(missing))
        return f"Wagtail's API v3 no longer has the routes cms guards: {gone}."
    return None


def guarded_urls(guard):
    """Wagtail's v3 URL patterns, each view ``guard(route, view)``, to ``include``."""
    return wrap_views(wagtail_urls(), guard)

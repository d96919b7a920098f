"""API v3: Wagtail's ninja API behind a guard.

Wagtail's v3 preview has no hook to validate requests or narrow what it
returns, so each of its URL patterns is wrapped in :func:`guard` (see
:mod:`cms.compat.v3_routes`; system check ``cms.E004`` fails when Wagtail's
routes change). The guard

* answers HEAD as GET (Wagtail's ninja routes answer it 405);
* answers 400 for malformed ids in the path, query strings and JSON bodies
  (control characters, NUL, lone surrogates, offsets no database takes) and for
  ``root`` where no Site serves the host, before Wagtail runs a query;
* answers 401 for a bearer token that resolves to nobody (Wagtail would
  serve the request as anonymous);
* answers 500 with a plain message where Wagtail fails to build its own
  response (it would answer 422 with the exception's text, e.g. the cache
  server's address);
* answers 400 for copying, aliasing or moving the tree's root, which has no
  parent to copy beside, for moving a page beside the root, and for edits
  that would save a revision of an alias page;
* for anonymous reads: shows ``meta.parent`` and ``meta.alias_of`` only
  when that page is public, lists images and documents only when
  something public uses them (:mod:`cms.api.public_files`), and redirects
  only when their target is public (:mod:`cms.api.public_redirects`);
* answers every redirect ``find`` itself, looking ``html_path`` up as the
  website looks up an old URL (:mod:`cms.api.public_redirects`).
"""

import json
import logging
from functools import wraps

from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import problem_response
from wagtail.models import Page, Site

from cms.api import public_files, public_redirects
from cms.api.authorization import bearer_token
from cms.api.head import answered_as_get
from cms.compat.v3_routes import (
    FILE_DETAILS,
    FILE_LISTINGS,
    MOVE,
    PAGE_DETAIL,
    PAGES,
    PLACING_ACTIONS,
    REDIRECT_DETAIL,
    REDIRECT_FIND,
    REDIRECTS,
    REVISION_WRITES,
)
from cms.query_string import MalformedQuery, check_query, check_text, whole_number
from cms.visibility import public_pages

logger = logging.getLogger(__name__)

#: Query parameters that name a user by id.
USER_IDS = ("user_id",)
#: Move positions under the destination; any other places the page beside it.
CHILD_POSITIONS = ("first-child", "last-child", "sorted-child")
JSON = "application/json"
#: Filters that accept ``root`` for the request's Site root page.
ROOT_FILTERS = ("child_of", "descendant_of", "translation_of")
#: Bodies Django parses into ``request.POST`` (file uploads come this way).
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
#: Page fields of ``meta`` that name another page.
PAGE_REFERENCES = ("parent", "alias_of")


class Refused(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def check_strings(value, where="body"):
    """Refuse NUL and lone surrogates anywhere in decoded JSON: no database stores them."""
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value):
            raise MalformedQuery(f"{where} must not contain NUL or lone surrogates")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_strings(key, where)
            check_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            check_strings(item, where)


def check_request(request):
    """Refuse a malformed query or body; the JSON body as an object ({} if none)."""
    body = {}
    check_query(request.GET)
    for name in ("offset", "limit", *USER_IDS):
        if name in request.GET:
            whole_number(name, request.GET[name])
    if request.method in ("POST", "PUT", "PATCH") and request.content_type == JSON:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}  # not JSON at all: Wagtail's own validation says so
        if not isinstance(body, dict):
            # Every body v3 takes is an object; Wagtail assumes one.
            raise MalformedQuery("the body must be a JSON object")
        check_strings(body)
    elif request.method in ("POST", "PUT", "PATCH") and request.content_type in FORMS:
        try:
            fields = request.POST.lists()
        except MultiPartParserError as error:
            raise MalformedQuery("the body is not valid form data") from error
        for name, values in fields:
            for value in values:
                check_text(name, value.replace("\t", "").replace("\n", "").replace("\r", ""))
    return body


def has_token(request):
    """Whether the request names a bearer token, which must then be valid
    (a malformed header never gets here: see :mod:`cms.api.authorization`)."""
    return bearer_token(request) is not None


def is_response_failure(response):
    """Whether a 422 is Wagtail failing to build its own response (e.g. a page
    URL when the cache is down), not the client's input being invalid."""
    if response.status_code != 422:
        return False
    try:
        errors = json.loads(response.content).get("errors") or []
    except (ValueError, AttributeError):
        return False
    return any((error.get("loc") or [None])[0] == "response" for error in errors)


def concealed(response):
    """A server-side failure as a plain 500: its text (exception names,
    internal hosts and ports) goes to the log, never to the client."""
    if not is_response_failure(response):
        return response
    logger.error("API v3 could not build its response: %s", response.content[:2000])
    return problem_response(status=500, detail="The server could not build this response.")


def page_id(kwargs):
    try:
        return whole_number("page id", str(kwargs.get("page_id", "")))
    except MalformedQuery:
        return None  # Wagtail answers for a malformed path


def check_route(route, request, kwargs, body):
    if route == PAGES and request.method == "GET":
        uses_root = any("root" in request.GET.getlist(name) for name in ROOT_FILTERS)
        if uses_root and Site.find_for_request(request) is None:
            raise Refused(400, "No Site serves this host, so 'root' names no page.")
    if route in PLACING_ACTIONS and request.method == "POST":
        pk = page_id(kwargs)
        if pk is not None and Page.objects.filter(pk=pk, depth=1).exists():
            raise Refused(400, "The root of the page tree has no parent: it cannot be "
                          "copied, aliased or moved.")
        if route == MOVE:
            destination = body.get("destination_id")
            beside = body.get("position") not in CHILD_POSITIONS
            # JSON numbers: Wagtail takes 1.0 for 1.
            if isinstance(destination, float) and destination.is_integer():
                destination = int(destination)
            if beside and isinstance(destination, int) and Page.objects.filter(
                pk=destination, depth=1
            ).exists():
                raise Refused(400, "Nothing can be moved beside the root of the page tree.")
    if (route, request.method) in REVISION_WRITES:
        pk = page_id(kwargs)
        if pk is not None and Page.objects.filter(pk=pk, alias_of__isnull=False).exists():
            raise Refused(400, "An alias has no revisions of its own: edit, publish or "
                          "revert the page it is an alias of.")


def hide_non_public_pages(request, response):
    """Drop ``meta.parent``/``meta.alias_of`` of a page detail when that page is not public."""
    if response.status_code != 200:
        return response
    data = json.loads(response.content)
    meta = data.get("meta") or {}
    named = {name: ref["id"] for name in PAGE_REFERENCES if (ref := meta.get(name))}
    if not named:
        return response
    public = set(public_pages(request).filter(pk__in=named.values()).values_list("pk", flat=True))
    hidden = [name for name, pk in named.items() if pk not in public]
    if hidden:
        for name in hidden:
            meta[name] = None
        response.content = json.dumps(data)
    return response


def guard(route, view):
    def checked(request, *args, **kwargs):
        try:
            for name, value in kwargs.items():
                if name.endswith("_id"):  # page_id, image_id, revision_id, ...
                    whole_number(name.replace("_", " "), str(value))
            body = check_request(request)
            anonymous = True
            if has_token(request):
                if BearerTokenAuth()(request) is None:
                    raise Refused(401, "The bearer token is invalid, revoked or its user inactive.")
                anonymous = False
            check_route(route, request, kwargs, body)
            if route == REDIRECT_FIND and request.method == "GET":
                return public_redirects.find(request, anonymous)
            if anonymous and request.method in ("GET", "HEAD"):
                if route in FILE_LISTINGS:
                    return public_files.LISTINGS[FILE_LISTINGS[route]](request)
                if route in FILE_DETAILS:
                    kind = FILE_DETAILS[route]
                    pk = next(iter(kwargs.values()), "")
                    if not public_files.public_queryset(kind, request).filter(
                        pk=whole_number("id", str(pk))
                    ).exists():
                        raise Refused(404, "Not found")
                if route == PAGE_DETAIL:
                    return hide_non_public_pages(request, concealed(view(request, *args, **kwargs)))
                if route == REDIRECTS:
                    return public_redirects.LISTING(request)
                if route == REDIRECT_DETAIL:
                    public_redirects.check_detail(kwargs.get("redirect_id"))
        except Http404:
            return problem_response(status=404, detail="Not found")
        except MalformedQuery as error:
            return problem_response(status=400, detail=str(error))
        except Refused as refusal:
            return problem_response(status=refusal.status, detail=refusal.detail)
        return concealed(view(request, *args, **kwargs))

    # Ninja routes HEAD nowhere (405): it is answered as GET.
    return wraps(view)(answered_as_get(checked))

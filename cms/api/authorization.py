"""Who a request to the API is: never guessed from a header we cannot read.

The one credential the API takes in a header is a bearer token (RFC 6750:
``Bearer``, one space, a token of its ``b64token`` characters). Any other
``Authorization`` header (``Bearer<TAB>x``, ``Bearer`` alone, ``Token …``,
``Basic …``) names someone the API cannot identify. Serving it as anonymous
would hand the client a different view than it asked for, so every API view
(v2, v3, the preview) answers it with 401 before it runs.
"""

import re
from functools import wraps

from wagtail.api.v3.errors import problem_response

from cms.compat.url_patterns import wrap_views

#: ``Bearer``, any case, one space, then RFC 6750's ``b64token``.
BEARER = re.compile(r"bearer ([A-Za-z0-9\-._~+/]+=*)", re.IGNORECASE)


class MalformedAuthorization(Exception):
    """An ``Authorization`` header that is not a well-formed bearer token."""


def bearer_token(request):
    """The request's bearer token; None without an ``Authorization`` header."""
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        return None
    match = BEARER.fullmatch(header)
    if match is None:
        raise MalformedAuthorization
    return match.group(1)


def refuse_malformed_authorization(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            bearer_token(request)
        except MalformedAuthorization:
            response = problem_response(
                status=401,
                detail="The Authorization header is malformed: send 'Bearer <token>' or none.",
            )
            response["WWW-Authenticate"] = 'Bearer error="invalid_request"'
            return response
        return view(request, *args, **kwargs)

    return checked


def with_checked_authorization(urlconf):
    """The same URL patterns, every view behind :func:`refuse_malformed_authorization`."""
    return wrap_views(urlconf, lambda _route, view: refuse_malformed_authorization(view))

"""``HEAD`` is ``GET`` without the body (RFC 9110): an API view answers it as
``GET``, so its status and headers are ``GET``'s, validators (``ETag``,
``304``) included, which Django's conditional GET gives ``GET`` alone and
django-ninja (API v3) would answer with ``405``. The body is dropped on the
way out, by the site's middleware or the server."""

from functools import wraps


def answered_as_get(view):
    @wraps(view)
    def answered(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
            # DRF renders later, and the ETag comes with rendering: render as GET.
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response = response.render()
            return response
        finally:
            request.method = "HEAD"  # the request's own method, for its access line

    return answered

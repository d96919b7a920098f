"""gunicorn's own lines about a request carry the request's id, as the
site's lines do (:mod:`config.request_id`); ``gunicorn.conf.py`` installs
these hooks and this logger class.

The id is set when gunicorn has read the request (``pre_request``), before
the application runs, and cleared once it is answered (``post_request``).
When the application failed before it answered, gunicorn logs "Error
handling request" only after ``post_request``: the id is then kept for the
next line gunicorn logs (that one, or its note on a connection that broke
off), whatever its level, and for no other line.
"""

import contextvars
import sys

from gunicorn.glogging import Logger

from config.request_id import HEADER, current_request_id, usable_or_fresh

#: The id of a request whose failure gunicorn has still to log.
failed_request_id = contextvars.ContextVar("failed_request_id", default=None)


def pre_request(worker, req):
    """gunicorn has read ``req``: its id, from ``X-Request-ID`` when usable
    (several such headers are joined as WSGI joins them, so replaced)."""
    given = ",".join(value for name, value in req.headers if name.upper() == HEADER.upper())
    failed_request_id.set(None)
    current_request_id.set(usable_or_fresh(given))


def post_request(worker, req, environ, resp):
    """``req`` is answered, or failed on its way out: gunicorn logs that next."""
    failure = sys.exc_info()[1]
    # StopIteration: gunicorn's own signal that it logged a broken-off answer.
    if failure is not None and not isinstance(failure, StopIteration):
        failed_request_id.set(current_request_id.get())
    current_request_id.set(None)


def about_a_failed_request(log):
    def logged(self, *args, **kwargs):
        request_id = failed_request_id.get()
        if request_id is None:
            return log(self, *args, **kwargs)
        failed_request_id.set(None)
        token = current_request_id.set(request_id)
        try:
            return log(self, *args, **kwargs)
        finally:
            current_request_id.reset(token)

    return logged


class RequestLogger(Logger):
    """gunicorn's logger; the first line after a request failed names it."""

    critical = about_a_failed_request(Logger.critical)
    error = about_a_failed_request(Logger.error)
    warning = about_a_failed_request(Logger.warning)
    info = about_a_failed_request(Logger.info)
    debug = about_a_failed_request(Logger.debug)
    exception = about_a_failed_request(Logger.exception)
    log = about_a_failed_request(Logger.log)

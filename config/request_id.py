"""One id per request, on every log line the request causes, and one access
line per request (passing health probes at DEBUG only).

The id comes from ``X-Request-ID`` when the proxy in front sets one (so its
log and ours can be joined), else a fresh one. A header that is not a
plain token is replaced rather than trusted: it ends up in every log line.

Under gunicorn the id is set as soon as gunicorn has read the request, so
that gunicorn's own lines about it carry it too (:mod:`config.server_log`);
the middleware then uses the same id.
"""

import contextvars
import logging
import re
import time
import uuid

from config import health

#: The current request's id, read by :class:`RequestIdFilter` on every record.
current_request_id = contextvars.ContextVar("request_id", default=None)
#: What a proxy's id may look like: nginx's ``$request_id``, UUIDs, ULIDs.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-ID"

access_log = logging.getLogger("config.access")


def usable_or_fresh(given):
    return given if VALID_ID.fullmatch(given) else uuid.uuid4().hex


def request_id_from(meta):
    return usable_or_fresh(meta.get("HTTP_X_REQUEST_ID", ""))


class RequestIdMiddleware:
    """Sets the request id for the request's log lines, returns it in the
    ``X-Request-ID`` response header, and logs the request once it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The server's id when it set one (gunicorn), else one of our own.
        request_id = current_request_id.get() or request_id_from(request.META)
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers[HEADER] = request_id
            # A load balancer's health probes, every second, are no news
            # while they pass (a failing check logs its reason anyway).
            probe = request.path_info == health.PATH and response.status_code == 200
            access_log.log(
                logging.DEBUG if probe else logging.INFO,
                "%s %s %s",
                request.method,
                request.get_full_path(),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records logged while a request is handled."""

    def filter(self, record):
        request_id = current_request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True

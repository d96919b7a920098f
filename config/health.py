"""``/healthz`` for load balancers: 200 ``{"status": "ok"}`` when the
database and the cache answer; 200 ``{"status": "degraded", "failed":
["cache"]}`` when only the cache does not (the site serves from the
database meanwhile, slower: see :mod:`cms.fail_soft_cache`); 503 when the
database does not, as nothing can be served without it.

It comes right after the request id, so a probe never reaches the rest: no host
check (balancers poll by IP address), no HTTPS redirect (they poll over
plain HTTP), no session, no cookie. Each probe reads one row's worth from
each service and writes nothing, cheap enough to poll every second.
"""

import json
import logging

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse

PATH = "/healthz"
#: A key nobody writes: reading it is a round trip to the cache and nothing more.
PROBE_KEY = "healthz:probe"

logger = logging.getLogger(__name__)


def database_answers():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_answers():
    probe = getattr(cache, "probe", None)  # a fail-soft cache tells only when asked so
    if probe is not None:
        probe()
    else:
        cache.get(PROBE_KEY)


CHECKS = {"database": database_answers, "cache": cache_answers}
#: The services an instance cannot serve without; the others only slow it down.
REQUIRED = {"database"}


def failed_checks():
    failed = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            failed[name] = error
    return failed


class HealthResponseFilter(logging.Filter):
    """Django logs every 5xx response; a failed health check has logged
    which service failed and why already."""

    def filter(self, record):
        return getattr(getattr(record, "request", None), "path_info", None) != PATH


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        failed = failed_checks()
        for name, error in failed.items():
            # The reason goes to the log only: the body is public.
            logger.warning("Health check failed: %s: %s", name, error, extra={"check": name})
        down = REQUIRED.intersection(failed)
        if not failed:
            body = {"status": "ok"}
        else:
            body = {"status": "failed" if down else "degraded", "failed": sorted(failed)}
        response = HttpResponse(
            json.dumps(body), content_type="application/json", status=503 if down else 200
        )
        response.headers["Cache-Control"] = "no-store"
        return response

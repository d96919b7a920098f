"""gunicorn's settings for the runnable site, read by ``gunicorn config.wsgi``
when started from this folder. Anything here can be overridden on the
command line or in ``GUNICORN_CMD_ARGS``; ``WEB_CONCURRENCY`` sets the
number of workers and ``PORT`` the port, as gunicorn documents."""

from config.logs import logging_config
from config.server_log import RequestLogger, post_request, pre_request  # noqa: F401 - hooks

# gunicorn's own lines (start, workers, timeouts) as JSON, like the site's.
# The site logs one access line per request itself, with its request id.
logconfig_dict = logging_config()


# gunicorn's own lines about a request carry its request id too.
logger_class = RequestLogger

# Several instances may share a machine; gunicorn's control socket (a
# management interface the site does not use) would be one path for all.
control_socket_disable = True


def post_worker_init(worker):
    """Each worker opens its database and cache connections before it takes
    its first request (see config.wsgi)."""
    from config.wsgi import warm_up

    try:
        warm_up()
    except Exception:  # a worker that cannot warm up still serves, cold
        worker.log.exception("Warming up worker %s failed", worker.pid)

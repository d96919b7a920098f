"""How the site logs: one JSON object per line on stderr, one line per event.

Every line has ``time``, ``level``, ``logger`` and ``message``; a line
logged while a request is handled has its ``request_id``; and whatever a
log call passes in ``extra=`` (an import's ``run_id``, the access line's
``status``) becomes a field of its own. Exceptions are a field too, so a
traceback stays on its line.

Django's settings (``LOGGING``) and gunicorn (``gunicorn.conf.py``) use the
same configuration, so gunicorn's own lines look like the rest.
"""

import os

#: Fields every line starts with (after ``time``), as LogRecord attributes.
FIELDS = ["levelname", "name", "message"]
RENAMED = {"levelname": "level", "name": "logger"}


def logging_config(level=None):
    """A ``dictConfig`` dictionary: everything goes through one handler on
    the root logger, so no line is printed twice."""
    level = (level or os.environ.get("LOG_LEVEL") or "INFO").upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.request_id.RequestIdFilter"},
            "health_logged": {"()": "config.health.HealthResponseFilter"},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": FIELDS,
                "rename_fields": RENAMED,
                "timestamp": "time",  # ISO 8601 in UTC, to the microsecond
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Loggers that come with handlers of their own: drop those and
            # let the lines reach the root handler.
            "django": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
            # 4xx are in the access line already; 5xx keep their traceback.
            "django.request": {
                "handlers": [],
                "level": "ERROR",
                "propagate": True,
                "filters": ["health_logged"],
            },
            # runserver's request lines repeat the access line.
            "django.server": {"handlers": [], "level": "CRITICAL", "propagate": True},
        },
    }

"""The environment a production machine gives the runnable site's
processes (the processes themselves are in :mod:`tests.serving`)."""

import os

from tests import serving
from tests.serving import Gunicorn, TaskWorker, free_port, wait_until

__all__ = [
    "Gunicorn", "TaskWorker", "free_port", "manage", "production_env", "committed_database_url",
    "wait_until",
]
#: A key as `check --deploy` wants it: long, varied, not Django's insecure default.
SECRET_KEY = "Zt7-production-test-key-9qLx2vR8mWc4Hy6NbJ0sKf3TdPgA1eUo5iY"
#: Variables of the site (see the README's Configuration table) that the
#: environment of the test run must not leak into a "production" process.
SITE_VARIABLES = {
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "ALLOWED_HOSTS",
    "STATIC_ROOT", "MEDIA_ROOT", "MEDIA_STORAGE_BACKEND", "MEDIA_STORAGE_OPTIONS", "SERVE_MEDIA",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "TASKS_BACKEND", "LOG_LEVEL", "SECURE_SSL_REDIRECT", "CMS_API_MAX_AGE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES", "TRUST_X_FORWARDED_PROTO", "DJANGO_SETTINGS_MODULE", "PYTHONPATH",
    "WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL", "WAGTAIL_FRONTEND_BASE_URL",
    "SYNDICATION_BASE_URL", "WAGTAIL_GRAVATAR_PROVIDER_URL", "WEB_CONCURRENCY",
    "GUNICORN_CMD_ARGS", "PORT",
}


def production_env(**variables):
    """The environment of a production process: only what is given, on top
    of the machine's own (PATH and the like)."""
    env = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    env.update(SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1")
    env.update({key: str(value) for key, value in variables.items()})
    return env


def manage(*args, env, timeout=300):
    """``manage.py`` in the production environment; its result, whatever its status."""
    return serving.manage(env, *args, timeout=timeout, check=False)


def committed_database_url():
    """The URL of the PostgreSQL test database this test runs in, for processes
    that share its committed data (``transactional_db``)."""
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )

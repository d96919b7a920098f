"""The site's settings, with the environment a test run needs.

The suite runs on whatever DATABASE_URL / REDIS_URL name (SQLite and local
memory when unset).
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Wagtail's own background tasks (search index, reference index) run inline,
# as tests expect; the tests of the task worker switch to the site's database
# backend and run its worker (the ``tasks_in_database`` fixture).
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""The site's settings, with the environment a test run needs.

The suite runs on whatever DATABASE_URL / REDIS_URL name (SQLite and local
memory when unset).
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

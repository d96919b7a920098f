"""Test settings: the suite runs on whatever DATABASE_URL / REDIS_URL name."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key")

"""The project's settings, served with the benchmark's own URLs (the
constant-bytes view and a plain django.contrib.syndication feed live only here)."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")

from config.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.feeds.urls"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Plain HTTP on loopback, and Wagtail's own tasks inline while seeding.
SECURE_SSL_REDIRECT = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

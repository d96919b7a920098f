"""The project's settings, with the benchmark's own URLs (Wagtail's plain
sitemap, the baseline, lives only here)."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")

from config.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.discovery.urls"
DEBUG = False
ALLOWED_HOSTS = [".localhost", "127.0.0.1", "testserver"]  # bench/sites: two sites
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
SECURE_SSL_REDIRECT = False
# Wagtail's own tasks (the search index above all) inline while seeding.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No collectstatic for an in-process benchmark: static URLs without a manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405, E501

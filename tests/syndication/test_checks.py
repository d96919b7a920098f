"""The feeds' system checks."""

import subprocess

from django.apps import apps

from syndication import checks
from tests.serving import PYTHON, REPO, base_environment


def test_the_sites_settings_pass():
    assert checks.check_feed_settings(None) == []


def test_site_settings_app_missing(monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "wagtail.contrib.settings" and installed(name)
    )
    [error] = checks.check_feed_settings(None)
    assert error.id == "projectsite_feeds.E001" and error.hint


def test_feed_base_url_must_be_absolute(settings):
    settings.SYNDICATION_BASE_URL = "feeds.example.org"
    [error] = checks.check_feed_settings(None)
    assert error.id == "projectsite_feeds.E002"


WITHOUT_REDIS = """
import sys
sys.modules["redis"] = None  # redis-py not installed: every import of it fails
import django
django.setup()
from django.core import checks
from syndication import cache
from syndication.address import FeedAddress
errors = [error for error in checks.run_checks() if error.id.startswith("projectsite_feeds")]
for error in errors:
    print(error.id, error.msg, error.hint)
if not errors:
    cache.invalidate()
    print("feeds cache", cache.lookup(FeedAddress("h", "http://h", "rss"))[0])
"""


def run_without_redis(**env):
    result = subprocess.run(
        [PYTHON, "-c", WITHOUT_REDIS], cwd=REPO, capture_output=True, text=True, timeout=120,
        env=base_environment(DJANGO_SETTINGS_MODULE="config.settings", **env),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_redis_cache_without_the_redis_client_is_a_check_error_naming_the_extra():
    output = run_without_redis(REDIS_URL="redis://127.0.0.1:6379/0")
    assert output.startswith("projectsite_feeds.E003")
    assert "[site]" in output


def test_redis_url_for_the_host_projects_own_use_needs_no_redis_client():
    """REDIS_URL set, Django's cache elsewhere: the feeds never import redis."""
    output = run_without_redis(REDIS_URL="redis://127.0.0.1:6379/0", CACHE_BACKEND="locmem")
    assert output == "feeds cache None\n"

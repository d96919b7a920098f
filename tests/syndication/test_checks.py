"""The feeds' system checks."""

from django.apps import apps

from syndication import checks


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

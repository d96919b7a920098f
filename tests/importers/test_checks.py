"""The importer's system checks: redirects are part of every import."""

from django.apps import apps

from importers import checks


def test_a_project_with_redirects_and_their_middleware_passes():
    assert checks.check_redirects(None) == []


def test_redirect_middleware_missing(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != checks.REDIRECT_MIDDLEWARE]
    [warning] = checks.check_redirects(None)
    assert warning.id == "projectsite_importers.W001" and warning.hint


def test_redirects_app_missing(monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "wagtail.contrib.redirects" and installed(name)
    )
    [error] = checks.check_redirects(None)
    assert error.id == "projectsite_importers.E001"

"""System checks: what the importer needs from the host project."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

REDIRECT_MIDDLEWARE = "wagtail.contrib.redirects.middleware.RedirectMiddleware"


@register(Tags.compatibility)
def check_redirects(app_configs, **kwargs):
    """Every imported legacy URL gets a Wagtail redirect to its page."""
    if not apps.is_installed("wagtail.contrib.redirects"):
        return [
            Error(
                "The legacy importer needs wagtail.contrib.redirects in INSTALLED_APPS.",
                hint="It gives every imported legacy URL a permanent redirect to its page.",
                id="projectsite_importers.E001",
            )
        ]
    if REDIRECT_MIDDLEWARE not in settings.MIDDLEWARE:
        return [
            Warning(
                f"{REDIRECT_MIDDLEWARE} is not in MIDDLEWARE: the redirects the importer "
                "makes for legacy URLs are never served.",
                hint="Add it at the end of MIDDLEWARE, as `wagtail start` does.",
                id="projectsite_importers.W001",
            )
        ]
    return []

"""System checks: what the feeds need from the host project."""

from django.apps import apps
from django.core.checks import Error, Tags, register

from cms.checks import base_url_errors


@register(Tags.compatibility)
def check_feed_settings(app_configs, **kwargs):
    errors = []
    if not apps.is_installed("wagtail.contrib.settings"):
        errors.append(
            Error(
                "The feeds need wagtail.contrib.settings in INSTALLED_APPS.",
                hint="Each site's feed title, size and WebSub hub are site settings.",
                id="projectsite_feeds.E001",
            )
        )
    return errors + base_url_errors(["SYNDICATION_BASE_URL"], "projectsite_feeds.E002")

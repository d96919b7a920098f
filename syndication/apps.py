from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "syndication"
    label = "projectsite_feeds"
    verbose_name = "Feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from syndication import (
            checks,  # noqa: F401 - registers the system checks
            signal_handlers,
        )

        signal_handlers.register()

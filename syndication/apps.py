from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "syndication"
    verbose_name = "Feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from syndication import signal_handlers

        signal_handlers.register()

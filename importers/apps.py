from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "importers"
    label = "projectsite_importers"
    verbose_name = "Legacy importer"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from importers import checks  # noqa: F401 - registers the system checks

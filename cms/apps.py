from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "Project site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import (
            checks,  # noqa: F401 - registers the system checks
            image_files,
            signal_handlers,
        )
        from cms.compat import (
            api_markdown,
            log_actors,
            page_search_names,
            task_leases,
            v3_querysets,
        )
        from cms.compat import checks as compat_checks  # noqa: F401 - registers its check

        v3_querysets.install()
        page_search_names.install()
        log_actors.install()
        api_markdown.install()
        signal_handlers.register()
        image_files.register()
        if task_leases.applies():
            task_leases.register()

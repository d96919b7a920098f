"""The site's icon (``/favicon.ico``): one shipped with the package, and a
site setting for editors to replace it with their project's logo."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="image")
class SiteIcon(BaseSiteSetting):
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A square image, e.g. the project's logo, shown in browser tabs and "
        "bookmarks. Left empty, the site's default icon is used.",
    )

    panels = [FieldPanel("image")]

    class Meta:
        verbose_name = "site icon"

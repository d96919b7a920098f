"""Model fields the page types share."""

import datetime
import re

from django import forms
from django.db import models
from wagtail.admin.forms.models import register_form_field_override

#: Draftail's key of each block, kept in stored rich text for the editor only.
BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def without_block_keys(html):
    """Rich text as readers get it: without the editor's block keys."""
    return BLOCK_KEY.sub("", html)


class MonthInput(forms.DateInput):
    """The browser's month picker."""

    input_type = "month"

    def __init__(self, attrs=None, format="%Y-%m"):  # noqa: A002 - Django's name
        super().__init__(attrs=attrs, format=format)


class MonthFormField(forms.DateField):
    """Accepts "YYYY-MM" (a browser month picker) and stores the first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class MonthField(models.DateField):
    """A calendar month, kept as a date on the 1st so it sorts and compares."""

    description = "Month (year and month)"

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        return value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, datetime.date) and value.day != 1:
            value = value.replace(day=1)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MonthFormField, **kwargs})


class LegacyURLField(models.URLField):
    """The canonical URL of the legacy page a page was imported from."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("verbose_name", "legacy URL")
        kwargs.setdefault(
            "help_text", "The page on the old site this page was imported from."
        )
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Legacy sites predate HTTPS; a bare host means http.
        return super().formfield(**{"assume_scheme": "http", **kwargs})


# Wagtail gives every DateField its day picker; a month wants the month picker.
register_form_field_override(MonthField, override={"widget": MonthInput}, exact_class=True)

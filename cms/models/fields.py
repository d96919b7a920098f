"""Model fields the page types share."""

import datetime

from django import forms
from django.db import models


class MonthFormField(forms.DateField):
    """Accepts "YYYY-MM" (a browser month picker) and stores the first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
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

"""The Wagtail models behind the table of page kinds (:data:`importers.records.KINDS`).

The records name their page type as ``app_label.ModelName`` so that they stay
free of Django; this is where a name becomes a model, and a rich text field
its editor's features, for the read stage and the load stage alike.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from wagtail.models import Page

from importers.records import Kind

#: The model milestone descriptions are stored in (inline on a work package).
MILESTONE_MODEL = "cms.Milestone"


def model_of(kind: Kind) -> type[Page]:
    """The Wagtail page type of ``kind``, as :data:`importers.records.KINDS` names it."""
    return apps.get_model(kind.spec.model)


@cache
def features_of(kind: Kind, field: str) -> tuple[str, ...]:
    """The rich text features of ``field`` on the page type of ``kind`` (or a milestone)."""
    model = apps.get_model(MILESTONE_MODEL) if field == "description" else model_of(kind)
    return tuple(model._meta.get_field(field).features or ())

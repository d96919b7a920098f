"""Finish imported rich text the way Wagtail's editor will store it.

The editor (Draftail) round-trips a field's HTML through Wagtail's
``ContentstateConverter`` for that field's features on its first save,
dropping or unwrapping whatever the features do not allow.  Doing that
round trip at import time means what the importer writes is what the editor
keeps (nothing changes under an editor's first save), and what it removed is
reported.

Page links and image embeds are swapped for placeholders around the round
trip, so the converter never looks pages or images up (no queries, and a
link to a page deleted meanwhile cannot fail it); the block keys the
converter adds are random, and dropped so the same input always finishes to
the same output.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from cms.models import Milestone
from importers.load.pages import model_of
from importers.records import Kind

_EMBED = re.compile(r"<embed\b[^>]*/?>", re.I)
_PAGE_LINK = re.compile(r'<a linktype="page" id="(\d+)">')
_PLACEHOLDER_LINK = re.compile(r'<a href="https://page\.invalid/(\d+)">')
_VOID = re.compile(r"<((?:br|hr|img)\b[^>]*?)\s*/?>")
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')
_TAG = re.compile(r"<([a-z][a-z0-9]*)\b")
_EMBED_MARK = "[[projectsite-embed-{}]]"
_LONE_EMBED_MARK = re.compile(r"<p>\s*(\[\[projectsite-embed-\d+\]\])\s*</p>")


@cache
def _converter(features: tuple[str, ...]) -> ContentstateConverter:
    return ContentstateConverter(list(features))


def features_of(kind: Kind, field: str) -> tuple[str, ...]:
    """The rich text features of ``field`` on the page type of ``kind`` (or a milestone)."""
    model = Milestone if field == "description" else model_of(kind)
    return tuple(model._meta.get_field(field).features or ())


def finish(html: str, features: tuple[str, ...]) -> tuple[str, list[str]]:
    """``html`` as the editor stores it for ``features``, and the tags that round trip removed."""
    if not html:
        return html, []
    embeds: list[str] = []

    def park(match: re.Match) -> str:
        embeds.append(match.group(0))
        return _EMBED_MARK.format(len(embeds) - 1)

    value = _EMBED.sub(park, html)
    value = _PAGE_LINK.sub(r'<a href="https://page.invalid/\1">', value)
    value = _VOID.sub(r"<\1/>", value)
    converter = _converter(features)
    try:
        value = converter.to_database_format(converter.from_database_format(value))
    except (AssertionError, ValueError) as error:  # Wagtail's parser asserts on bad nesting
        return html, [f"(not checked: {error})"]
    value = _BLOCK_KEY.sub("", value)
    value = _PLACEHOLDER_LINK.sub(r'<a linktype="page" id="\1">', value)
    value = _LONE_EMBED_MARK.sub(r"\1", value)
    for number, embed in enumerate(embeds):
        value = value.replace(_EMBED_MARK.format(number), embed)
    before = Counter(_TAG.findall(_VOID.sub(r"<\1/>", html)))
    after = Counter(_TAG.findall(value))
    removed = sorted(tag for tag, count in before.items() if after[tag] < count)
    return value, removed


def finish_fields(
    kind: Kind, values: dict, milestones: list[dict]
) -> tuple[dict, list[dict], list[str]]:
    """Finished copies of a page's values and milestones, and one warning per changed field."""
    warnings: list[str] = []
    model = model_of(kind) if kind.spec.model else None
    values = dict(values)
    if model is not None:
        for name, value in values.items():
            if isinstance(value, str) and _is_rich_text(model, name):
                values[name], removed = finish(value, features_of(kind, name))
                warnings += _warning(name, removed)
    finished = []
    for number, milestone in enumerate(milestones, start=1):
        milestone = dict(milestone)
        milestone["description"], removed = finish(
            milestone["description"], features_of(kind, "description")
        )
        warnings += _warning(f"milestone {milestone.get('number') or number}", removed)
        finished.append(milestone)
    return values, finished, warnings


def _is_rich_text(model, name: str) -> bool:
    field = next((f for f in model._meta.get_fields() if f.name == name), None)
    return field is not None and hasattr(field, "features")


def _warning(where: str, removed: list[str]) -> list[str]:
    if not removed:
        return []
    tags = ", ".join(f"<{tag}>" for tag in removed)
    return [f"{where}: the rich text editor does not allow {tags}: removed (text kept)"]

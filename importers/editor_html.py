"""Finish extracted rich text the way Wagtail's editor will store it (read stage).

The editor (Draftail) round-trips a field's HTML through Wagtail's
``ContentstateConverter`` for that field's features on its first save,
dropping or unwrapping whatever the features do not allow.  Doing that
round trip as a page is read means what the importer writes is what the
editor keeps (nothing changes under an editor's first save), and what it
removed is reported as one of the page's warnings.

It runs right after extraction and its result is kept in the page's
snapshot, so a re-run over an unchanged site pays nothing for it.  Links and
images are parked as placeholders around the round trip and put back as
they were: which page, document or image they become is known only when
the load stage writes the page (:mod:`importers.rich_text`), and the
converter so never looks anything up.  An image alone in a paragraph
becomes a block of its own, as Draftail keeps it; the block keys the
converter adds are random, and dropped so the same input always finishes
to the same output.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import cache

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from cms.models.fields import without_block_keys
from importers.page_types import features_of
from importers.records import Kind, PageRecord

_LINK = re.compile(r"<a\b[^>]*>", re.I)
_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_PARKED_LINK = re.compile(r'<a href="https://link\.invalid/(\d+)">')
_IMAGE_MARK = "[[projectsite-image-{}]]"
_PARKED_IMAGE = re.compile(r"\[\[projectsite-image-(\d+)\]\]")
_IMAGES_ALONE = re.compile(r"<p>\s*((?:\[\[projectsite-image-\d+\]\]\s*)+)</p>")
_VOID = re.compile(r"<((?:br|hr)\b[^>]*?)\s*/?>")
_TAG = re.compile(r"<([a-z][a-z0-9]*)\b")


@cache
def _converter(features: tuple[str, ...]) -> ContentstateConverter:
    return ContentstateConverter(list(features))


def finish(html: str, features: tuple[str, ...]) -> tuple[str, list[str]]:
    """``html`` as the editor stores it for ``features``, and the tags that round trip removed."""
    if not html:
        return html, []
    links: list[str] = []
    images: list[str] = []

    def park_link(match: re.Match) -> str:
        links.append(match.group(0))
        return f'<a href="https://link.invalid/{len(links) - 1}">'

    def park_image(match: re.Match) -> str:
        images.append(match.group(0))
        return _IMAGE_MARK.format(len(images) - 1)

    value = _LINK.sub(park_link, _IMAGE.sub(park_image, html))
    value = _VOID.sub(r"<\1/>", value)
    converter = _converter(features)
    try:
        value = converter.to_database_format(converter.from_database_format(value))
    except (AssertionError, ValueError) as error:  # Wagtail's parser asserts on bad nesting
        return html, [f"(not checked: {error})"]
    value = without_block_keys(value)
    value = _PARKED_LINK.sub(lambda m: links[int(m.group(1))], value)
    value = _IMAGES_ALONE.sub(lambda m: "".join(m.group(1).split()), value)
    value = _PARKED_IMAGE.sub(lambda m: images[int(m.group(1))], value)
    before = Counter(_TAG.findall(html))
    after = Counter(_TAG.findall(value))
    removed = sorted(tag for tag, count in before.items() if after[tag] < count)
    return value, removed


def finish_record(record: PageRecord) -> None:
    """Finish every rich text field ``record`` is written with, in place; warn what went."""
    kind = record.kind
    if kind == Kind.NEWS:
        for item in record.news_items:
            item.body, removed = finish(item.body, features_of(kind, "body"))
            item.warnings += _warning("body", removed)
        return
    for name in kind.spec.rich_text:
        value, removed = finish(getattr(record, name), features_of(kind, name))
        setattr(record, name, value)
        record.warnings += _warning(name, removed)
    finished = []
    for number, milestone in enumerate(record.milestones, start=1):
        description, removed = finish(milestone.description, features_of(kind, "description"))
        record.warnings += _warning(f"milestone {milestone.number or number}", removed)
        finished.append(replace(milestone, description=description))
    record.milestones = finished


def _warning(where: str, removed: list[str]) -> list[str]:
    if not removed:
        return []
    tags = ", ".join(f"<{tag}>" for tag in removed)
    return [f"{where}: the rich text editor does not allow {tags}: removed (text kept)"]

"""Second pass: complete a revision the importer wrote earlier in the same run.

A page written before the pages it links to carries their legacy URLs; once
every page exists its links can become Wagtail page links.  The importer
owns that revision (it wrote it moments ago in this run), so the resolved
rich text is written into the same revision and the page row, instead of
adding a second revision for every page with a forward link.
"""

from __future__ import annotations

from wagtail.models import Revision

from importers.load.content import Resolved
from importers.models import ImportRecord

RICH_TEXT_FIELDS = ("body", "intro")


def complete_revision(
    model, page_id: int, revision_id: int, record_id: int, resolved: Resolved
) -> None:
    values = resolved.values
    page = model.objects.get(pk=page_id)
    changed = [n for n in RICH_TEXT_FIELDS if n in values and getattr(page, n) != values[n]]
    for name in changed:
        setattr(page, name, values[name])
    if "image" in values and page.image_id != values["image"]:
        page.image_id = values["image"]
        changed.append("image")
    if changed:
        page.save(update_fields=changed, clean=False)

    descriptions: dict[int, str] = {}
    if resolved.milestones:
        for milestone, data in zip(
            page.milestones.order_by("sort_order", "pk"), resolved.milestones, strict=False
        ):
            if milestone.description != data["description"]:
                milestone.description = data["description"]
                milestone.save(update_fields=["description"])
            descriptions[milestone.pk] = data["description"]

    revision = Revision.objects.get(pk=revision_id)
    content = revision.content
    for name in changed:
        content[name] = page.image_id if name == "image" else values[name]
    for item in content.get("milestones", []):
        if item.get("pk") in descriptions:
            item["description"] = descriptions[item["pk"]]
    revision.content = content
    revision.save(update_fields=["content"])
    ImportRecord.objects.filter(pk=record_id).update(written_hash=resolved.written_hash())

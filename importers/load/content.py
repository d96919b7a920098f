"""The field values the importer writes for a page, with links and images resolved.

No ORM queries and no parsing: given a :class:`LegacyPage`, whose rich text
the read stage cut into literal HTML and references
(:class:`~importers.rich_text.RichText`), and what is known about the other
pages, images and documents, join the exact values of the fields the
importer owns.  Links to imported legacy pages become Wagtail page links
(``<a linktype="page" id="N">``), links to stored files document links,
images become image embeds; the hash of the result is what the ID map
stores as "written".
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping
from dataclasses import dataclass, field

from importers.plan import LegacyPage, digest
from importers.records import Kind
from importers.rich_text import Image, Link, RichText


@dataclass(frozen=True)
class ImageRef:
    id: int
    title: str = ""


@dataclass
class Resolved:
    """Final field values plus what could not be resolved."""

    kind: Kind
    values: dict
    milestones: list[dict]
    missing_images: list[str] = field(default_factory=list)
    image_id: int | None = None  # the first body image, for a news item's list image

    def written_hash(self) -> str:
        return digest({"values": self.values, "milestones": self.milestones})


class Resolver:
    """Joins the rich text of one page against the current ID maps."""

    def __init__(
        self,
        page_ids: Mapping[str, int],
        images: Mapping[str, ImageRef | None],
        documents: Mapping[str, int],
    ) -> None:
        self.page_ids = page_ids
        self.images = images
        self.documents = documents
        self.missing_images: list[str] = []
        self.first_image: int | None = None

    def _link(self, link: Link, documents: Mapping[str, int]) -> str:
        page_id = self.page_ids.get(link.url)
        if page_id is not None:
            return f'<a linktype="page" id="{page_id}">'
        document_id = documents.get(link.url)
        if document_id is not None:
            return f'<a linktype="document" id="{document_id}">'
        return link.tag

    def _image(self, image: Image, allow_images: bool) -> str:
        if not image.url:
            return ""
        ref = self.images.get(image.url)
        if ref is None:
            if image.url not in self.missing_images:
                self.missing_images.append(image.url)
            return ""
        if not allow_images:
            return ""
        if self.first_image is None:
            self.first_image = ref.id
        alt = html.escape(image.alt or ref.title, quote=True)
        return f'<embed alt="{alt}" embedtype="image" format="fullwidth" id="{ref.id}"/>'

    def rich_text(self, value: RichText, *, in_page: bool = True) -> str:
        """``value`` joined; a milestone (not ``in_page``) shows no images and links no documents.

        The milestone's editor has neither feature: its links to files stay links
        to their old URLs, which redirect to the documents.
        """
        documents = self.documents if in_page else {}
        joined = []
        for part in value.parts:
            if isinstance(part, Link):
                part = self._link(part, documents)
            elif isinstance(part, Image):
                part = self._image(part, in_page)
            joined.append(part)
        return "".join(joined)


def _month(value: str | None) -> str | None:
    """``"YYYY-MM"`` → ISO date of the 1st (what a MonthField stores)."""
    if not value:
        return None
    year, month = value.split("-")[:2]
    return datetime.date(int(year), int(month), 1).isoformat()


def resolve(
    page: LegacyPage,
    page_ids: Mapping[str, int],
    images: Mapping[str, ImageRef | None],
    documents: Mapping[str, int] | None = None,
) -> Resolved:
    """The values to write for ``page`` given the pages, images and documents imported so far."""
    rw = Resolver(page_ids, images, documents or {})
    values: dict = {"title": page.title, "legacy_url": page.url}
    milestones: list[dict] = []
    f = page.fields
    if page.kind == Kind.NEWS:
        values.update(
            date=f["date"].isoformat() if f["date"] else None,
            summary=f["summary"],
            body=rw.rich_text(f["body"]),
            event_start=f["event_start"].isoformat() if f["event_start"] else None,
            event_end=f["event_end"].isoformat() if f["event_end"] else None,
            location=f["location"],
        )
        values["image"] = rw.first_image
    elif page.kind == Kind.WORK_PACKAGE:
        values.update(
            number=page.number,
            intro=rw.rich_text(f["intro"]),
            status=f["status"],
            body=rw.rich_text(f["body"]),
        )
        milestones = [
            {
                "number": m.number,
                "period_start": _month(m.period_start),
                "period_end": _month(m.period_end),
                "description": rw.rich_text(m.description, in_page=False),
            }
            for m in page.milestones
        ]
    elif page.kind == Kind.PAGE:
        values["body"] = rw.rich_text(f["body"])
    return Resolved(page.kind, values, milestones, rw.missing_images, rw.first_image)

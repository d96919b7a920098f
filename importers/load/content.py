"""The field values the importer writes for a page, with links and images resolved.

No ORM queries: given a :class:`LegacyPage` and what is known about the
other pages and images, produce the exact values of the fields the importer
owns.  Links to imported legacy pages become Wagtail page links
(``<a linktype="page" id="N">``), links to stored files document links,
images become image embeds; the hash of the
result is what the ID map stores as "written".
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from importers.load.richtext import finish_fields
from importers.plan import LegacyPage, digest
from importers.records import Kind
from importers.urls import absolute, canonicalize

_A_TAG = re.compile(r"<a\b([^>]*)>", re.I)
_IMG_TAG = re.compile(r"<img\b([^>]*?)/?>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LONE_EMBED = re.compile(r"<p>\s*(<embed [^>]*/>)\s*</p>", re.I)
_EMPTY_P = re.compile(r"<p>\s*</p>", re.I)


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(text)
    }


@dataclass(frozen=True)
class ImageRef:
    id: int
    title: str = ""


@dataclass
class Resolved:
    """Final field values plus what could not be resolved.

    ``values`` and ``milestones`` are finished for the rich text editor
    (:mod:`importers.load.richtext`) when first asked for, which is only when
    the page is written; the written hash is taken before finishing, so an
    unchanged page costs no round trip through the editor's converter.
    """

    kind: Kind
    raw_values: dict
    raw_milestones: list[dict]
    missing_images: list[str] = field(default_factory=list)
    image_id: int | None = None  # the first body image, for a news item's list image
    finished: tuple[dict, list[dict], list[str]] | None = None

    def written_hash(self) -> str:
        return digest({"values": self.raw_values, "milestones": self.raw_milestones})

    def _finish(self) -> tuple[dict, list[dict], list[str]]:
        if self.finished is None:
            self.finished = finish_fields(self.kind, self.raw_values, self.raw_milestones)
        return self.finished

    @property
    def values(self) -> dict:
        return self._finish()[0]

    @property
    def milestones(self) -> list[dict]:
        return self._finish()[1]

    @property
    def editor_warnings(self) -> list[str]:
        """What finishing for the editor removed, field by field."""
        return self._finish()[2]


class Rewriter:
    """Rewrites the rich text of one page against the current ID maps."""

    def __init__(
        self,
        page_url: str,
        page_ids: Mapping[str, int],
        images: Mapping[str, ImageRef | None],
        documents: Mapping[str, int],
    ) -> None:
        self.page_url = page_url
        self.page_ids = page_ids
        self.images = images
        self.documents = documents
        self.missing_images: list[str] = []
        self.first_image: int | None = None

    def _link(self, match: re.Match) -> str:
        attrs = _attrs(match.group(1))
        href = attrs.get("href", "")
        if not href or href.startswith(("#", "mailto:", "tel:")):
            return match.group(0)
        target = canonicalize(absolute(href, self.page_url))
        page_id = self.page_ids.get(target)
        if page_id is not None:
            return f'<a linktype="page" id="{page_id}">'
        document_id = self.documents.get(target)
        if document_id is not None:
            return f'<a linktype="document" id="{document_id}">'
        return match.group(0)

    def _image(self, match: re.Match, allow_images: bool) -> str:
        attrs = _attrs(match.group(1))
        src = attrs.get("src", "")
        if not src:
            return ""
        url = canonicalize(absolute(src, self.page_url))
        ref = self.images.get(url)
        if ref is None:
            if url not in self.missing_images:
                self.missing_images.append(url)
            return ""
        if not allow_images:
            return ""
        if self.first_image is None:
            self.first_image = ref.id
        alt = html.escape(attrs.get("alt") or ref.title, quote=True)
        return f'<embed alt="{alt}" embedtype="image" format="fullwidth" id="{ref.id}"/>'

    def rich_text(self, value: str, allow_images: bool = True) -> str:
        if not value:
            return value
        value = _A_TAG.sub(self._link, value)
        if "<img" in value or "<IMG" in value:
            value = _IMG_TAG.sub(lambda m: self._image(m, allow_images), value)
            # An image alone in a paragraph becomes a block of its own (as Draftail keeps it).
            value = _LONE_EMBED.sub(r"\1", value)
            value = _EMPTY_P.sub("", value)
        return value


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
    rw = Rewriter(page.url, page_ids, images, documents or {})
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
                "description": rw.rich_text(m.description, allow_images=False),
            }
            for m in page.milestones
        ]
    elif page.kind == Kind.PAGE:
        values["body"] = rw.rich_text(f["body"])
    return Resolved(page.kind, values, milestones, rw.missing_images, rw.first_image)

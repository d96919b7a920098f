"""Images used in page bodies become Wagtail images, one per distinct file.

The bytes come from a callable the command provides (the run's fetcher,
which only contacts the source's hosts, or the mirror on disk).  An image
already imported under its URL is not fetched again; a file whose content
Wagtail already holds (same SHA-1, as ``Image.file_hash`` keeps it) is
reused, so the same logo under two URLs is one image.  A missing or broken
image is a warning on the pages that use it, never a failure.
"""

from __future__ import annotations

import io
import logging
import posixpath
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from importers.load.content import ImageRef
from importers.models import ImportedImage

log = logging.getLogger(__name__)

#: Returns the image's bytes, or raises/returns None when it cannot be had.
ImageSource = Callable[[str], bytes | None]


def _file_name(url: str) -> str:
    name = posixpath.basename(unquote(urlsplit(url).path)) or "image"
    return name[-100:]


class ImageImporter:
    def __init__(self, source: ImageSource | None, *, dry_run: bool = False) -> None:
        self.source = source
        self.dry_run = dry_run
        self.problems: dict[str, str] = {}  # url → why it is missing

    def known(self) -> dict[str, ImageRef | None]:
        return {
            row["legacy_url"]: ImageRef(row["image_id"], row["image__title"] or "")
            for row in ImportedImage.objects.filter(image__isnull=False).values(
                "legacy_url", "image_id", "image__title"
            )
        }

    def ensure(self, urls: Iterable[str], known: dict[str, ImageRef | None]) -> None:
        """Import every image in ``urls`` not in ``known``; ``known`` is updated in place."""
        for url in urls:
            if url in known or url in self.problems:
                continue
            ref = self._import(url)
            if ref is not None:
                known[url] = ref

    def _import(self, url: str) -> ImageRef | None:
        if self.dry_run:  # a dry run fetches no images: it says they would be imported
            return ImageRef(0, _file_name(url))
        if self.source is None:
            self.problems[url] = "images are not imported from this source"
            return None
        try:
            data = self.source(url)
        except Exception as exc:  # the fetcher's own errors: report, never fail the page
            self.problems[url] = f"image could not be fetched: {exc}"
            return None
        if not data:
            self.problems[url] = "image not found"
            return None
        content_hash = hash_filelike(io.BytesIO(data))
        Image = get_image_model()
        try:
            with transaction.atomic():
                image = Image.objects.filter(file_hash=content_hash).order_by("pk").first()
                if image is None:
                    name = _file_name(url)
                    image = Image(title=name, file=ImageFile(io.BytesIO(data), name=name))
                    image.file_size = len(data)
                    image.file_hash = content_hash
                    image.save()
                ImportedImage.objects.create(
                    legacy_url=url, image=image, content_hash=content_hash
                )
        except Exception as exc:
            log.warning("image %s not imported: %s", url, exc)
            self.problems[url] = f"image could not be imported: {exc}"
            return None
        return ImageRef(image.pk, image.title)

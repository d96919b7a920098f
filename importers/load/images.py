"""Images used in page bodies become Wagtail images, one per distinct file.

The bytes were read by the read stage (:mod:`importers.files`), through the
run's source.  An image already imported under its URL was not read again; a file whose content
Wagtail already holds (same SHA-1, as ``Image.file_hash`` keeps it) is
reused, so the same logo under two URLs is one image.  A missing or broken
image is a warning on the pages that use it, never a failure.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from importers.files import ReadFile
from importers.load.content import ImageRef
from importers.load.stored_files import stored_file
from importers.models import ImportedImage
from importers.urls import file_name

log = logging.getLogger(__name__)


def _file_name(url: str) -> str:
    return file_name(url, "image")[-100:]


class ImageImporter:
    def __init__(self, files: Mapping[str, ReadFile], *, dry_run: bool = False,
                 run_id: int | None = None) -> None:
        self.files = files
        self.dry_run = dry_run
        self.run_id = run_id  # whose files these are, should the run not commit them
        self.problems: dict[str, str] = {}  # url → why it is missing

    def ensure(self, urls: Iterable[str], known: dict[str, ImageRef | None]) -> None:
        """Import every image in ``urls`` not in ``known``; ``known`` is updated in place."""
        for url in urls:
            if url in known or url in self.problems:
                continue
            ref = self._import(url)
            if ref is not None:
                known[url] = ref

    def _import(self, url: str) -> ImageRef | None:
        if self.dry_run:  # a dry run reads no images: it says they would be imported
            return ImageRef(0, _file_name(url))
        read = self.files.get(url)
        if read is None:
            self.problems[url] = "image not read from the source"
            return None
        if read.problem:
            self.problems[url] = read.problem
            return None
        content_hash = hash_filelike(read.open())
        Image = get_image_model()
        try:
            image = Image.objects.filter(file_hash=content_hash).order_by("pk").first()
            if image is not None:
                ImportedImage.objects.create(legacy_url=url, image=image,
                                             content_hash=content_hash)
                return ImageRef(image.pk, image.title)
            name = _file_name(url)
            image = Image(title=name, file_size=read.size, file_hash=content_hash)
            with (stored_file(image, "image", name, ImageFile(read.open(), name=name),
                              self.run_id),
                  transaction.atomic()):
                image.save()
                ImportedImage.objects.create(
                    legacy_url=url, image=image, content_hash=content_hash
                )
        except Exception as exc:
            log.warning("image %s not imported: %s", url, exc)
            self.problems[url] = f"image could not be imported: {exc}"
            return None
        return ImageRef(image.pk, image.title)

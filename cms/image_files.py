"""The byte size of an image's file, recorded with the image.

Wagtail records it when an editor uploads through the admin, but not when a
script or an importer saves an image with the ORM; feeds then had no length
for their enclosures. Recording it on every save keeps the feeds off the
storage, which may be a network away.
"""

import logging

from django.db.models.signals import pre_save
from wagtail.images import get_image_model

logger = logging.getLogger(__name__)


def stored_file_size(image):
    """The file's size: the recorded one, else the storage's (a stat or a
    HEAD request, never a read); None when the storage cannot tell."""
    if image.file_size is not None:
        return image.file_size
    try:
        return image.file.size
    except Exception as error:  # noqa: BLE001 - each storage raises its own kind
        logger.warning("Image %s: the storage cannot tell its file's size: %s", image.pk, error)
        return None


def record_file_size(sender, instance, **kwargs):
    if instance.file_size is None and instance.file:
        instance.file_size = stored_file_size(instance)


def register():
    pre_save.connect(
        record_file_size, sender=get_image_model(), dispatch_uid="cms-record-image-file-size"
    )

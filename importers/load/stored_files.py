"""Files stored for an image or document that never committed are removed by the next run.

Wagtail writes an image's or a document's file when its row is saved, inside
the transaction that a ``kill -9`` rolls back: the file would stay in the
media folder with no row naming it, and no later run would know of it.  So
the importer stores the file itself, just before that transaction, under the
name the storage will keep, and records that name first (an
:class:`~importers.models.UncommittedFile`, committed on its own); the record
is deleted once the row naming the file commits.  The next run into the same
Site removes the files still recorded that no image or document names.

Recording before writing (rather than writing after commit, with
``transaction.on_commit``) keeps Wagtail's own save, which reads the file for
the image's size, and never commits a row whose file is missing.
"""

from __future__ import annotations

import contextlib
import logging

from django.core.files.base import File
from django.db import models
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from importers.models import ImportRun, UncommittedFile

log = logging.getLogger(__name__)


def _model(kind: str) -> type[models.Model]:
    return get_image_model() if kind == "image" else get_document_model()


@contextlib.contextmanager
def stored_file(instance: models.Model, kind: str, name: str, content: File,
                run_id: int | None):
    """Store ``content`` as ``instance``'s file (``kind``: image or document) for the
    block that saves ``instance``; its record goes once the block is over.

    If the block fails, or ends without saving ``instance`` (it found the same
    file stored already), the file is removed at once.
    """
    field = instance._meta.get_field("file")
    storage = field.storage
    target = storage.get_available_name(field.generate_filename(instance, name),
                                        max_length=field.max_length)
    names = [target]
    records = [UncommittedFile.objects.create(run_id=run_id, kind=kind, name=target).pk]
    try:
        stored = storage.save(target, content, max_length=field.max_length)
        if stored != target:  # someone took the name meanwhile: the storage chose another
            names.append(stored)
            records.append(UncommittedFile.objects.create(run_id=run_id, kind=kind,
                                                          name=stored).pk)
        instance.file = stored
        yield
        if instance.pk is None:
            storage.delete(stored)
    except BaseException:
        for written in names:
            storage.delete(written)
        raise
    finally:
        UncommittedFile.objects.filter(pk__in=records).delete()


def remove_uncommitted_files(run: ImportRun) -> int:
    """Remove the files earlier runs into ``run``'s Site stored for rows that never
    committed; says how many.  The caller holds the Site's import lock."""
    removed = 0
    for record in UncommittedFile.objects.filter(run__site=run.site_id).exclude(run=run):
        model = _model(record.kind)
        if not model.objects.filter(file=record.name).exists():
            model._meta.get_field("file").storage.delete(record.name)
            removed += 1
        record.delete()
    return removed

"""Files linked from imported pages (deliverables) become Wagtail documents.

The read stage (:mod:`importers.files`) found each page's links to files of
a document type on a source host, read every file through the run's source
and judged its bytes; here each file is stored once per distinct content in
the "Imported files" collection, the page's links point at the documents
(:func:`~importers.load.content.resolve`), and the file's old URL redirects
to the document.

A file the server said did not change since the last run reuses its
document; a file read again with the same bytes is never stored twice.
Files are stored outside the page's transaction: a page that fails keeps
nothing of its own, and the document is simply reused next time.

Documents are public files, but Wagtail serves them through the
``before_serve_document`` hook of :mod:`cms.wagtail_hooks`, which refuses a
document no public page uses: a file linked only from a draft is imported
(publishing the draft needs it) yet downloads only once the page is public.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.base import File
from django.db import IntegrityError, transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from importers.files import ReadFile
from importers.load.redirects import Redirects
from importers.load.stored_files import stored_file
from importers.models import ImportedDocument
from importers.plan import LegacyPage
from importers.report import Report
from importers.urls import file_name

log = logging.getLogger(__name__)

IMPORTED_FILES = "Imported files"


@dataclass(frozen=True)
class Outcome:
    """What became of one linked file in this run."""

    document_id: int | None = None
    counted_as: str = "failed"  # created, reused or failed (the report's totals)
    problem: str = ""
    dead: bool = False  # the file is not there (404, soft 404): a dead link


def imported_files_collection() -> Collection:
    """The collection imported documents go in (under the root, so as public as the root).

    The root is locked while looking, so two runs starting at once make one.
    """
    with transaction.atomic():
        root = Collection.objects.select_for_update().get(
            pk=Collection.get_first_root_node().pk
        )
        existing = root.get_children().filter(name=IMPORTED_FILES).order_by("pk").first()
        return existing or root.add_child(name=IMPORTED_FILES)


class DocumentImporter:
    def __init__(
        self, files: Mapping[str, ReadFile], *, dry_run: bool = False, force: bool = False,
        run_id: int | None = None,
    ) -> None:
        self.files = files  # by origin URL
        self.run_id = run_id  # whose files these are, should the run not commit them
        self.dry_run = dry_run
        self.force = force
        self.outcomes: dict[str, Outcome] = {}  # legacy file URL → outcome, once per run
        self._collection: Collection | None = None

    def import_page_files(self, page: LegacyPage, redirects: Redirects, report: Report) -> None:
        """Store the files ``page`` links to (a dry run stores nothing and says nothing)."""
        if self.dry_run:
            return
        for legacy, title in page.documents.values():
            outcome = self.outcomes.get(legacy)
            if outcome is None:
                outcome = self._guarded(legacy, title, redirects, report)
                self.outcomes[legacy] = outcome
                report.document(outcome.counted_as)
            if outcome.document_id is not None:
                continue
            if outcome.dead:
                report.dead_link(legacy, outcome.problem, page.url)
            else:
                page.warnings.append(
                    f"file {legacy} left linked to the old site: {outcome.problem}"
                )

    def ids_for(self, page: LegacyPage) -> dict[str, int]:
        """The documents ``page``'s links point at: URL as linked → document ID."""
        ids = {}
        for url, (legacy, _) in page.documents.items():
            outcome = self.outcomes.get(legacy)
            if outcome is not None and outcome.document_id is not None:
                ids[url] = outcome.document_id
        return ids

    # -- one file ------------------------------------------------------------------
    def _guarded(self, url: str, title: str, redirects: Redirects, report: Report) -> Outcome:
        """One file's failure, whatever it is, is that file's: the page and the run go on."""
        try:
            return self._import(url, title, redirects, report)
        except Exception as exc:
            log.warning("document %s not imported: %s", url, exc, exc_info=True)
            return Outcome(problem=f"not imported: {type(exc).__name__}: {exc}")

    def _import(self, url: str, title: str, redirects: Redirects, report: Report) -> Outcome:
        record = ImportedDocument.objects.filter(legacy_url=url).select_related("document").first()
        if record is not None and record.document_id is None:
            if not self.force:  # an editor deleted it: as with pages, that stands
                return Outcome(problem="its document was deleted in Wagtail since the last "
                               "import: left deleted (--force imports it again)")
            record = None
        read = self.files.get(url)
        if read is None:
            return Outcome(problem="not read from the source")
        if read.problem:
            return Outcome(problem=read.problem, dead=read.dead)
        if read.not_modified and record is not None:
            self._redirect(url, record.document, None, redirects, report)
            return Outcome(record.document_id, "reused")
        if read.data is None:
            return Outcome(problem="the source sent no bytes")
        try:
            return self._store(url, title, read, record, redirects, report)
        except IntegrityError:  # another run recorded this URL at the same moment: use its
            record = ImportedDocument.objects.filter(legacy_url=url).first()
            if record is not None and record.document_id is not None:
                return Outcome(record.document_id, "reused")
            return Outcome(problem="another import run stored it at the same time; run again")
        except Exception as exc:
            log.warning("document %s not stored: %s", url, exc, exc_info=True)
            return Outcome(problem=f"could not be stored: {type(exc).__name__}: {exc}")

    def _store(self, url, title, read: ReadFile, record, redirects: Redirects,
               report: Report) -> Outcome:
        content_hash = hash_filelike(read.open())
        Document = get_document_model()
        previous = record.document if record is not None else None
        collection = self._imported_files()
        name = file_name(url, "document")[-80:]  # "documents/", a suffix: 100
        new = Document(title=title, collection=collection, file_size=read.size,
                       file_hash=content_hash)
        same = Document.objects.filter(file_hash=content_hash, collection=collection)
        fresh = (previous is None or record.content_hash != content_hash) and not same.exists()
        with (stored_file(new, "document", name, File(read.open(), name=name), self.run_id)
              if fresh else contextlib.nullcontext()), transaction.atomic():
            # One writer at a time decides "new or existing" for this collection, so two
            # runs importing the same bytes at once still make one document.
            Collection.objects.select_for_update().filter(pk=collection.pk).first()
            if previous is not None and record.content_hash == content_hash:
                document, outcome = previous, "reused"
            else:
                document = same.order_by("pk").first()
                outcome = "reused"
                if document is None:
                    if not fresh:  # the one there was deleted meanwhile: store it after all
                        new.file = File(read.open(), name=name)
                    document = new
                    document.save()
                    outcome = "created"
            ImportedDocument.objects.update_or_create(
                legacy_url=url,
                defaults={
                    "document": document, "content_hash": content_hash,
                    "etag": read.etag, "last_modified": read.last_modified,
                },
            )
            self._redirect(url, document, previous, redirects, report)
        return Outcome(document.pk, outcome)

    def _redirect(self, url, document, previous, redirects: Redirects, report: Report) -> None:
        try:
            with transaction.atomic():
                warning = redirects.point_link(
                    url, document.url, previous.url if previous is not None else None
                )
        except IntegrityError:  # another run made the same redirect at the same moment
            warning = None
        if warning and warning not in report.warnings:
            report.warnings.append(warning)

    def _imported_files(self) -> Collection:
        if self._collection is None:
            self._collection = imported_files_collection()
        return self._collection

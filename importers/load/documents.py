"""Files linked from imported pages (deliverables) become Wagtail documents.

Each page's rich text is searched for links to files of a document type on a
source host (:mod:`importers.extract.documents`); every file is read through
the run's source (the same host confinement, robots.txt and redirect rules
as pages; a larger size cap), judged by its bytes and Content-Type, and
stored once per distinct content in the "Imported files" collection.  The
page's links then point at the documents, and the file's old URL redirects
to the document.

Re-runs ask the server whether a file changed (``If-None-Match`` /
``If-Modified-Since`` with what it sent last time) and reuse the document on
304; a file read again with the same bytes is never stored twice.  Files are
stored outside the page's transaction: a page that fails keeps nothing of its
own, and the document is simply reused next time.

Documents are public files, but Wagtail serves them through the
``before_serve_document`` hook of :mod:`cms.wagtail_hooks`, which refuses a
document no public page uses: a file linked only from a draft is imported
(publishing the draft needs it) yet downloads only once the page is public.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.db import IntegrityError, transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from importers.extract.documents import (
    content_problem,
    document_links,
    document_title,
    file_name,
    link_documents,
)
from importers.load.redirects import Redirects
from importers.models import ImportedDocument
from importers.reader import DOCUMENT_TYPES, FetchError, Validators
from importers.report import Report

if TYPE_CHECKING:
    from importers.load.plan import LegacyPage
    from importers.sources import Source

log = logging.getLogger(__name__)

DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
IMPORTED_FILES = "Imported files"
#: Page fields whose rich text may link documents (milestone descriptions allow no documents).
DOCUMENT_FIELDS = ("intro", "body")


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
        self,
        source: Source | None,
        *,
        dry_run: bool = False,
        force: bool = False,
        max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ) -> None:
        self.source = source
        self.dry_run = dry_run
        self.force = force
        self.max_bytes = max_bytes
        self.outcomes: dict[str, Outcome] = {}  # legacy file URL → outcome, once per run
        self._collection: Collection | None = None

    def link_page(self, page: LegacyPage, redirects: Redirects, report: Report) -> None:
        """Import the files ``page`` links to and point its links at their documents.

        Called before the page is written, outside its transaction.  A dry
        run fetches nothing and leaves the links as they are.
        """
        if self.source is None or self.dry_run:
            return
        names = [name for name in DOCUMENT_FIELDS if page.fields.get(name)]
        links = {}
        for name in names:
            for link in document_links(page.fields[name], self.source.file_hosts):
                links.setdefault(link.url, link)
        documents: dict[str, int] = {}
        for url, link in links.items():
            legacy = self.source.to_origin(url)
            outcome = self.outcomes.get(legacy)
            if outcome is None:
                outcome = self._guarded(legacy, link.text, redirects, report)
                self.outcomes[legacy] = outcome
                report.document(outcome.counted_as)
            if outcome.document_id is not None:
                documents[url] = outcome.document_id
            elif outcome.dead:
                report.dead_link(legacy, outcome.problem, page.url)
            else:
                page.warnings.append(
                    f"file {legacy} left linked to the old site: {outcome.problem}"
                )
        for name in names:
            page.fields[name] = link_documents(page.fields[name], documents)

    # -- one file ------------------------------------------------------------------
    def _guarded(self, url: str, text: str, redirects: Redirects, report: Report) -> Outcome:
        """One file's failure, whatever it is, is that file's: the page and the run go on."""
        try:
            return self._import(url, text, redirects, report)
        except Exception as exc:
            log.warning("document %s not imported: %s", url, exc, exc_info=True)
            return Outcome(problem=f"not imported: {type(exc).__name__}: {exc}")

    def _import(self, url: str, text: str, redirects: Redirects, report: Report) -> Outcome:
        record = ImportedDocument.objects.filter(legacy_url=url).select_related("document").first()
        if record is not None and record.document_id is None:
            if not self.force:  # an editor deleted it: as with pages, that stands
                return Outcome(problem="its document was deleted in Wagtail since the last "
                               "import: left deleted (--force imports it again)")
            record = None
        validators = Validators(record.etag, record.last_modified) if record else None
        try:
            result = self.source.read_file(url, DOCUMENT_TYPES, max_bytes=self.max_bytes,
                                           validators=validators)
        except FetchError as exc:
            return Outcome(problem=exc.reason, dead=exc.dead)
        except Exception as exc:  # the reader's own failure: this file only, never the run
            log.warning("document %s not read: %s", url, exc)
            return Outcome(problem=f"could not be read: {type(exc).__name__}: {exc}")
        if result.not_modified and record is not None:
            self._redirect(url, record.document, None, redirects, report)
            return Outcome(record.document_id, "reused")
        problem = content_problem(url, result.content_type, result.body)
        if problem:
            return Outcome(problem=f"not a document: {problem}", dead=True)
        try:
            return self._store(url, text, result, record, redirects, report)
        except IntegrityError:  # another run recorded this URL at the same moment: use its
            record = ImportedDocument.objects.filter(legacy_url=url).first()
            if record is not None and record.document_id is not None:
                return Outcome(record.document_id, "reused")
            return Outcome(problem="another import run stored it at the same time; run again")
        except Exception as exc:
            log.warning("document %s not stored: %s", url, exc, exc_info=True)
            return Outcome(problem=f"could not be stored: {type(exc).__name__}: {exc}")

    def _store(self, url, text, result, record, redirects: Redirects, report: Report) -> Outcome:
        data = result.body
        content_hash = hash_filelike(io.BytesIO(data))
        Document = get_document_model()
        previous = record.document if record is not None else None
        collection = self._imported_files()
        with transaction.atomic():
            # One writer at a time decides "new or existing" for this collection, so two
            # runs importing the same bytes at once still make one document.
            Collection.objects.select_for_update().filter(pk=collection.pk).first()
            if previous is not None and record.content_hash == content_hash:
                document, outcome = previous, "reused"
            else:
                document = (
                    Document.objects.filter(file_hash=content_hash, collection=collection)
                    .order_by("pk")
                    .first()
                )
                outcome = "reused"
                if document is None:
                    name = file_name(url)[-80:]  # "documents/" and a suffix fit in 100
                    document = Document(
                        title=document_title(text, url), collection=collection,
                        file=File(io.BytesIO(data), name=name),
                    )
                    document.file_size = len(data)
                    document.file_hash = content_hash
                    document.save()
                    outcome = "created"
            ImportedDocument.objects.update_or_create(
                legacy_url=url,
                defaults={
                    "document": document, "content_hash": content_hash,
                    "etag": result.etag[:255], "last_modified": result.last_modified[:64],
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

"""The load stage: write a :class:`Plan` into Wagtail, idempotently, in two steps.

Drupal Migrate's stub pattern: first every new page becomes a stub (an
empty, unpublished page with its slug and place in the tree), so every legacy
link has its Wagtail page; then each page's content is written once, as one
revision, with every link resolved.  No stored revision is ever edited.  Both
steps run ahead for the pages read so far while the crawl still reads
(:meth:`Loader.place_read`, :mod:`importers.load.ahead`).

Each step writes each page in its own ``transaction.atomic()``: a failure
rolls back that page (its page row, revision, milestones, import record and
redirects; a stub made for it in this run is removed) and the run goes on.
The ID map (:class:`ImportRecord`) decides what to do with a page:

* no record → a stub, then its content (and its redirects);
* what would be written now equals what was written last → nothing at all;
* an editor changed the page since the importer wrote it (see
  :mod:`importers.load.editors`) → skipped and reported with the reason,
  unless ``force``; otherwise → a new published revision.

Inside each page's transaction the page row is locked and its state compared
with what the run read: an editor who acted in between wins, and the page is
skipped and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from wagtail.models import Page, PageLogEntry

from cms.models import WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.files import Files
from importers.history import CREATED
from importers.load.ahead import WritingAhead
from importers.load.content import ImageRef
from importers.load.documents import DocumentImporter
from importers.load.editors import (
    EditedMeanwhile,
    WrittenByAnotherRun,
    newest_entry,
)
from importers.load.id_map import IdMap
from importers.load.images import ImageImporter
from importers.load.pages import Placement, create_stub
from importers.load.queries import imported_images
from importers.load.redirects import Redirects
from importers.load.run_lock import RunLockLost
from importers.load.statistics import refresh_statistics
from importers.load.writing import ContentWriter, record_result
from importers.models import ImportRecord
from importers.plan import LegacyPage, Plan
from importers.records import Action, Kind
from importers.report import Report
from importers.rich_text import RichText

log = logging.getLogger(__name__)


class KindChanged(Exception):
    """A legacy page is now of another kind than the Wagtail page it became."""


class DryRunRollback(Exception):
    """Raised inside the outer transaction of a dry run so nothing it did is kept."""


class Loader(WritingAhead):
    def __init__(
        self,
        report: Report,
        *,
        force: bool = False,
        dry_run: bool = False,
        files: Files | None = None,
        imported: dict[str, tuple[int, str]] | None = None,
        progress=None,
        run_id: int | None = None,
        check_lock: Callable[[], None] | None = None,
        site=None,
    ) -> None:  # files: the bytes the read stage read; imported: images of earlier runs
        self.report = report
        self.run_id = run_id  # named in the history entries of the pages written
        # Asked before each write (never for a page left unchanged, so an unchanged
        # re-run keeps its fixed number of queries); raises RunLockLost: a run that
        # lost its lock must not write beside the one that has it.
        self.check_lock = check_lock or (lambda: None)
        self.site = site  # the Site whose tree the pages go into; None: the default
        self.force = force
        self.dry_run = dry_run
        self.imported = imported
        self._use(files or Files())
        self.progress = progress
        self.ids = IdMap()
        self.known, self.page_ids = self.ids.known, self.ids.page_ids
        self.image_refs: dict[str, ImageRef | None] = {}
        self.placement: Placement | None = None  # and the tree, once begun
        self.early, self.written_early, self.waiting = {}, {}, {}  # see WritingAhead

    def _use(self, files: Files) -> None:
        self.images = ImageImporter(files.images, dry_run=self.dry_run, run_id=self.run_id)
        self.documents = DocumentImporter(files.documents, dry_run=self.dry_run,
                                          force=self.force, run_id=self.run_id)

    # -- entry points ----------------------------------------------------------
    def _writer(self, plan: Plan) -> ContentWriter:
        return ContentWriter(
            self.ids, plan, self.report, self.tree, self.redirects, self.image_refs,
            self.images.problems, self.documents, self.run_id, self.check_lock,
        )

    def load(self, pages: list[LegacyPage], plan: Plan | None = None,
             files: Files | None = None) -> Report:
        """Write ``pages`` (:meth:`Plan.ordered`); ``plan`` keeps the snapshots of what was
        read, ``files`` the bytes of its images and documents."""
        self.plan = plan or Plan()
        if files is not None:
            self._use(files)
        if self.dry_run:
            try:
                with transaction.atomic():
                    self._load(pages)
                    raise DryRunRollback
            except DryRunRollback:
                pass
            for result in self.report.pages.values():
                if result.action == Action.CREATED:
                    result.page_id = None
        else:
            self._load(pages)
            results = self.report.pages.values()
            refresh_statistics(sum(r.action in (Action.CREATED, Action.UPDATED) for r in results))
        return self.report

    def begin(self) -> None:
        """What both steps need, once a run: the Site's tree, where pages go, the ID map."""
        if self.placement is not None:
            return
        self.tree = ensure_site_tree(site=self.site)
        self.placement = Placement(self.tree)
        self.redirects = Redirects(self.site or self.tree.home.get_site())
        self._read_id_map()

    def _load(self, pages: list[LegacyPage]) -> None:
        self.begin()
        tree = self.tree
        imported = self.imported if self.imported is not None else imported_images()
        self.image_refs = {url: ImageRef(*ref) for url, ref in imported.items()}
        wanted = [url for page in pages for url in page.images]
        if wanted:
            self._step(f"importing {len(set(wanted))} images")
            self.images.ensure(dict.fromkeys(wanted), self.image_refs)
        self.writer = self._writer(self.plan)
        self._step("placing new pages")
        to_write = self.place_all(pages)
        self._step("writing pages")
        self.write_all(to_write)
        self.report.in_order([page.url for page in pages])  # as a run that wrote none early
        if self.report.origin:
            self.redirects.point_origin(self.report.origin, tree.home)

    def place_all(self, pages: list[LegacyPage]) -> list[LegacyPage]:
        """Step one: a stub for every new page; says which pages get content next."""
        to_write: list[LegacyPage] = []
        for page in pages:
            placed = self._placed_early(page)
            if placed is None:
                placed = self._guarded(page, lambda page=page: self._place(page, to_write))
            elif placed:
                to_write.append(page)
            if not placed:
                self._advance(page)
        return to_write

    def write_all(self, pages: list[LegacyPage]) -> None:
        """Step two: each page's content, once, with every link target known."""
        for page in pages:  # linked files → documents, outside the page's transaction
            if page.documents:
                self.check_lock()
            self.documents.import_page_files(page, self.redirects, self.report)
        for page in pages:
            if not self._written_early(page):
                self._guarded(page, lambda page=page: self.writer.write(page))
            self._advance(page)

    def _advance(self, page: LegacyPage) -> None:
        if self.progress is not None and page.url in self.report.pages:
            self.progress.advance(page.url, self.report.pages[page.url].action)

    def _step(self, message: str) -> None:
        if self.progress is not None:
            self.progress.note(message)

    def _read_id_map(self) -> None:
        """The ID map as the run starts (where a test lets another run overtake this one)."""
        self.ids.read()

    def _guarded(self, page: LegacyPage, step) -> bool:
        """Run one page's step (which writes in its own transaction); a failure is reported."""
        self.ids.begin()
        try:
            return step()
        except EditedMeanwhile as exc:
            self._skip(page, self.known[page.url].page_id, exc.reasons)
        except RunLockLost:
            self._forget_failed(page)
            raise  # not this page's failure: the run stops here
        except Exception as exc:  # one page's failure never stops the run
            log.debug("importing %s failed", page.url, exc_info=True)
            self._forget_failed(page)
            error = f"{type(exc).__name__}: {exc}".strip()
            if isinstance(exc, WrittenByAnotherRun):
                error = str(exc)
            elif isinstance(exc, IntegrityError) and "legacy_url" in str(exc):
                error = f"another import run wrote this page at the same time ({exc})"
            self.report.fail(page.url, str(page.kind), error, title=page.title)
            self._remove_stub(page)
        return False

    def _forget_failed(self, page: LegacyPage) -> None:
        """Everything the rolled-back transaction wrote is gone: forget it here too."""
        for url in self.ids.forget():
            if url != page.url:  # a work package stub created for this page
                self.report.pages.pop(url, None)
        self.placement.forget()
        self.redirects.forget()

    def _remove_stub(self, page: LegacyPage) -> None:
        """A page whose content failed leaves no empty page behind (its next run starts anew);
        one whose content was written while the crawl read is no stub any more."""
        if page.url not in self.ids.stubbed or page.url in self.written_early:
            return
        new_record = self.ids.stubbed[page.url]
        known = self.known[page.url]
        try:
            with transaction.atomic():
                Page.objects.filter(pk=known.page_id).delete()  # a stub, or this run's own page
                if new_record:
                    ImportRecord.objects.filter(pk=known.record_id).delete()
        except Exception:  # the stub stays unpublished and empty; the next run fills it
            log.warning("could not remove the stub of %s", page.url, exc_info=True)
            self.ids.stubbed.pop(page.url)
            return
        self.ids.removed_stub(page)
        self.placement.forget()
        self.redirects.forget()  # a page written early had its redirects

    def _skip(self, page: LegacyPage, page_id: int | None, reasons: list[str]) -> None:
        result = record_result(self.report, page, Action.SKIPPED_EDITED, page_id)
        result.reason = "; ".join(reasons)
        result.warnings.append(f"left as it is ({result.reason}); --force overwrites it")

    # -- step one: stubs ---------------------------------------------------------
    def _place(self, page: LegacyPage, to_write: list[LegacyPage]) -> bool:
        if page.kind == Kind.NEWS_INDEX:
            self.writer.map_news_index(page)
            return False
        known = self.known.get(page.url)
        if known is not None and known.page_id is not None and known.kind != page.kind:
            raise KindChanged(
                f"was imported as {known.kind}, is now {page.kind}: delete its Wagtail page "
                "and run again with --force to import it as the new kind"
            )
        if known is not None and known.edited and not self.force:
            self._skip(page, known.page_id, known.reasons())
            return False
        if known is None or known.page_id is None:  # new, or deleted by an editor and --force
            self.check_lock()
            with transaction.atomic():
                self._stub(page, to_write)
        to_write.append(page)
        return True

    def _stub(self, page: LegacyPage, to_write: list[LegacyPage]) -> None:
        parent = self._parent(page, to_write)
        extra = {"number": page.number} if page.kind == Kind.WORK_PACKAGE else {}
        obj = create_stub(self.placement, parent, page.kind, page.title, page.url, **extra)
        created = newest_entry(obj.pk)  # Wagtail logs the page's creation
        if created and self.run_id is not None:  # its history names the run (history.actor)
            PageLogEntry.objects.filter(pk=created, action=CREATED, user=None).update(
                data={"run": self.run_id}
            )
        fields = {
            "kind": str(page.kind), "page": obj, "revision": None, "source_hash": "",
            "written_hash": "", "last_action": Action.CREATED, "log_entry": created or 0,
        }
        previous = self.known.get(page.url)
        if previous is None:
            record_id = ImportRecord.objects.create(legacy_url=page.url, **fields).pk
        else:
            record_id = previous.record_id
            ImportRecord.objects.filter(pk=record_id).update(**fields)
        self.ids.stubbed_page(page, record_id, obj.pk, created, previous)

    def _parent(self, page: LegacyPage, to_write: list[LegacyPage]) -> Page:
        if not page.is_part:
            return self.placement.parent_for(page.kind)
        parent_id = self.page_ids.get(page.parent_url)
        number = page.work_package
        existing = self.placement.work_package(number) if number is not None else None
        if parent_id is not None:
            parent = Page.objects.get(pk=parent_id).specific
            if isinstance(parent, WorkPackagePage) and parent.number is not None:
                return parent
            page.warnings.append(f"{page.parent_url} is not a work package page")
            return existing or self.placement.tree.work_packages
        if existing is not None:
            return existing
        return self._work_package_stub(page, to_write)

    def _work_package_stub(self, part: LegacyPage, to_write: list[LegacyPage]) -> Page:
        """Work package N's page was never read: a stub, keyed by the URL the part links to."""
        number = part.work_package
        stub = LegacyPage(
            url=part.parent_url,
            kind=Kind.WORK_PACKAGE,
            title=f"Work Package {number}" if number is not None else "Work package",
            fields={"intro": RichText(), "status": "", "body": RichText()},
            number=number,
            warnings=[f"stub: created for its part {part.url}; its own page was not read"],
        )
        self._stub(stub, to_write)
        to_write.append(stub)
        return Page.objects.get(pk=self.page_ids[stub.url])

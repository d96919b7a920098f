"""The load stage: write a :class:`Plan` into Wagtail, idempotently, page by page.

Each page is written in its own ``transaction.atomic()``: a failure rolls
back that page (its page row, revision, milestones, import record and
redirect) and the run goes on.  The ID map (:class:`ImportRecord`) decides
what to do with a page:

* no record → create it (and its redirect);
* what would be written now equals what was written last → nothing at all;
* otherwise, if the page's latest revision is still the importer's → a new
  published revision; if an editor saved a revision since (or deleted the
  page) → skipped and reported, unless ``force``.

Links are resolved against the ID map as it stands; links to pages created
later in the same run are resolved in a second pass, which completes the
revision the importer wrote minutes earlier instead of adding one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from wagtail.models import Page

from cms.models import WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.load.content import ImageRef, Resolved, resolve
from importers.load.images import ImageImporter, ImageSource
from importers.load.links import complete_revision
from importers.load.pages import MODELS, Placement, create_page, update_page
from importers.load.plan import LegacyPage, Plan
from importers.load.redirects import Redirects
from importers.load.statistics import refresh_statistics
from importers.models import ImportRecord
from importers.records import Kind
from importers.report import PageResult, Report

log = logging.getLogger(__name__)
Action = ImportRecord.Action


class KindChanged(Exception):
    """A legacy page is now of another kind than the Wagtail page it became."""


class DryRunRollback(Exception):
    """Raised inside the outer transaction of a dry run so nothing it did is kept."""


@dataclass
class Known:
    """What the ID map says about one legacy URL at the start of the run."""

    record_id: int
    page_id: int | None
    revision_id: int | None
    latest_revision_id: int | None
    written_hash: str
    source_hash: str
    page_hash: str
    kind: str

    @property
    def edited(self) -> bool:
        return self.page_id is None or self.latest_revision_id != self.revision_id


@dataclass
class Fresh:
    """A revision this run wrote (the second pass may complete it)."""

    record_id: int
    page_id: int
    revision_id: int
    written_hash: str


class Loader:
    def __init__(
        self,
        report: Report,
        *,
        force: bool = False,
        dry_run: bool = False,
        image_source: ImageSource | None = None,
        progress=None,
        run_id: int | None = None,
    ) -> None:
        self.report = report
        self.run_id = run_id  # named in the history entries of the pages written
        self.force = force
        self.dry_run = dry_run
        self.images = ImageImporter(image_source, dry_run=dry_run)
        self.progress = progress
        self.known: dict[str, Known] = {}
        self.page_ids: dict[str, int] = {}
        self.image_refs: dict[str, ImageRef | None] = {}
        self._fresh: dict[str, Fresh] = {}  # what this run wrote, by legacy URL

    # -- entry point -----------------------------------------------------------
    def load(self, plan: Plan) -> Report:
        self.plan = plan
        pages = plan.ordered()
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

    def _load(self, pages: list[LegacyPage]) -> None:
        tree = ensure_site_tree()
        self.placement = Placement(tree)
        self.redirects = Redirects(tree.home.get_site())
        self._read_id_map()
        self.image_refs = self.images.known()
        wanted = [url for page in pages for url in page.images]
        if wanted:
            self._step(f"importing {len(set(wanted))} images")
            self.images.ensure(dict.fromkeys(wanted), self.image_refs)
        for page in pages:
            self._write(page)
            if self.progress is not None:
                self.progress.advance(page.url, self.report.pages[page.url].action)
        self._step("resolving links between pages")
        for page in pages:
            self._relink_in_transaction(page)

    def _step(self, message: str) -> None:
        if self.progress is not None:
            self.progress.note(message)

    def _read_id_map(self) -> None:
        rows = ImportRecord.objects.values_list(
            "pk", "legacy_url", "page_id", "revision_id", "page__latest_revision_id",
            "written_hash", "source_hash", "page_hash", "kind",
        )
        for pk, url, page_id, revision_id, latest, written, source, fetched, kind in rows:
            self.known[url] = Known(
                pk, page_id, revision_id, latest, written, source, fetched, kind
            )
            if page_id is not None:
                self.page_ids[url] = page_id

    def _write(self, page: LegacyPage) -> None:
        """Decide without writing; write (if anything) in the page's own transaction."""
        self._pending: list[str] = []
        try:
            write = self._decide(page)
            if write is not None:
                with transaction.atomic():
                    write()
        except Exception as exc:  # one page's failure never stops the run
            log.debug("importing %s failed", page.url, exc_info=True)
            self._forget_failed(page)
            error = f"{type(exc).__name__}: {exc}".strip()
            if isinstance(exc, IntegrityError) and "legacy_url" in str(exc):
                error = f"another import run wrote this page at the same time ({exc})"
            self.report.fail(page.url, str(page.kind), error, title=page.title)

    def _forget_failed(self, page: LegacyPage) -> None:
        """Everything the rolled-back transaction wrote is gone: forget it here too."""
        for url in self._pending:
            self._fresh.pop(url, None)
            known = self.known.get(url)
            if known is None or known.page_id is None:
                self.page_ids.pop(url, None)
            if url != page.url:  # a stub created for this page
                self.report.pages.pop(url, None)
        self.placement.forget()
        self.redirects.forget()

    # -- first pass: every page ------------------------------------------------
    def _result(self, page: LegacyPage, action: str, page_id: int | None) -> PageResult:
        self._pending.append(page.url)
        warnings = list(page.warnings)
        return self.report.record(
            PageResult(page.url, str(page.kind), action, title=page.title, page_id=page_id,
                       warnings=warnings)
        )

    def _decide(self, page: LegacyPage):
        """What to do with a page: ``None`` when nothing is to be written, else the write."""
        if page.kind == Kind.NEWS_INDEX:
            return self._decide_news_index(page)
        known = self.known.get(page.url)
        resolved = resolve(page, self.page_ids, self.image_refs)
        source_hash = page.source_hash()
        if known is None:
            return lambda: self._create(page, resolved, source_hash)
        if known.kind != page.kind and known.page_id is not None:
            raise KindChanged(
                f"was imported as {known.kind}, is now {page.kind}: delete its Wagtail page "
                "and run again with --force to import it as the new kind"
            )
        if known.edited and not self.force:
            reason = "deleted in Wagtail" if known.page_id is None else "edited in Wagtail"
            result = self._result(page, Action.SKIPPED_EDITED, known.page_id)
            result.warnings.append(f"{reason} since the last import: left as it is (--force)")
            return None
        if resolved.written_hash() == known.written_hash and not known.edited:
            self._result(page, Action.UNCHANGED, known.page_id)
            return self._refresh_snapshot(page.url, known)
        if known.page_id is None:  # deleted by an editor, and --force: create it again
            return lambda: self._create(page, resolved, source_hash, record_id=known.record_id)
        return lambda: self._update(page, resolved, source_hash, known)

    def _snapshot_fields(self, url: str) -> dict:
        snapshot = self.plan.snapshot(url)
        if snapshot is None:
            return {}
        return {"page_hash": snapshot[0], "snapshot": snapshot[1]}

    def _refresh_snapshot(self, url: str, known: Known):
        """The page's bytes changed but not what it imports as: keep the new snapshot only."""
        fetched = self.plan.fetched.get(url)
        if fetched is None or fetched[0] == known.page_hash:
            return None
        return lambda: ImportRecord.objects.filter(pk=known.record_id).update(
            **self._snapshot_fields(url)
        )

    def _parent(self, page: LegacyPage) -> Page:
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
        return self._work_package_stub(page)

    def _work_package_stub(self, part: LegacyPage) -> Page:
        """Work package N's page was never read: a stub, keyed by the URL the part links to."""
        number = part.work_package
        stub = LegacyPage(
            url=part.parent_url,
            kind=Kind.WORK_PACKAGE,
            title=f"Work Package {number}" if number is not None else "Work package",
            fields={"intro": "", "status": "", "body": ""},
            number=number,
            warnings=[f"stub: created for its part {part.url}; its own page was not read"],
        )
        resolved = resolve(stub, self.page_ids, self.image_refs)
        self._create(stub, resolved, stub.source_hash())
        return Page.objects.get(pk=self.page_ids[stub.url])

    def _create(
        self, page: LegacyPage, resolved: Resolved, source_hash: str, record_id: int | None = None
    ) -> None:
        parent = self._parent(page)
        obj, revision = create_page(
            self.placement, parent, page.kind, resolved.values, resolved.milestones,
            publish=page.publish, run_id=self.run_id,
        )
        fields = {
            "kind": str(page.kind), "page": obj, "revision": revision,
            "source_hash": source_hash, "written_hash": resolved.written_hash(),
            "last_action": Action.CREATED, **self._snapshot_fields(page.url),
        }
        if record_id is None:
            record_id = ImportRecord.objects.create(legacy_url=page.url, **fields).pk
        else:
            ImportRecord.objects.filter(pk=record_id).update(**fields)
        self.page_ids[page.url] = obj.pk
        self._fresh[page.url] = Fresh(record_id, obj.pk, revision.pk, fields["written_hash"])
        result = self._result(page, Action.CREATED, obj.pk)
        self._point_redirects(page, obj, None, result)
        self._image_warnings(resolved, result)

    def _update(self, page: LegacyPage, resolved: Resolved, source_hash: str, known: Known) -> None:
        obj = Page.objects.get(pk=known.page_id).specific
        revision = update_page(
            obj, resolved.values, resolved.milestones, publish=page.publish, run_id=self.run_id
        )
        ImportRecord.objects.filter(pk=known.record_id).update(
            page=obj, revision=revision, source_hash=source_hash,
            written_hash=resolved.written_hash(), last_action=Action.UPDATED,
            **self._snapshot_fields(page.url),
        )
        self._fresh[page.url] = Fresh(
            known.record_id, obj.pk, revision.pk, resolved.written_hash()
        )
        result = self._result(page, Action.UPDATED, obj.pk)
        if known.edited:
            result.warnings.append("edited in Wagtail: overwritten (--force); "
                                   "the editor's version stays in the revision history")
        self._point_redirects(page, obj, known.page_id, result)
        self._image_warnings(resolved, result)

    def _decide_news_index(self, page: LegacyPage):
        known = self.known.get(page.url)
        if known is not None and known.page_id == self.placement.tree.news.pk:
            self._result(page, Action.UNCHANGED, known.page_id)
            return self._refresh_snapshot(page.url, known)
        return lambda: self._map_news_index(page, known)

    def _map_news_index(self, page: LegacyPage, known: Known | None) -> None:
        """A legacy news list is the site's News page: mapped and redirected, never rewritten."""
        news = self.placement.tree.news
        fields = {
            "kind": str(page.kind), "page": news, "revision": None,
            "source_hash": page.source_hash(), "written_hash": "", "last_action": Action.CREATED,
            **self._snapshot_fields(page.url),
        }
        if known is None:
            ImportRecord.objects.create(legacy_url=page.url, **fields)
        else:
            ImportRecord.objects.filter(pk=known.record_id).update(**fields)
        self.page_ids[page.url] = news.pk
        result = self._result(page, Action.CREATED if known is None else Action.UPDATED, news.pk)
        self._point_redirects(page, news, known.page_id if known else None, result)

    def _point_redirects(self, page: LegacyPage, obj: Page, previous: int | None, result) -> None:
        for url in [page.url, *page.aliases]:
            self.page_ids.setdefault(url, obj.pk)
            warning = self.redirects.point(url, obj, previous)
            if warning:
                result.warnings.append(warning)

    def _image_warnings(self, resolved: Resolved, result: PageResult) -> None:
        for url in resolved.missing_images:
            reason = self.images.problems.get(url, "image not imported")
            result.warnings.append(f"image {url} left out: {reason}")

    # -- second pass: links to pages created after the page ------------------------
    def _relink_in_transaction(self, page: LegacyPage) -> None:
        result = self.report.pages.get(page.url)
        if result is None or result.action in (Action.FAILED, Action.SKIPPED_EDITED):
            return
        if page.kind == Kind.NEWS_INDEX:
            return
        resolved = resolve(page, self.page_ids, self.image_refs)
        written = resolved.written_hash()
        fresh = self._fresh.get(page.url)
        known = self.known.get(page.url)
        if fresh is not None:
            if written == fresh.written_hash:
                return
        elif known is None or written == known.written_hash:
            return
        try:
            with transaction.atomic():
                if fresh is not None:
                    complete_revision(
                        MODELS[page.kind], fresh.page_id, fresh.revision_id, fresh.record_id,
                        resolved,
                    )
                    fresh.written_hash = written
                else:
                    # An unchanged page now links to a page this run imported: a new revision.
                    self._pending = []
                    self._update(page, resolved, page.source_hash(), known)
                    self.report.pages[page.url].warnings.append(
                        "links to newly imported pages resolved"
                    )
        except Exception as exc:  # the page stays as written in the first pass
            log.debug("resolving links of %s failed", page.url, exc_info=True)
            if fresh is None:
                self._fresh.pop(page.url, None)
            self.report.pages[page.url] = result
            result.warnings.append(f"links not resolved: {type(exc).__name__}: {exc}")

"""Step two of the load: each page's content, once, as one revision, every link target known.

The page's stub exists (step one, :mod:`importers.load.loader`); here its
values are joined (:func:`~importers.load.content.resolve`), compared with
what the importer wrote last, and written as a new revision when they
differ, with the page's import record and redirects, in the page's own
transaction.  A legacy news list is mapped to the site's News page instead.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

from cms.site_tree import SiteTree
from importers.load.content import ImageRef, Resolved, resolve
from importers.load.documents import DocumentImporter
from importers.load.editors import Known, lock_as_read, newest_entry
from importers.load.id_map import IdMap
from importers.load.news_index import carry_legacy_url
from importers.load.pages import update_page
from importers.load.redirects import Redirects
from importers.models import ImportRecord
from importers.plan import LegacyPage, Plan
from importers.records import Action
from importers.report import PageResult, Report


def record_result(report: Report, page: LegacyPage, action: str,
                  page_id: int | None) -> PageResult:
    """``page``'s line in the report, with the warnings the read stage gave it."""
    return report.record(
        PageResult(page.url, str(page.kind), action, title=page.title, page_id=page_id,
                   warnings=list(page.warnings))
    )


class ContentWriter:
    def __init__(self, ids: IdMap, plan: Plan, report: Report, tree: SiteTree,
                 redirects: Redirects, image_refs: dict[str, ImageRef | None],
                 image_problems: dict[str, str], documents: DocumentImporter,
                 run_id: int | None, check_lock=lambda: None) -> None:
        self.known, self.page_ids = ids.known, ids.page_ids
        self.made = ids.stubbed  # the pages this run made: created, however often written
        self.plan = plan
        self.report = report
        self.tree = tree
        self.redirects = redirects
        self.image_refs = image_refs
        self.image_problems = image_problems  # image URL → why it is missing
        self.documents = documents
        self.run_id = run_id  # named in the history entries of the pages written
        self.check_lock = check_lock  # before each write: the run still holds its lock

    def write(self, page: LegacyPage) -> bool:
        known = self.known.get(page.url)
        if known is None:  # a work package stub rolled back with the part it was made for
            return False
        resolved = resolve(page, self.page_ids, self.image_refs, self.documents.ids_for(page))
        if resolved.written_hash() == known.written_hash and not known.edited:
            record_result(self.report, page, Action.UNCHANGED, known.page_id)
            self._refresh_snapshot(page.url, known)
            return True
        self.check_lock()
        with transaction.atomic():
            self._write_content(page, known, resolved)
        return True

    def _write_content(self, page: LegacyPage, known: Known, resolved: Resolved) -> None:
        lock_as_read(known)
        obj = Page.objects.get(pk=known.page_id).specific
        revision = update_page(
            obj, resolved.values, resolved.milestones, publish=page.publish, run_id=self.run_id
        )
        created = known.revision_id is None or page.url in self.made
        action = Action.CREATED if created else Action.UPDATED
        ImportRecord.objects.filter(pk=known.record_id).update(
            page=obj, revision=revision, source_hash=page.source_hash(),
            written_hash=resolved.written_hash(), last_action=action,
            log_entry=newest_entry(obj.pk) or 0, **self._snapshot_fields(page.url),
        )
        result = record_result(self.report, page, action, obj.pk)
        if known.edited and known.revision_id is not None:
            result.warnings.append(
                f"changed in Wagtail ({'; '.join(known.reasons())}): overwritten (--force); "
                "the editor's version stays in the revision history"
            )
        self._point_redirects(page, obj, known.page_id, result)
        self._image_warnings(resolved, result)

    def _snapshot_fields(self, url: str) -> dict:
        snapshot = self.plan.snapshot(url)
        if snapshot is None:
            return {}
        return {"page_hash": snapshot[0], "snapshot": snapshot[1]}

    def _refresh_snapshot(self, url: str, known: Known) -> None:
        """The page's bytes changed but not what it imports as: keep the new snapshot only."""
        fetched = self.plan.page_hash(url)
        if fetched is not None and fetched != known.page_hash:
            ImportRecord.objects.filter(pk=known.record_id).update(**self._snapshot_fields(url))

    def map_news_index(self, page: LegacyPage) -> None:
        """A legacy news list is the site's News page: mapped and redirected, never rewritten."""
        known = self.known.get(page.url)
        news = self.tree.news
        self.page_ids[page.url] = news.pk
        warning = carry_legacy_url(news, page.url, self.run_id)
        if known is not None and known.page_id == news.pk:
            result = record_result(self.report, page, Action.UNCHANGED, news.pk)
            self._refresh_snapshot(page.url, known)
        else:
            fields = {
                "kind": str(page.kind), "page": news, "revision": None,
                "source_hash": page.source_hash(), "written_hash": "",
                "last_action": Action.CREATED, **self._snapshot_fields(page.url),
            }
            action = Action.CREATED if known is None else Action.UPDATED
            result = record_result(self.report, page, action, news.pk)
            with transaction.atomic():
                if known is None:
                    ImportRecord.objects.create(legacy_url=page.url, **fields)
                else:
                    ImportRecord.objects.filter(pk=known.record_id).update(**fields)
                self._point_redirects(page, news, known.page_id if known else None, result)
        if warning:
            result.warnings.append(warning)

    def point_aliases(self, page: LegacyPage, urls: list[str], result: PageResult) -> None:
        """Other legacy URLs found showing ``page`` after its content was written."""
        obj = Page.objects.get(pk=self.page_ids[page.url])
        self._point_redirects(page, obj, None, result, urls)

    def _point_redirects(self, page: LegacyPage, obj: Page, previous: int | None, result,
                         urls: list[str] | None = None) -> None:
        for url in urls if urls is not None else [page.url, *page.aliases]:
            self.page_ids.setdefault(url, obj.pk)
            warning = self.redirects.point(url, obj, previous)
            if warning:
                result.warnings.append(warning)

    def _image_warnings(self, resolved: Resolved, result: PageResult) -> None:
        for url in resolved.missing_images:
            reason = self.image_problems.get(url, "image not imported")
            result.warnings.append(f"image {url} left out: {reason}")

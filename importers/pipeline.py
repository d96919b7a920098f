"""One import run: read (fetch → decode → extract → merge → files) → load, with a report.

:func:`run_import` is what the ``import_legacy`` command calls (and the tests
and the benchmark).  It opens the sources (a live site, a wget mirror, a web
archive, one file), crawls them, turns every page into a record, merges the
records into a plan, reads the images and documents its pages need, and
hands all of it to :mod:`importers.load`, which writes pages, images,
documents and redirects (pages already as the read settles them).  The read
stage touches the database only through what this module asks for it (the
run's row, what earlier runs kept) and hands it in.  Configuration problems
raise :class:`ImportConfigError` (or, for a SOURCE that is no site,
:class:`SourceError`) before anything is read or written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from urllib.parse import urlsplit

from wagtail.models import Site

from importers import sources
from importers.crawl import CrawlFailure, DeadLink, Frontier
from importers.crawl_memory import CrawlMemory
from importers.extract.limits import DEFAULT_TIME_BUDGET
from importers.files import DEFAULT_DOCUMENT_TIME, DEFAULT_MAX_DOCUMENT_BYTES, FileRead
from importers.load import PageLoad
from importers.load.failures import remember_content_failures
from importers.load.frontier import frontier_of
from importers.load.queries import (
    content_failures,
    imported_documents,
    imported_images,
    legacy_origin,
    news_list_urls,
    snapshots,
)
from importers.load.run_lock import RunInProgress, RunLockLost, one_run_at_a_time
from importers.load.stored_files import remove_uncommitted_files
from importers.models import ImportRecord
from importers.plan import LegacyPage, Plan
from importers.progress import NOT_MODIFIED
from importers.reader import DEFAULT_MAX_BYTES, SourceError
from importers.reading import FailedContent, ReadPage, read_pages
from importers.report import Report
from importers.run_records import complete_run, start_run
from importers.sources import ImportConfigError
from importers.stages import FileStage, LoadStage, ReadStage
from importers.urls import Source, canonicalize

__all__ = ["ImportConfigError", "ImportOptions", "RunInProgress", "SourceError", "run_import"]


@dataclass
class ImportOptions:
    sources: list[str]
    origin: str | None = None
    dry_run: bool = False
    only: list[str] = field(default_factory=list)
    force: bool = False
    max_pages: int = 10_000
    delay: float = 0.0
    concurrency: int = 4  # connections per live host, pages read ahead over them
    timeout: float = 10.0
    project_start: str = "2005-01"
    retries: int = 3
    max_bytes: int = DEFAULT_MAX_BYTES
    wait: bool = False  # for a run in progress, instead of exiting with RunInProgress
    page_time_budget: float = DEFAULT_TIME_BUDGET  # seconds of extraction per page
    at: datetime.date | None = None  # of a web archive's captures, those nearest this day
    wayback: str | None = None  # the replay prefix of a Wayback archive holding the site
    cdx: str | None = None  # its CDX API, when not at the prefix + "cdx"
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    answer_time_limit: float = 60.0  # seconds for a page's or image's whole answer
    document_time_limit: float = DEFAULT_DOCUMENT_TIME  # and for a document's
    started_by: str = ""
    site: str | None = None  # "hostname[:port]" of the Site to import into; None: the default

    def recorded(self) -> dict:
        """The options an import run keeps (the sources, origin and who are kept apart), as JSON."""
        return {k: v.isoformat() if isinstance(v, datetime.date) else v
                for k, v in asdict(self).items()
                if k not in ("sources", "origin", "dry_run", "started_by", "site")}


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def run_import(options: ImportOptions, progress=None) -> Report:
    """Import the legacy site; returns the report (its ``exit_code`` is 0 or 1).

    One run at a time: :class:`RunInProgress` if another run holds the lock
    (unless ``options.wait``), before anything is read; a run that loses the
    lock stops before its next page (``report.stopped`` says why).  The run is stored as
    an :class:`~importers.models.ImportRun` (``report.run_id``) once it holds
    the lock, so the history entries of the pages it writes name it.  A run
    continues the last one into its Site if that one did not complete
    (:func:`~importers.load.frontier.frontier_of`): the pages it read are not
    fetched again.  Files a killed run stored for no committed image or
    document are removed first.
    """
    site_of_run = cache(partial(target_site, options.site))
    # a SOURCE that is no site fails before the database is used
    source = open_source(options, default_origin=lambda: legacy_origin(site_of_run()))
    try:
        site = site_of_run()
        check_origin_of(site, source.origin)
        with one_run_at_a_time(site, wait=options.wait) as lock:
            report = Report(origin=source.origin, sources=[str(s) for s in options.sources],
                            dry_run=options.dry_run)
            run = start_run(
                sources=report.sources, origin=report.origin, dry_run=options.dry_run,
                options=options.recorded(), started_by=options.started_by, site=site,
            )
            report.run_id = run.pk
            remove_uncommitted_files(run)
            frontier = frontier_of(run)
            if frontier.resumed:
                report.warnings.append(
                    f"continues an import run that did not complete: {frontier.resumed} "
                    "URLs it read were not fetched again"
                )
            imported = imported_images()
            try:
                _run(
                    SiteRead.of(options, source, memory=frontier),
                    FileRead(source, imported_images=imported,
                             imported_documents=partial(imported_documents, force=options.force),
                             dry_run=options.dry_run,
                             max_document_bytes=options.max_document_bytes,
                             document_time=options.document_time_limit),
                    PageLoad(force=options.force, dry_run=options.dry_run, imported=imported,
                             run_id=run.pk, check_lock=lock.check, site=site),
                    report, progress,
                )
            except RunLockLost as exc:
                report.stop(str(exc))
            frontier.credit(report)
            frontier.discard()  # first: a kill in between leaves the run to be continued
            complete_run(run, report.finish())
            return report
    finally:
        source.close()


def _run(read: ReadStage, files: FileStage, load: LoadStage, report: Report,
         progress=None) -> None:
    """Data flows forward through the stages: a plan, its pages' files, the writes.

    The load takes each page as the read settles it (its stub, and its content
    once it is read whole and each of its links has its page: see
    :mod:`importers.load.ahead`), so a distant server's waiting and the writes
    overlap; what is left, and what a later read changed, is written once the
    whole site is read.
    """
    loading = load.start(report, progress)
    plan = read.read(report, progress, settled=loading.place_read)
    pages = plan.ordered()
    read_files = files.read(pages)
    try:
        if progress is not None:
            progress.start_writing(len(pages))
        loading.load(pages, plan, read_files)
    finally:
        read_files.close()


def target_site(name: str | None) -> Site | None:
    """The Site named ``hostname[:port]``; without a name the default Site (None on a
    database that has none yet: the run makes it)."""
    sites = Site.objects.select_related("root_page")  # check_origin_of reads its path
    if not name:
        return sites.filter(is_default_site=True).first()
    hostname, _, port = name.rpartition(":") if ":" in name else (name, "", "")
    if port and not port.isdigit():
        raise ImportConfigError(f"--site takes hostname[:port], not {name!r}")
    found = list(sites.filter(hostname=hostname, **({"port": int(port)} if port else {}))[:2])
    if not found:
        raise ImportConfigError(f"no Site is {name}; make it with "
                                f"create_project_site --hostname {hostname}")
    if len(found) > 1:
        raise ImportConfigError(f"several Sites are {hostname}: name one by hostname:port")
    return found[0]


def check_origin_of(site: Site | None, origin: str) -> None:
    """A legacy site belongs to one project site: its pages, once imported into one
    Site's tree, are never taken over by a run into another."""
    if site is None or not origin:
        return
    elsewhere = (ImportRecord.objects.filter(legacy_url__startswith=origin, page__isnull=False)
                 .exclude(page__path__startswith=site.root_page.path)
                 .values_list("legacy_url", flat=True).first())
    if elsewhere is not None:
        raise ImportConfigError(
            f"{origin} was imported into another Site ({elsewhere} is a page there): "
            "import it with --site naming that Site"
        )


def open_source(options: ImportOptions, default_origin=lambda: None) -> Source:
    """The run's SOURCEs; without ``--origin``, ``default_origin()`` gives it (see
    :func:`importers.sources.open_source`)."""
    return sources.open_source(
        options.sources, options.origin, default_origin=default_origin,
        at=options.at, wayback=options.wayback,
        cdx=options.cdx, timeout=options.timeout,
        delay=options.delay, concurrency=options.concurrency, retries=options.retries,
        max_bytes=options.max_bytes,
        answer_time=options.answer_time_limit,
    )


@dataclass(frozen=True)
class SiteRead:
    """The read stage (:class:`~importers.stages.ReadStage`) over the run's source.

    What earlier runs kept (snapshots, remembered failures, the news lists) is
    asked for here, as the read starts, and handed to the crawl as plain data.
    """

    source: Source
    only: tuple[str, ...] = ()  # page URLs as given: read (and write) just these
    dry_run: bool = False
    project_start: str = "2005-01"
    max_pages: int = 10_000
    page_time_budget: float = DEFAULT_TIME_BUDGET
    memory: CrawlMemory | None = None  # keeps the crawl's answers, recalls a killed run's

    @classmethod
    def of(cls, options: ImportOptions, source: Source,
           memory: CrawlMemory | None = None) -> SiteRead:
        return cls(source, only=tuple(options.only), dry_run=options.dry_run,
                   project_start=options.project_start, max_pages=options.max_pages,
                   page_time_budget=options.page_time_budget, memory=memory)

    def read(self, report: Report, progress=None,
             settled: Callable[[LegacyPage, Plan], None] | None = None) -> Plan:
        source = self.source
        only = {_origin_url(u, source) for u in self.only}
        if only:
            # News items take their teaser from a news list: re-read the known lists too.
            source = source.with_start(tuple(dict.fromkeys([*sorted(only), *news_list_urls()])))
        plan = Plan(only=only or None)
        if progress is not None:
            progress.start_reading()
        for damage in source.reader.damage:  # what lies past it are no dead links: say so
            report.fail(damage.where, None, str(damage))
        # --only asks for its pages again: a failure remembered for them is tried anew
        failures = RememberedFailures(
            lambda: {url: f for url, f in content_failures().items() if url not in only}
        )
        pages = read_pages(
            source, snapshots=snapshots(), failures=failures,
            project_start=self.project_start, max_pages=self.max_pages, follow=not only,
            page_time_budget=self.page_time_budget,
            frontier=Frontier(source.start_urls, self.memory),
        )
        failed: dict[str, tuple[str, str]] = {}
        for item in pages:
            what = _add(item, plan, report)
            if settled is not None and isinstance(item, ReadPage):
                page = plan.settled(item.record)
                if page is not None:
                    settled(page, plan)
            if isinstance(item, FailedContent):
                failed[item.url] = (item.page_hash, item.reason)
            if progress is not None:
                progress.read(item.url, what)
        if not self.dry_run and (failed or failures.loaded):
            read = [url for url in plan.fetched if url in (failures.loaded or {})]
            remember_content_failures(failed, read)
        return plan


class RememberedFailures:
    """Pages whose content failed before, read from the database only when a page needs it.

    A re-run over an unchanged site takes every page from its snapshot and
    never asks, so it costs no query.
    """

    def __init__(self, load) -> None:
        self.load = load
        self.loaded: dict[str, tuple[str, str]] | None = None

    def get(self, url: str) -> tuple[str, str] | None:
        if self.loaded is None:
            self.loaded = self.load()
        return self.loaded.get(url)


def _origin_url(url: str, source: Source) -> str:
    if not _is_url(url):
        raise ImportConfigError(f"--only takes page URLs, not {url!r}")
    return source.to_origin(canonicalize(url))


def _add(item, plan: Plan, report: Report) -> str:
    """Add one crawl result to the plan or the report; says what it was."""
    if isinstance(item, DeadLink):
        if item.referrers:
            for referrer in item.referrers:
                report.dead_link(item.url, item.reason, referrer)
            return "dead link"
        report.fail(item.url, None, item.reason)  # a page we were asked to read is missing
        return "failed"
    if isinstance(item, CrawlFailure):
        report.fail(item.url, None, item.reason)
        if isinstance(item, FailedContent) and item.remembered:
            report.pages[item.url].warnings.append(
                "not read again: its bytes are the same as when it failed before"
            )
        return "failed"
    assert isinstance(item, ReadPage)
    plan.add(item.record, page_hash=item.page_hash, links=item.links)
    return NOT_MODIFIED if item.from_snapshot else "read"

"""The crawl's frontier, kept in the run's records: a run killed part-way is continued.

Each URL the crawl asks for and what came of it (:class:`~importers.crawl_memory.Answer`)
is written as an :class:`~importers.models.ImportRunFrontier` row of the run,
in batches (the crawl says when: before a fetch, once the fetching not yet
written is worth a query).  A run is continued when the last run into the same
Site did not complete (killed, or stopped by an error) and read the same
sources with the same reading options: its rows become the new run's, and
their answers stand in for fetching those pages again.  Otherwise they are
deleted; a run that completes deletes its own, so a later run recrawls
everything, as an import always did.

The pages a continued run wrote are unchanged for the run that continues it;
its report counts them as the continued run did (created, updated), so it
says what an uninterrupted run would have said.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail.models import PageLogEntry

from importers.crawl_memory import Answer
from importers.models import ImportRecord, ImportRun, ImportRunFrontier
from importers.records import Action
from importers.report import Report

#: Answers written in one query at most (the crawl may ask for a write sooner).
BATCH = 200
#: Recorded options that do not change what the crawl reads (how fast it reads does not).
NOT_READING = frozenset({"force", "wait", "concurrency", "delay"})


class KeptFrontier:
    """The :class:`~importers.crawl_memory.CrawlMemory` of one run, in the database."""

    def __init__(self, run_id: int, kept: dict[str, Answer] | None = None,
                 continued: list[ImportRun] | None = None) -> None:
        self.run_id = run_id
        self.kept = kept or {}  # what the killed run read, recalled
        self.continued = continued or []  # the runs this one continues, the latest first
        self.written: set[str] = set(self.kept)
        self.pending: list[ImportRunFrontier] = []

    @property
    def resumed(self) -> int:
        """How many answers of a killed run this run took over."""
        return len(self.kept)

    def recall(self, url: str) -> Answer | None:
        return self.kept.get(url)

    def keep(self, url: str, answer: Answer) -> None:
        if url in self.written:
            return
        self.written.add(url)
        self.pending.append(ImportRunFrontier(
            run_id=self.run_id, url=url, answer=answer.kind, source_url=answer.source_url,
            reason=answer.reason, page_hash=answer.page_hash, snapshot=answer.snapshot,
        ))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            ImportRunFrontier.objects.bulk_create(self.pending)
            self.pending = []

    def credit(self, report: Report) -> None:
        """Count the pages the continued runs wrote as they did, not as unchanged."""
        if not self.continued:
            return
        unchanged = [url for url, page in report.pages.items() if page.action == Action.UNCHANGED]
        theirs = PageLogEntry.objects.filter(data__run__in=[r.pk for r in self.continued])
        since = min(r.started_at for r in self.continued)
        for url, action in ImportRecord.objects.filter(
            Q(log_entry__in=theirs.values("pk")) | Q(revision=None, created_at__gte=since),
            legacy_url__in=unchanged,
        ).values_list("legacy_url", "last_action"):
            report.pages[url].action = Action(action)

    def discard(self) -> None:
        """The run completed: its frontier is of no more use."""
        self.pending = []
        ImportRunFrontier.objects.filter(run_id=self.run_id).delete()


def _reading(run: ImportRun) -> tuple:
    options = {k: v for k, v in run.options.items() if k not in NOT_READING}
    return run.origin, list(run.sources), options


def frontier_of(run: ImportRun) -> KeptFrontier:
    """The new ``run``'s frontier: the killed run's, when ``run`` continues it, else empty.

    A run continues the last run into its Site when that one did not complete
    and read the same origin and sources with the same options; answers of any
    other run that did not complete are deleted.
    """
    last = (ImportRun.objects.filter(site=run.site_id).exclude(pk=run.pk)
            .order_by("-started_at", "-pk").only("pk", "started_at", "finished_at", "origin",
                                                 "sources", "options", "continues").first())
    if last is None or last.finished_at is not None:
        return KeptFrontier(run.pk)  # a completed run deleted its frontier
    rows = ImportRunFrontier.objects.filter(run=last)
    if _reading(last) != _reading(run):
        rows.delete()
        return KeptFrontier(run.pk)
    rows.update(run=run)
    run.continues = last
    run.save(update_fields=["continues"])
    continued = [last]
    while continued[-1].continues_id is not None:
        continued.append(ImportRun.objects.only("pk", "started_at", "continues")
                         .get(pk=continued[-1].continues_id))
    kept = {
        url: Answer(kind, source_url, reason, page_hash, snapshot)
        for url, kind, source_url, reason, page_hash, snapshot in ImportRunFrontier.objects
        .filter(run=run).values_list("url", "answer", "source_url", "reason", "page_hash",
                                     "snapshot")
    }
    return KeptFrontier(run.pk, kept, continued)

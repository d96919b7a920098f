"""What an import run did, page by page: the JSON report and the summary table.

The report is plain data (no Django) so the command, the tests and the
benchmark read it alike.  A finished report is stored as an import run
(:mod:`importers.run_records`); ``--report PATH`` writes that run back, in
the schema of :meth:`Report.as_dict`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from importers.records import Action

#: What happened to each distinct linked file (a document) in the run.
DOCUMENT_OUTCOMES = ("created", "reused", "failed")


@dataclass
class PageResult:
    legacy_url: str
    kind: str | None
    action: str
    title: str = ""
    page_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # why a page was skipped: what editors did to it, e.g. "unpublished by an editor; moved"
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "legacy_url": self.legacy_url,
            "kind": self.kind,
            "action": self.action,
            "reason": self.reason,
            "title": self.title,
            "wagtail_page_id": self.page_id,
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }


@dataclass
class DeadLink:
    url: str
    reason: str
    linked_from: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"url": self.url, "reason": self.reason, "linked_from": sorted(self.linked_from)}


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


@dataclass
class Report:
    origin: str = ""
    sources: list[str] = field(default_factory=list)
    dry_run: bool = False
    started_at: str = field(default_factory=_now)
    finished_at: str | None = None
    pages: dict[str, PageResult] = field(default_factory=dict)
    dead_links: dict[str, DeadLink] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # run-wide (images, redirects …)
    documents: Counter = field(default_factory=Counter)  # outcome → distinct file URLs
    run_id: int | None = None  # the ImportRun this report is stored as (not in the JSON)
    stopped: str = ""  # why the run stopped before the end (also the first warning)

    # -- recording -------------------------------------------------------------
    def record(self, result: PageResult) -> PageResult:
        """Add or replace the result for a legacy URL (a later stage may refine it)."""
        self.pages[result.legacy_url] = result
        return result

    def in_order(self, urls: list[str]) -> None:
        """The results of ``urls`` last, in that order (the plan's, however they were
        written), after what the read stage reported."""
        for url in urls:
            if url in self.pages:
                self.pages[url] = self.pages.pop(url)

    def fail(self, url: str, kind: str | None, error: str, title: str = "") -> PageResult:
        previous = self.pages.get(url)
        title = title or (previous.title if previous else "")
        result = PageResult(url, kind, Action.FAILED, title=title)
        if previous is not None:
            result.warnings = previous.warnings
            result.errors = previous.errors
        result.errors.append(error)
        return self.record(result)

    def dead_link(self, url: str, reason: str, linked_from: str | None = None) -> None:
        link = self.dead_links.setdefault(url, DeadLink(url, reason))
        if linked_from and linked_from not in link.linked_from:
            link.linked_from.append(linked_from)

    def document(self, outcome: str) -> None:
        """Count one linked file: a new document, an existing one reused, or none (failed)."""
        self.documents[outcome] += 1

    def stop(self, reason: str) -> None:
        """The run ends here, before its last page: the reason leads the warnings."""
        self.stopped = reason
        self.warnings.insert(0, reason)

    def finish(self) -> Report:
        self.finished_at = _now()
        return self

    # -- reading -----------------------------------------------------------------
    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(r.action for r in self.pages.values())
        totals = {action.value: counts.get(action, 0) for action in Action}
        totals["dead_links"] = len(self.dead_links)
        totals["pages"] = len(self.pages)
        for outcome in DOCUMENT_OUTCOMES:
            totals[f"documents_{outcome}"] = self.documents.get(outcome, 0)
        return totals

    @property
    def failed(self) -> list[PageResult]:
        return [r for r in self.pages.values() if r.action == Action.FAILED]

    @property
    def exit_code(self) -> int:
        """0 when every page imported (or would), 1 when some failed or the run stopped."""
        return 1 if self.failed or self.stopped else 0

    def as_dict(self) -> dict:
        return {
            "origin": self.origin,
            "sources": list(self.sources),
            "dry_run": self.dry_run,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "totals": self.totals,
            "pages": [r.as_dict() for r in self.pages.values()],
            "dead_links": [d.as_dict() for d in self.dead_links.values()],
            "warnings": list(self.warnings),
        }

    def summary_rows(self) -> list[tuple[str, int]]:
        totals = self.totals
        rows = [(action.label, totals[action.value]) for action in Action]
        rows.append(("dead links", totals["dead_links"]))
        rows += [(f"documents {o}", totals[f"documents_{o}"]) for o in DOCUMENT_OUTCOMES]
        return rows

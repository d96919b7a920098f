"""Import runs as records: what :func:`importers.pipeline.run_import` keeps of each run.

A run is stored when it starts (so the page history entries it writes can
name it) and completed from its finished :class:`~importers.report.Report`.
The JSON ``--report`` is :func:`report_dict` of the stored run: one source of
truth, the schema of :meth:`Report.as_dict`. Per-page columns are the ones the
admin filters and links by; every other key of a page's report entry goes to
``details`` as it is, so a new :class:`~importers.report.PageResult` field is
stored (and reported) without a migration.
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import socket
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from importers.models import ImportRun, ImportRunDeadLink, ImportRunPage
from importers.records import Action
from importers.report import DOCUMENT_OUTCOMES, Report

#: Report keys of a page that are columns of :class:`ImportRunPage`.
PAGE_COLUMNS = ("legacy_url", "kind", "action", "title")
#: The counts a run keeps, as the report names them (``dead_links`` included).
COUNTS = (
    *(action.value for action in Action),
    "dead_links",
    *(f"documents_{outcome}" for outcome in DOCUMENT_OUTCOMES),
)


def default_started_by() -> str:
    """The operating system user, when the command does not say who started it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (containers)
        return ""


def start_run(
    *, sources: list[str], origin: str, dry_run: bool, options: dict, started_by: str = "",
    site=None,
) -> ImportRun:
    return ImportRun.objects.create(
        site=site,
        started_at=timezone.now(), sources=list(sources), origin=origin, dry_run=dry_run,
        options=options, started_by=started_by or default_started_by(),
        holder=f"process {os.getpid()} on {socket.gethostname()}",
    )


@transaction.atomic
def complete_run(run: ImportRun, report: Report) -> ImportRun:
    """Store what the finished report says: counts, pages, dead links."""
    data = report.as_dict()
    totals = data["totals"]
    for name in COUNTS:
        setattr(run, name, totals.get(name, 0))
    run.origin = data["origin"]
    run.warnings = data["warnings"]
    run.finished_at = timezone.now()
    run.save()
    existing = set(
        Page.objects.filter(
            pk__in=[p["wagtail_page_id"] for p in data["pages"] if p.get("wagtail_page_id")]
        ).values_list("pk", flat=True)
    )
    ImportRunPage.objects.bulk_create(
        ImportRunPage(
            run=run, position=position,
            **{name: entry.get(name) or "" for name in PAGE_COLUMNS},
            page_id=entry.get("wagtail_page_id") if entry.get("wagtail_page_id") in existing
            else None,
            details={k: v for k, v in entry.items() if k not in PAGE_COLUMNS},
        )
        for position, entry in enumerate(data["pages"])
    )
    ImportRunDeadLink.objects.bulk_create(
        ImportRunDeadLink(run=run, position=position, url=link["url"], reason=link["reason"],
                          linked_from=link["linked_from"])
        for position, link in enumerate(data["dead_links"])
    )
    return run


def _moment(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds")


def page_entry(row: ImportRunPage) -> dict:
    return {
        "legacy_url": row.legacy_url, "kind": row.kind or None, "action": row.action,
        "title": row.title, **row.details,
    }


def write_report(run: ImportRun, path: str | Path) -> None:
    Path(path).write_text(json.dumps(report_dict(run), indent=2, ensure_ascii=False) + "\n")


def report_dict(run: ImportRun) -> dict:
    """The run as the JSON report shows it (the schema of ``Report.as_dict()``)."""
    pages = [page_entry(row) for row in run.pages.all()]
    totals = {name: getattr(run, name) for name in COUNTS}
    totals["pages"] = len(pages)
    return {
        "origin": run.origin,
        "sources": list(run.sources),
        "dry_run": run.dry_run,
        "started_at": _moment(run.started_at),
        "finished_at": _moment(run.finished_at),
        "totals": totals,
        "pages": pages,
        "dead_links": [
            {"url": d.url, "reason": d.reason, "linked_from": list(d.linked_from)}
            for d in run.dead_link_rows.all()
        ],
        "warnings": list(run.warnings),
    }

"""``manage.py import_legacy SOURCE [SOURCE ...]``: bring the legacy site into Wagtail.

Exit status: 0 when every page imported, 1 when some failed or the run
stopped before the end, having lost its lock (the report says which and why),
2 for a usage or configuration error, or another import run in progress (one
line, no traceback).
"""

from __future__ import annotations

import datetime
import os
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from importers.extract.limits import DEFAULT_TIME_BUDGET
from importers.files import DEFAULT_DOCUMENT_TIME, DEFAULT_MAX_DOCUMENT_BYTES
from importers.models import ImportRun
from importers.pipeline import (
    ImportConfigError,
    ImportOptions,
    RunInProgress,
    SourceError,
    run_import,
)
from importers.progress import make_progress, summary_table
from importers.records import Action
from importers.run_records import write_report

#: More connections than this to one legacy host is no longer polite (and each may hold a page).
MAX_CONCURRENCY = 16
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _positive(kind, name):
    def parse(value):
        try:
            number = kind(value)
        except ValueError:
            raise ValueError(f"{name} must be a number") from None
        if number < 0:
            raise ValueError(f"{name} must not be negative")
        return number

    parse.__name__ = name  # argparse names the option in its message
    return parse


class Command(BaseCommand):
    help = (
        "Import the legacy site (a URL to crawl, a wget --mirror directory, a web archive "
        "(WARC, folder of WARCs, WACZ) or one HTML file) "
        "into Wagtail. Re-runnable: unchanged pages are not written, pages an editor changed "
        "are left alone unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE",
                            help="http(s) URL, wget mirror directory, web archive (.warc, "
                            ".warc.gz, a folder of them, .wacz), or HTML file")
        parser.add_argument("--origin", help="the legacy site's public base URL, "
                            "e.g. http://inno.baltmet.org/pub/ (default: from <base href>)")
        parser.add_argument("--site", metavar="HOST[:PORT]",
                            help="the Wagtail Site to import into, by its hostname (and port "
                            "where several Sites share it); default: the default Site")
        parser.add_argument("--dry-run", action="store_true",
                            help="read and extract everything, write nothing")
        parser.add_argument("--report", metavar="PATH", help="write a JSON report to PATH "
                            "(the run is kept in the admin's Reports → Legacy imports too)")
        parser.add_argument("--started-by", default="", metavar="WHO",
                            help="who or what started the run, as the admin shows it "
                            "(default: the operating system user)")
        parser.add_argument("--only", action="append", default=[], metavar="URL",
                            help="re-import just this page (repeatable)")
        parser.add_argument("--force", action="store_true",
                            help="also update pages an editor changed (their version stays "
                            "in the revision history)")
        parser.add_argument("--wait", action="store_true",
                            help="if another import is running, wait for it to finish "
                            "(default: exit at once with status 2, naming it)")
        parser.add_argument("--max-pages", type=_positive(int, "max-pages"), default=10_000,
                            metavar="N", help="read at most N pages (10000)")
        parser.add_argument("--delay", type=_positive(float, "delay"), default=0.0, metavar="S",
                            help="least seconds between the starts of two requests to a remote "
                            "host (robots.txt's Crawl-delay wins when longer)")
        parser.add_argument("--concurrency", type=_positive(int, "concurrency"), default=4,
                            metavar="N", help=f"connections to a remote host at most, over which "
                            f"pages are read ahead (4; 1 to {MAX_CONCURRENCY})")
        parser.add_argument("--timeout", type=_positive(float, "timeout"), default=10.0,
                            metavar="S", help="seconds to wait for a response (10)")
        parser.add_argument("--answer-time-limit", type=_positive(float, "answer-time-limit"),
                            default=60.0, metavar="S",
                            help="seconds a page or image may take to arrive in whole (60); "
                            "--timeout bounds each wait for bytes")
        parser.add_argument("--document-time-limit",
                            type=_positive(float, "document-time-limit"),
                            default=DEFAULT_DOCUMENT_TIME, metavar="S",
                            help="seconds a linked document may take to arrive in whole (600)")
        parser.add_argument("--max-document-bytes", type=_positive(int, "max-document-bytes"),
                            default=DEFAULT_MAX_DOCUMENT_BYTES, metavar="N",
                            help="largest linked file imported as a document, in bytes "
                            "(50 MB); larger files stay links to the old site")
        parser.add_argument("--project-start", default="2005-01", metavar="YYYY-MM",
                            help='the month "Start" means in milestone periods')
        parser.add_argument("--page-time-limit", type=_positive(float, "page-time-limit"),
                            default=DEFAULT_TIME_BUDGET, metavar="S",
                            help="seconds a page may take to read before it fails (10)")
        parser.add_argument("--at", metavar="YYYY-MM-DD",
                            help="of a web archive's several captures of a page, take the one "
                            "nearest this day (default: the newest)")
        parser.add_argument("--wayback", metavar="URL",
                            help="read SOURCE (the site's URL) from this Wayback-compatible "
                            "archive: its replay prefix, e.g. https://web.archive.org/web/")
        parser.add_argument("--cdx", metavar="URL",
                            help="the archive's CDX API (default: the --wayback URL + cdx), "
                            "e.g. https://web.archive.org/cdx/search/cdx")

    def handle(self, *args, **opts):
        if not _MONTH.match(opts["project_start"]):
            raise CommandError("--project-start must be a month: YYYY-MM", returncode=2)
        if opts["timeout"] == 0:
            raise CommandError("--timeout must be more than 0 seconds", returncode=2)
        for limit in ("answer_time_limit", "document_time_limit"):
            if opts[limit] == 0:
                name = limit.replace("_", "-")
                raise CommandError(f"--{name} must be more than 0 seconds", returncode=2)
        if not 1 <= opts["concurrency"] <= MAX_CONCURRENCY:
            raise CommandError(f"--concurrency must be 1 to {MAX_CONCURRENCY}", returncode=2)
        if opts["page_time_limit"] == 0:
            raise CommandError("--page-time-limit must be more than 0 seconds", returncode=2)
        at = None
        if opts["at"]:
            try:
                at = datetime.date.fromisoformat(opts["at"])
            except ValueError:
                raise CommandError("--at must be a day: YYYY-MM-DD", returncode=2) from None
        if opts["report"]:
            self._check_writable(opts["report"])
        options = ImportOptions(
            sources=opts["sources"], origin=opts["origin"], dry_run=opts["dry_run"],
            only=opts["only"], force=opts["force"], max_pages=opts["max_pages"],
            delay=opts["delay"], concurrency=opts["concurrency"], timeout=opts["timeout"],
            project_start=opts["project_start"],
            wait=opts["wait"],
            page_time_budget=opts["page_time_limit"],
            at=at,
            wayback=opts["wayback"],
            cdx=opts["cdx"],
            max_document_bytes=opts["max_document_bytes"],
            answer_time_limit=opts["answer_time_limit"],
            document_time_limit=opts["document_time_limit"],
            started_by=opts["started_by"],
            site=opts["site"],
        )
        out = getattr(self.stdout, "_out", sys.stdout)
        progress = make_progress(out, verbosity=opts["verbosity"])
        try:
            report = run_import(options, progress=progress)
        except (ImportConfigError, SourceError, RunInProgress) as exc:
            raise CommandError(str(exc), returncode=2) from None
        finally:
            if progress is not None:
                progress.close()
        if opts["report"]:
            # The JSON report is the stored run, read back: one source of truth.
            write_report(ImportRun.objects.get(pk=report.run_id), opts["report"])
        console = Console(file=out, width=max(100, Console(file=out).width))
        if report.dry_run:
            self._print_plan(console, report)
        for result in report.failed:
            console.print(f"[red]failed[/red] {result.legacy_url}: {'; '.join(result.errors)}",
                          highlight=False, soft_wrap=True)
        console.print(summary_table(report))
        console.print(f"kept as legacy import run {report.run_id}", highlight=False)
        if opts["report"]:
            console.print(f"report written to {opts['report']}", highlight=False)
        if report.stopped:
            raise CommandError(report.stopped, returncode=1)
        if report.exit_code:
            raise CommandError(
                f"{len(report.failed)} of {len(report.pages)} pages failed "
                "(listed above, and in the --report)", returncode=1,
            )

    def _check_writable(self, path):
        target = Path(path)
        folder = target.parent
        if target.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
            raise CommandError(f"cannot write the report to {path}", returncode=2)

    def _print_plan(self, console, report):
        for result in report.pages.values():
            why = f" ({result.reason})" if result.reason else ""
            console.print(f"would {Action(result.action).verb}: {result.kind or 'page'} "
                          f"{result.legacy_url} {result.title!r}{why}",
                          highlight=False, soft_wrap=True)

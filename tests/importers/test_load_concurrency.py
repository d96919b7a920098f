"""Import runs one at a time: a second run exits 2 naming the first, or waits (real threads,
each with its own database connection)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from wagtail.models import Revision

from cms.models import NewsPage, WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.load.run_lock import one_run_at_a_time
from importers.models import ImportRecord, ImportRun
from importers.pipeline import ImportOptions, RunInProgress, run_import
from importers.run_records import start_run
from tests.serving import wait_until

from .conftest import ORIGIN, SAMPLE_DIR

pytestmark = pytest.mark.django_db(transaction=True)
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time anyway; overlapping runs need a server database",
)


class Holder(threading.Thread):
    """A run in progress: holds the import lock in its own connection, and records itself
    as a run does, until released."""

    def __init__(self, sources: list[str]) -> None:
        super().__init__()
        self.sources = sources
        self.holding = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        try:
            with one_run_at_a_time():
                start_run(sources=self.sources, origin="", dry_run=False, options={})
                self.holding.set()
                self.release.wait(timeout=120)
        finally:
            connections.close_all()

    def __enter__(self):
        self.start()
        assert self.holding.wait(timeout=30)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.join(timeout=30)


def test_a_second_run_exits_at_once_with_status_2_naming_the_run_in_progress(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with Holder(["http://legacy.example.org/pub/"]):
        with pytest.raises(CommandError) as raised:
            call_command("import_legacy", str(SAMPLE_DIR), "--origin", ORIGIN)
        assert raised.value.returncode == 2
        message = str(raised.value)
        assert "another import run is in progress" in message
        assert "from http://legacy.example.org/pub/" in message
        holding = ImportRun.objects.get()
        assert f"started {holding.started_at:%Y-%m-%d %H:%M:%S} UTC" in message
        assert f"({holding.holder})" in message and "process" in holding.holder
        assert not ImportRecord.objects.exists()  # nothing was read or written
        assert ImportRun.objects.count() == 1  # the refused run is not kept
    # once it has finished, the lock is free
    report = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
    assert report.totals["created"] == 9 and report.totals["failed"] == 0


def test_a_run_killed_before_it_finished_does_not_block_the_next(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    start_run(sources=["/gone"], origin="", dry_run=False, options={})  # never finished
    report = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
    assert report.totals["created"] == 9 and report.totals["failed"] == 0


@needs_postgres
def test_a_second_run_with_wait_starts_when_the_first_ends(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    results: list = []

    def waiting_run():
        try:
            results.append(run_import(ImportOptions(
                sources=[str(SAMPLE_DIR)], origin=ORIGIN, wait=True)))
        finally:
            connections.close_all()

    with Holder(["http://legacy.example.org/pub/"]):
        second = threading.Thread(target=waiting_run)
        second.start()

        def waiting_for_the_lock():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks "
                               "WHERE locktype = 'advisory' AND NOT granted")
                return cursor.fetchone()[0] == 1

        wait_until(waiting_for_the_lock, 30, "the second run does not wait for the lock")
        assert not ImportRecord.objects.exists() and results == []
    second.join(timeout=120)
    assert results and results[0].totals["created"] == 9


@needs_postgres
def test_two_runs_at_once_create_no_duplicates_and_no_failures(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_site_tree()
    start = threading.Barrier(2)
    reports, refused = [], []

    def one_run():
        try:
            start.wait()
            reports.append(run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN)))
        except RunInProgress as exc:
            refused.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) + len(refused) == 2 and reports
    assert all("another import run is in progress" in message for message in refused)
    assert all(report.totals["failed"] == 0 for report in reports)

    urls = [r.legacy_url for r in ImportRecord.objects.all()]
    assert len(urls) == len(set(urls)) == 9
    for model in (NewsPage, WorkPackagePage):
        per_url = Counter(model.objects.values_list("legacy_url", flat=True))
        assert all(n == 1 for n in per_url.values()), per_url
    assert sum(r.totals["created"] for r in reports) == 9  # each page created by one run
    # no duplicate revisions: one per imported page
    for record in ImportRecord.objects.exclude(kind="news_index"):
        assert Revision.objects.filter(object_id=str(record.page_id)).count() == 1
    final = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
    assert final.totals["unchanged"] == 9 and final.totals["failed"] == 0

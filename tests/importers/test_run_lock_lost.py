"""A lock that cannot be lost silently: a run whose import lock is gone stops at its
next page with the reason, a re-run continues, and what another import run wrote is
never reported as an editor's edit.  Real threads, each with its own connection."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from wagtail.models import Site

from importers.load import Loader
from importers.load.editors import edited_since_import
from importers.load.run_lock import ADVISORY_KEY, NO_SITE, _FileLock
from importers.models import ImportRecord, ImportRun
from importers.pipeline import ImportOptions, run_import
from tests.serving import wait_until

from .conftest import ORIGIN, SAMPLE_DIR
from .test_load import load, page_record

N_PAGES = 9
STOPPED = "stopped before the end"


class PausingProgress:
    """Progress that holds the run once it has read ``pause_after`` pages, until let go."""

    def __init__(self, pause_after: int) -> None:
        self.pause_after = pause_after
        self.reads = 0
        self.paused = threading.Event()
        self.go_on = threading.Event()

    def start_reading(self) -> None: ...

    def read(self, url: str, what: str = "read") -> None:
        self.reads += 1
        if self.reads == self.pause_after:
            self.paused.set()
            assert self.go_on.wait(timeout=120)

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...

    def start_writing(self, total: int) -> None: ...

    def advance(self, url: str, action: str) -> None: ...


class PausedRun(threading.Thread):
    """An import run in a thread of its own, held after a few pages read; pages are
    written as they are read, and ``written`` says how many were when it was held."""

    def __init__(self, pause_after: int = 6) -> None:
        super().__init__()
        self.progress = PausingProgress(pause_after)
        self.report = None
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.report = run_import(
                ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN), progress=self.progress
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc
        finally:
            connections.close_all()

    def __enter__(self) -> PausedRun:
        self.start()
        assert self.progress.paused.wait(timeout=120), "the run never got to its pause"
        self.written = ImportRecord.objects.exclude(revision=None).count()
        assert 0 < self.written < N_PAGES  # it stops between two pages it writes
        return self

    def __exit__(self, *exc) -> None:
        self.progress.go_on.set()
        self.join(timeout=120)
        assert not self.is_alive()


def lock_holder_pid() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = %s AND objsubid = 2 AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())", [ADVISORY_KEY],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="pg_terminate_backend ends a PostgreSQL session")
def test_a_run_whose_session_is_terminated_stops_and_a_rerun_continues(
    settings, tmp_path, admin_client
):
    settings.MEDIA_ROOT = tmp_path
    with PausedRun() as first:
        pid = lock_holder_pid()
        assert pid is not None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        wait_until(lambda: lock_holder_pid() is None, 10, "the terminated session kept its lock")
        # The lock is free: a second run takes it and writes beside the first's leftovers.
        second = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
        assert second.totals["skipped_edited"] == 0 and second.totals["failed"] == 0
    report = first.report
    assert first.error is None, first.error
    assert report.stopped.startswith(STOPPED) and "database session" in report.stopped
    assert report.exit_code == 1
    # it wrote nothing after it lost the lock, and reported nothing of the second run's
    assert report.totals["created"] == first.written
    assert report.totals["skipped_edited"] == 0 and report.totals["failed"] == 0
    kept = ImportRun.objects.get(pk=report.run_id)
    assert kept.finished and kept.warnings[0] == report.stopped
    shown = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/")
    assert b"stopped before the end: the database session" in shown.content
    assert lock_holder_pid() is None  # nothing left holding it
    rerun = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
    assert rerun.totals["unchanged"] == N_PAGES and rerun.exit_code == 0


@pytest.mark.django_db(transaction=True)
def test_a_removed_lock_file_stops_the_run_and_a_rerun_continues(settings, tmp_path, admin_client):
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the lock is an advisory lock; the test above ends it")
    settings.MEDIA_ROOT = tmp_path
    # The lock of the Site the run imports into: the default one (none yet: NO_SITE).
    default = Site.objects.filter(is_default_site=True).first()
    path = _FileLock(connection, default.pk if default else NO_SITE).path
    with PausedRun() as first:
        path.unlink()
    assert first.report.stopped.startswith(STOPPED)
    assert f"the lock file {path} was removed" in first.report.stopped
    assert first.report.totals["created"] == first.written
    shown = admin_client.get(f"/admin/reports/legacy-imports/{first.report.run_id}/")
    assert b"stopped before the end: the lock file" in shown.content
    rerun = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
    assert (rerun.totals["created"], rerun.totals["unchanged"]) == (
        N_PAGES - first.written, first.written)
    assert rerun.exit_code == 0 and not rerun.stopped


@pytest.mark.django_db
def test_a_page_another_run_wrote_meanwhile_is_not_an_editors_edit():
    """Run A reads the ID map, run B writes the same page anew, then A writes: B's
    revision is the importer's, so A reports no editor, and the rule agrees."""
    load(page_record(1, "Riga"))

    class Overtaken(Loader):
        def _read_id_map(self):
            super()._read_id_map()
            load(page_record(1, "Riga", body="<p>Written by the other run.</p>"))

    report = load(page_record(1, "Riga", body="<p>Written by this run.</p>"),
                  loader_class=Overtaken)
    (result,) = report.pages.values()
    assert result.action == "failed"
    assert result.errors == [
        "another import run wrote this page after this run read it; left as it wrote it"
    ]
    assert not edited_since_import(ImportRecord.objects.get().page_id)

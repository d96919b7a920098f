"""After a bulk import on PostgreSQL the written tables are analysed (fresh planner statistics)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importers.load import Loader, statistics
from importers.plan import Plan
from importers.records import Kind, PageRecord
from importers.report import Report

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is for PostgreSQL; SQLite keeps no planner statistics to refresh")


def import_pages(n: int, *, dry_run: bool = False) -> Report:
    plan = Plan()
    for i in range(n):
        plan.add(PageRecord(url=f"{ORIGIN}index.php?id={1000 + i}", kind=Kind.PAGE,
                            title=f"Page {i}", body="<p>Text.</p>"))
    return Loader(Report(origin=ORIGIN), dry_run=dry_run).load(plan.ordered(), plan)


def analysed(queries) -> set[str]:
    return {q["sql"].split()[1].strip('"') for q in queries if q["sql"].startswith("ANALYZE")}


def last_analyze(table: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_the_tables_the_import_writes():
    tables = statistics.written_tables()
    for table in ("wagtailcore_page", "cms_newspage", "cms_workpackagepage", "cms_standardpage",
                  "projectsite_importers_importrecord"):
        assert table in tables


def test_a_bulk_import_analyses_the_written_tables():
    needs_postgresql()
    before = last_analyze("wagtailcore_page")
    with CaptureQueriesContext(connection) as queries:
        tables = statistics.refresh_statistics(statistics.BULK_PAGES + 1)
    assert tables == statistics.written_tables()
    assert analysed(queries) == set(tables)
    after = last_analyze("wagtailcore_page")
    assert after is not None and (before is None or after > before)


def test_the_loader_refreshes_statistics_after_many_pages(monkeypatch):
    needs_postgresql()
    monkeypatch.setattr(statistics, "BULK_PAGES", 2)
    with CaptureQueriesContext(connection) as queries:
        report = import_pages(3)
    assert report.totals["created"] == 3
    assert analysed(queries) == set(statistics.written_tables())


@pytest.mark.parametrize("pages, dry_run", [(2, False), (3, True)])
def test_small_imports_and_dry_runs_do_not_analyse(monkeypatch, pages, dry_run):
    monkeypatch.setattr(statistics, "BULK_PAGES", 2)
    with CaptureQueriesContext(connection) as queries:
        import_pages(pages, dry_run=dry_run)
    assert analysed(queries) == set()

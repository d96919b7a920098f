"""Two import runs at the same time, for real (PostgreSQL: SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from cms.models import NewsPage, WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.models import ImportRecord
from importers.pipeline import ImportOptions, run_import

from .conftest import ORIGIN, SAMPLE_DIR

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_two_runs_at_once_create_no_duplicates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_site_tree()  # the site exists before imports start (ensure_site_tree takes no lock)
    start = threading.Barrier(2)
    reports = []

    def one_run():
        try:
            start.wait()
            reports.append(run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) == 2

    urls = [r.legacy_url for r in ImportRecord.objects.all()]
    assert len(urls) == len(set(urls))
    for model in (NewsPage, WorkPackagePage):
        per_url = Counter(model.objects.values_list("legacy_url", flat=True))
        assert all(n == 1 for n in per_url.values()), per_url
    created = sum(r.totals["created"] for r in reports)
    assert created == ImportRecord.objects.count()  # every page created by exactly one run
    # whatever lost a race is reported, and the next run completes the site
    final = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN))
    assert final.totals["failed"] == 0
    assert ImportRecord.objects.count() == 8
    assert NewsPage.objects.count() == 4 and WorkPackagePage.objects.count() == 3

"""Re-runs skip parsing pages whose bytes did not change, and notice when they did."""

from __future__ import annotations

import io
import shutil
import stat
from pathlib import Path

import pytest
from wagtail.models import Revision

from cms.models import WorkPackagePage
from importers.models import ImportRecord
from importers.pipeline import ImportOptions, run_import
from importers.progress import LineProgress
from importers.snapshots import from_snapshot, to_snapshot

from .conftest import ORIGIN, SAMPLE_DIR

pytestmark = pytest.mark.django_db
PART = ORIGIN + "index.php?id=209"


@pytest.fixture
def mirror(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "mirror"
    shutil.copytree(SAMPLE_DIR, root)
    for path in root.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return root


def run(mirror: Path, **options):
    stream = io.StringIO()
    report = run_import(ImportOptions(sources=[str(mirror)], origin=ORIGIN, **options),
                        progress=LineProgress(stream))
    return report, stream.getvalue()


def test_a_rerun_reads_unchanged_pages_from_their_snapshots(mirror):
    _, first = run(mirror)
    assert first.count("] read http") == 9
    report, second = run(mirror)
    assert second.count("] read, not modified since the last run: http") == 9
    assert "] read http" not in second
    assert report.totals["unchanged"] == 9
    # Read they were (their bytes compared), and then none needed writing.
    assert "read 9 pages (9 not modified since the last run); comparing 9 with the site" in second


def test_the_read_stage_never_says_unchanged_before_writing_decides(mirror):
    """With --force --only the page was said "unchanged" when read, then
    "updated" when written: only the write stage gives the outcome."""
    run(mirror)
    report, lines = run(mirror, force=True, only=[PART])
    mine = [line for line in lines.splitlines() if line.endswith(f" {PART}")]
    assert mine, lines
    assert not any("] unchanged " in line for line in mine), mine


def test_changed_settings_are_not_hidden_by_snapshots(mirror):
    run(mirror)
    report, lines = run(mirror, project_start="2004-09")
    assert "] read, not modified" not in lines
    assert report.pages[PART].action == "updated"
    first = WorkPackagePage.objects.get(legacy_url=PART).milestones.order_by("sort_order")[0]
    assert first.period_start.isoformat() == "2004-09-01"


def test_new_bytes_with_the_same_content_only_refresh_the_snapshot(mirror):
    run(mirror)
    record = ImportRecord.objects.get(legacy_url=PART)
    page = mirror / "inno.baltmet.org" / "pub" / "index.php?id=209.html"
    page.write_text(page.read_text(encoding="latin-1").replace(
        "INTERREG III B", "INTERREG IIIB"), encoding="latin-1")  # the footer is chrome
    revisions = Revision.objects.count()
    report, lines = run(mirror)
    assert report.pages[PART].action == "unchanged"
    assert Revision.objects.count() == revisions
    refreshed = ImportRecord.objects.get(legacy_url=PART)
    assert refreshed.page_hash != record.page_hash
    assert refreshed.revision_id == record.revision_id
    _, lines = run(mirror)
    assert f"read, not modified since the last run: {PART}" in lines


def test_a_snapshot_gives_back_the_record_it_was_made_from(mirror):
    run(mirror)
    for record in ImportRecord.objects.exclude(page_hash=""):
        page, links = from_snapshot(record.snapshot)
        assert page.url == record.legacy_url
        assert to_snapshot(page, links) == record.snapshot

"""Imported content lives in one place: no body repeating intro, milestones, status or parts."""

from __future__ import annotations

import shutil
import stat

import pytest

from cms.models import WorkPackagePage
from importers.pipeline import ImportOptions, run_import

from .conftest import ORIGIN, SAMPLE_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "mirror"
    shutil.copytree(SAMPLE_DIR, root)
    for path in root.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    report = run_import(ImportOptions(sources=[str(root)], origin=ORIGIN))
    assert report.totals["failed"] == 0
    return report


@pytest.mark.parametrize("part", ["index.php?id=209", "index.php?id=210"])
def test_a_parts_body_repeats_nothing_of_its_intro_milestones_and_status(imported, part):
    page = WorkPackagePage.objects.get(legacy_url=ORIGIN + part)
    milestones = list(page.milestones.all())
    assert page.intro and milestones and page.status
    assert "Milestone 1" not in page.body
    assert page.status not in page.body
    for milestone in milestones:
        assert milestone.description[:60] not in page.body
    assert page.body == ""


def test_a_work_packages_menu_of_its_parts_is_not_kept_as_links(imported):
    package = WorkPackagePage.objects.get(legacy_url=ORIGIN + "index.php?id=208")
    parts = WorkPackagePage.objects.child_of(package)
    assert {p.title for p in parts} == {"Marketing Strategies", "Community building"}
    for field in (package.intro, package.body):
        assert "Marketing Strategies" not in field and 'linktype="page"' not in field

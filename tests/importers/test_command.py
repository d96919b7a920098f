"""``manage.py import_legacy``: options, report, exit codes, dry run, --only, progress."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from cms.models import NewsPage, WorkPackagePage
from importers.models import ImportRecord, ImportRun
from importers.progress import BarProgress, LineProgress, make_progress

from .conftest import ORIGIN, REPO, SAMPLE_DIR, SAMPLE_SITE

N_PAGES = 9


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("import_legacy", *args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


#: A dry run is kept as a run record (marked dry): the only rows it adds.
RUN_RECORDS = {"projectsite_importers.ImportRun", "projectsite_importers.ImportRunPage",
               "projectsite_importers.ImportRunDeadLink"}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.label not in RUN_RECORDS}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mirror(tmp_path) -> Path:
    """A writable copy of the sample mirror (manifest included)."""
    root = tmp_path / "mirror"
    shutil.copytree(SAMPLE_DIR, root)
    for path in root.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return root


def edit(mirror: Path, name: str, old: str, new: str) -> None:
    path = mirror / "inno.baltmet.org" / "pub" / f"{name}.html"
    text = path.read_text(encoding="latin-1")
    assert old in text
    path.write_text(text.replace(old, new), encoding="latin-1")


@pytest.mark.django_db
def test_import_prints_a_summary_and_writes_the_report(media, tmp_path):
    report_path = tmp_path / "report.json"
    output = run(str(SAMPLE_DIR), "--origin", ORIGIN, "--report", str(report_path))
    labels = ("created", "updated", "unchanged", "skipped because edited", "failed", "dead links")
    for label in labels:
        assert label in output
    report = json.loads(report_path.read_text())
    assert report["totals"]["created"] == N_PAGES and report["totals"]["failed"] == 0
    assert report["origin"] == ORIGIN and report["dry_run"] is False
    page = next(p for p in report["pages"] if p["legacy_url"].endswith("id=209"))
    assert set(page) == {"legacy_url", "kind", "action", "reason", "title", "wagtail_page_id",
                         "warnings", "errors"}
    assert page["kind"] == "work_package" and page["action"] == "created"
    assert page["reason"] == ""
    assert page["wagtail_page_id"] == WorkPackagePage.objects.get(legacy_url=page["legacy_url"]).pk
    assert {d["url"] for d in report["dead_links"]} >= {ORIGIN + "index.php?id=200"}


@pytest.mark.django_db
def test_dry_run_changes_no_row_and_says_what_it_would_do(media, mirror):
    before = row_counts()
    output = run(str(mirror), "--dry-run")
    assert row_counts() == before
    [kept] = ImportRun.objects.all()
    assert kept.dry_run and kept.created == N_PAGES and kept.pages.count() == N_PAGES
    assert output.count("would create") == N_PAGES
    run(str(mirror))
    edit(mirror, "index.php?id=209", "Marketing Strategies</h1>", "Place Marketing</h1>")
    before = row_counts()
    output = run(str(mirror), "--dry-run")
    assert row_counts() == before
    assert "would update: work_package" in output
    assert output.count("would leave unchanged") == N_PAGES - 1
    assert WorkPackagePage.objects.filter(title="Marketing Strategies").exists()


@pytest.mark.django_db
def test_only_reimports_just_the_named_pages(media, mirror):
    run(str(mirror))
    edit(mirror, "index.php?id=209", "Marketing Strategies</h1>", "Place Marketing</h1>")
    edit(mirror, "index.php?id=210", "Community building</h1>", "Communities</h1>")
    edit(mirror, "index.php?id=12&gid=2&lid=97", "took place in Berlin</p>",
         "took place in Berlin.</p><p>A new paragraph.</p>")
    output = run(str(mirror), "--only", ORIGIN + "index.php?id=209",
                 "--only", ORIGIN + "index.php?lid=97&id=12&gid=2&PHPSESSID=x")
    assert "updated" in output
    assert WorkPackagePage.objects.filter(title="Place Marketing").exists()
    assert WorkPackagePage.objects.filter(title="Community building").exists()  # not asked for
    item = NewsPage.objects.get(legacy_url__endswith="lid=97")
    assert "A new paragraph." in item.body
    assert item.summary.startswith("On November 13th")  # the list's teaser is kept


@pytest.mark.django_db
def test_some_pages_failing_exits_1_and_names_them(media, mirror):
    (mirror / "manifest.json").write_text(json.dumps({
        ORIGIN + "index.php?id=209": {"file": "inno.baltmet.org/pub/index.php?id=209.html",
                                      "content_type": "application/pdf"},
    }))
    with pytest.raises(CommandError) as error:
        run(str(mirror), "--origin", ORIGIN)
    assert error.value.returncode == 1
    assert "1 of" in str(error.value)
    assert WorkPackagePage.objects.count() == 2  # the others imported


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["/no/such/folder"], "no such file or directory"),
        ([str(SAMPLE_DIR), "--origin", "inno.baltmet.org"], "--origin must be an http(s) URL"),
        ([str(SAMPLE_DIR), "--project-start", "2005"], "--project-start must be a month"),
        ([str(SAMPLE_DIR), "http://example.org/"], "either source URLs"),
        ([str(SAMPLE_DIR / "manifest.json")], "has no <base href>"),
        ([str(SAMPLE_DIR), "--report", "/no/such/folder/r.json"], "cannot write the report"),
        ([str(SAMPLE_DIR), "--only", "index.php?id=209"], "--only takes page URLs"),
        ([str(SAMPLE_DIR), "--concurrency", "0"], "--concurrency must be 1 to 16"),
        ([str(SAMPLE_DIR), "--concurrency", "17"], "--concurrency must be 1 to 16"),
    ],
)
def test_configuration_errors_exit_2_with_one_line(args, message, tmp_path):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.django_db
def test_a_folder_that_is_no_mirror_exits_2(tmp_path):
    site = tmp_path / "pub"
    site.mkdir()
    (site / "index.php?id=1.html").write_text('<base href="http://inno.baltmet.org/pub/" />')
    with pytest.raises(CommandError) as error:
        run(str(site))
    assert error.value.returncode == 2
    assert "is not a wget mirror" in str(error.value) and "\n" not in str(error.value)


def _manage(*args, tmp_path):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "manage.py", "import_legacy", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )


def test_usage_errors_exit_2_without_a_traceback(tmp_path):
    missing = _manage("/no/such/folder", tmp_path=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        "CommandError: /no/such/folder: no such file or directory (nor an http(s) URL)"
    ]
    bad_option = _manage(str(SAMPLE_SITE), "--max-pages", "many", tmp_path=tmp_path)
    assert bad_option.returncode == 2
    assert "Traceback" not in bad_option.stderr
    assert "--max-pages" in bad_option.stderr.strip().splitlines()[-1]
    no_source = _manage(tmp_path=tmp_path)
    assert no_source.returncode == 2 and "Traceback" not in no_source.stderr


@pytest.mark.django_db
def test_plain_lines_without_a_terminal(media):
    output = run(str(SAMPLE_DIR))
    lines = [line for line in output.splitlines() if line.startswith("[")]
    assert any("created http://inno.baltmet.org/pub/index.php?id=209" in line for line in lines)
    assert any("dead link" in line for line in lines)


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_progress_bar():
    stream = FakeTerminal()
    progress = make_progress(stream)
    assert isinstance(progress, BarProgress)
    progress.start_reading()
    progress.read(ORIGIN + "index.php?id=1")
    progress.start_writing(1)
    progress.advance(ORIGIN + "index.php?id=1", "created")
    progress.close()
    assert "writing" in stream.getvalue() and "1/1" in stream.getvalue()
    assert isinstance(make_progress(io.StringIO()), LineProgress)
    assert make_progress(io.StringIO(), verbosity=0) is None


@pytest.mark.django_db
def test_the_demo_command_is_rerunnable(media):
    """What ``make demo`` runs: ``import_legacy sample/legacy-site --origin …``, twice."""
    run(str(SAMPLE_DIR), "--origin", ORIGIN)
    output = run(str(SAMPLE_DIR), "--origin", ORIGIN)
    assert ImportRecord.objects.count() == N_PAGES
    assert "unchanged" in output


def test_per_page_lines_name_outcomes_as_the_summary_and_the_admin_do():
    stream = io.StringIO()
    progress = LineProgress(stream)
    progress.start_writing(2)
    progress.advance(ORIGIN + "index.php?id=1", "skipped_edited")
    progress.advance(ORIGIN + "index.php?id=2", "created")
    lines = stream.getvalue()
    assert f"1/2 skipped because edited {ORIGIN}index.php?id=1" in lines
    assert "skipped_edited" not in lines
    assert f"2/2 created {ORIGIN}index.php?id=2" in lines

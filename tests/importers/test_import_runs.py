"""Import runs are records, seen in the admin: Reports → Legacy imports, the page's
provenance panel, its history, the dashboard, and the admin search by legacy URL."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError
from wagtail.models import PageLogEntry

from cms.models import NewsIndexPage, NewsPage, StandardPage, WorkPackagePage
from cms.site_tree import ensure_site_tree
from importers.history import IMPORTED, PUBLISHED
from importers.models import ImportRun, ImportRunPage
from importers.pipeline import ImportOptions, run_import
from importers.run_records import report_dict

from .conftest import ORIGIN, SAMPLE_DIR
from .test_command import edit, mirror, run  # noqa: F401 - the mirror fixture

N_PAGES = 9
MARKETING = ORIGIN + "index.php?id=209"


def import_sample(**options):
    return run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=ORIGIN, **options))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def edit_in_wagtail(page, user=None, **values):
    page = page.get_latest_revision_as_object()
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision(user=user).publish(user=user)
    return page


@pytest.mark.django_db
def test_a_run_is_kept_and_the_report_is_read_back_from_it(media):
    report = import_sample(started_by="cron")
    run_row = ImportRun.objects.get(pk=report.run_id)
    assert report_dict(run_row) == report.as_dict()
    assert (run_row.started_by, run_row.dry_run, run_row.finished) == ("cron", False, True)
    assert run_row.created == N_PAGES and run_row.failed == 0
    assert run_row.options["only"] == [] and run_row.options["force"] is False
    assert run_row.dead_links == len(report.dead_links) > 0
    marketing = run_row.pages.get(legacy_url=MARKETING)
    assert marketing.page == WorkPackagePage.objects.get(title="Marketing Strategies").page_ptr


@pytest.mark.django_db
def test_the_json_report_is_the_stored_run(media, tmp_path):
    path = tmp_path / "report.json"
    run(str(SAMPLE_DIR), "--origin", ORIGIN, "--report", str(path), "--started-by", "ci")
    written = json.loads(path.read_text())
    kept = ImportRun.objects.get()
    assert written == report_dict(kept)
    assert kept.started_by == "ci"


@pytest.mark.django_db
def test_a_run_without_started_by_names_the_system_user(media):
    report = import_sample()
    assert ImportRun.objects.get(pk=report.run_id).started_by != ""


@pytest.mark.django_db
def test_page_history_names_the_run(media, admin_client):
    report = import_sample()
    page = WorkPackagePage.objects.get(title="Marketing Strategies")
    entries = PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
    # Wagtail logs every new page as created; the revision and publication are the run's.
    assert [e.action for e in entries] == ["wagtail.create", IMPORTED, PUBLISHED]
    assert entries[1].message == f"Imported by legacy import run {report.run_id}"
    assert entries[2].message == f"Published by legacy import run {report.run_id}"
    # The history's user column names the run, not "system" (cms.compat.log_actors),
    # on Wagtail's own entry of the page's creation too.
    assert [e.user_display_name for e in entries] == [f"legacy import run {report.run_id}"] * 3
    history = admin_client.get(f"/admin/pages/{page.pk}/history/")
    assert f"Imported by legacy import run {report.run_id}".encode() in history.content
    assert history.content.count(f"legacy import run {report.run_id}".encode()) >= 5
    # Wagtail's own entries without a user, not the importer's, read as before.
    page.save_revision(log_action=True)
    assert PageLogEntry.objects.filter(page=page).latest("pk").user_display_name == "system"


@pytest.mark.django_db
def test_the_news_pages_legacy_url_is_the_runs_entry_in_its_history(media):
    """The site's News page is not imported, but a run gives it the legacy news
    list's URL: that revision and its publication name the run, not "system"."""
    report = import_sample()
    news = NewsIndexPage.objects.get()
    entries = PageLogEntry.objects.filter(page=news, revision=news.latest_revision)
    assert [e.action for e in entries.order_by("pk")] == [IMPORTED, PUBLISHED]
    assert {e.user_display_name for e in entries} == {f"legacy import run {report.run_id}"}
    # Wagtail's own entries are left for the site's creation (its first revision).
    assert not PageLogEntry.objects.filter(page=news, action="wagtail.edit").exists()


@pytest.mark.django_db
def test_home_children_made_by_the_importer_are_in_menus(media, tmp_path):
    tree = ensure_site_tree()
    page = tmp_path / "about.html"
    page.write_text(
        '<html><head><base href="http://inno.baltmet.org/pub/"></head><body>'
        '<div id="content"><h1>About the project</h1><p>Partners of the Baltic Sea.</p></div>'
        "</body></html>"
    )
    report = run_import(ImportOptions(sources=[str(page)], origin=ORIGIN))
    assert report.totals["created"] == 1, report.as_dict()
    about = StandardPage.objects.child_of(tree.home).get()
    assert about.show_in_menus
    assert all(p.show_in_menus for p in [tree.home, tree.news, tree.work_packages])
    assert not any(p.show_in_menus for p in NewsPage.objects.all())


# -- Reports → Legacy imports ---------------------------------------------------------


@pytest.mark.django_db
def test_reports_list_runs_and_a_run_filters_by_outcome(media, admin_client, mirror):  # noqa: F811
    run(str(mirror))
    page = WorkPackagePage.objects.get(title="Marketing Strategies")
    edit_in_wagtail(page, intro="<p>Changed by an editor.</p>")
    edit(mirror, "index.php?id=209", "Marketing Strategies</h1>", "Place Marketing</h1>")
    run(str(mirror))
    second = ImportRun.objects.first()
    assert second.skipped_edited == 1

    listing = admin_client.get("/admin/reports/legacy-imports/")
    assert listing.status_code == 200
    assert f"/admin/reports/legacy-imports/{second.pk}/".encode() in listing.content
    menu = admin_client.get("/admin/")
    assert b"Legacy imports" in menu.content and b"Last legacy import" in menu.content

    detail = admin_client.get(f"/admin/reports/legacy-imports/{second.pk}/",
                              {"action": "skipped_edited"})
    assert detail.status_code == 200
    body = detail.content.decode()
    assert f"/admin/pages/{page.pk}/edit/" in body
    assert "left as it is (newer revision by" in body  # the reason, as the report has it
    assert "Community building" not in body  # unchanged: filtered out
    unfiltered = admin_client.get(f"/admin/reports/legacy-imports/{second.pk}/").content
    assert b"Community building" in unfiltered


@pytest.mark.django_db
def test_failures_and_dead_links_with_reasons_and_csv_xlsx_export(media, admin_client, mirror):  # noqa: F811
    (mirror / "manifest.json").write_text(json.dumps({
        MARKETING: {"file": "inno.baltmet.org/pub/index.php?id=209.html",
                    "content_type": "application/pdf"},
    }))
    with pytest.raises(CommandError):  # exit status 1: a page failed
        run(str(mirror), "--origin", ORIGIN)
    kept = ImportRun.objects.get()
    assert kept.failed == 1 and kept.dead_links > 0
    failed = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/", {"action": "failed"})
    reason = kept.pages.get(action="failed").errors[0]
    assert MARKETING.encode() in failed.content and reason.encode() in failed.content
    assert b"Community building" not in failed.content
    dead = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/dead-links/")
    link = kept.dead_link_rows.first()
    assert link.url.encode() in dead.content and link.linked_from[0].encode() in dead.content

    exported = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/", {"export": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert {r["Legacy URL"] for r in rows} == set(kept.pages.values_list("legacy_url", flat=True))
    assert next(r for r in rows if r["Outcome"] == "failed")["Legacy URL"] == MARKETING
    xlsx = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/", {"export": "xlsx"})
    workbook = io.BytesIO(b"".join(xlsx.streaming_content))
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet.max_row == kept.pages.count() + 1
    runs_csv = admin_client.get("/admin/reports/legacy-imports/", {"export": "csv"})
    assert str(kept.pk).encode() in b"".join(runs_csv.streaming_content)


@pytest.mark.django_db
def test_editors_without_the_permission_do_not_see_runs(media, client, django_user_model):
    import_sample()
    editor = django_user_model.objects.create_user("ed", password="pw")  # noqa: S106
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert b"Legacy imports" not in client.get("/admin/").content
    response = client.get("/admin/reports/legacy-imports/")
    assert response.status_code in (302, 403)
    kept = ImportRun.objects.get()
    assert client.get(f"/admin/reports/legacy-imports/{kept.pk}/").status_code in (302, 403)

    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="view_importrun"))
    editor = django_user_model.objects.get(pk=editor.pk)  # permissions are cached per instance
    client.force_login(editor)
    assert client.get(f"/admin/reports/legacy-imports/{kept.pk}/").status_code == 200
    assert b"Last legacy import" in client.get("/admin/").content


@pytest.mark.django_db
def test_admins_can_grant_the_permission_to_a_group(admin_client):
    editors = Group.objects.get(name="Editors")
    form = admin_client.get(f"/admin/groups/edit/{editors.pk}/").content.decode()
    view = Permission.objects.get(codename="view_importrun")
    assert f'value="{view.pk}"' in form


# -- provenance and search -------------------------------------------------------------


@pytest.mark.django_db
def test_provenance_panel_tells_where_from_and_whether_edited(media, admin_client, admin_user):
    report = import_sample()
    page = WorkPackagePage.objects.get(title="Marketing Strategies")
    body = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Imported from the legacy site" in body
    assert f'href="{MARKETING}"' in body
    assert f"Legacy import run {report.run_id}" in body
    assert "Not changed since the import" in body
    assert f"--only &#x27;{MARKETING}&#x27;</code>" in body

    edit_in_wagtail(page, user=admin_user, intro="<p>Changed by an editor.</p>")
    body = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Changed in Wagtail since the import" in body
    assert f"--only &#x27;{MARKETING}&#x27; --force</code>" in body


@pytest.mark.django_db
def test_a_page_made_in_wagtail_has_no_provenance_panel(admin_client):
    tree = ensure_site_tree()
    page = tree.news.add_child(instance=NewsPage(title="Written here", slug="written-here"))
    body = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Imported from the legacy site" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["id=209", "209", "index.php?id=209", "inno.baltmet.org"])
def test_admin_search_finds_a_page_by_its_legacy_url(media, admin_client, query):
    import_sample()
    response = admin_client.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200
    assert b"Marketing Strategies" in response.content
    if query != "inno.baltmet.org":
        assert b"Community building" not in response.content  # id=210


@pytest.mark.django_db
def test_run_pages_keep_unknown_report_fields(media):
    """A new PageResult field is stored and reported without a migration."""
    report = import_sample()
    row = ImportRunPage.objects.filter(run_id=report.run_id).first()
    row.details["reason"] = "edited"
    row.save()
    entry = next(p for p in report_dict(row.run)["pages"] if p["legacy_url"] == row.legacy_url)
    assert entry["reason"] == "edited"


@pytest.mark.django_db
def test_the_runs_report_reads_at_a_glance(media, admin_client):
    """Counts grouped into a few columns (the export keeps each), kinds by their names."""
    import_sample()
    kept = ImportRun.objects.get()
    listing = admin_client.get("/admin/reports/legacy-imports/").content.decode()
    table = listing[listing.index('<table class="listing'):]
    table = table[:table.index("</table>")]
    assert table[:table.index("</thead>")].count("</th>") <= 8
    # One Site: nothing to tell apart, so no Site column.
    assert not re.search(r"<th[^>]*>\s*Site\s*</th>", table)
    assert "9 created" in table and "skipped_edited" not in table
    runs_csv = admin_client.get("/admin/reports/legacy-imports/", {"export": "csv"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(runs_csv.streaming_content).decode())))
    assert row["Created"] == "9" and row["Skipped because edited"] == "0"
    detail = admin_client.get(f"/admin/reports/legacy-imports/{kept.pk}/").content.decode()
    assert "news list" in detail and "work package" in detail
    assert ">news_index<" not in detail.replace(" ", "").replace("\n", "")


def test_a_quick_run_says_how_many_milliseconds_it_took():
    import datetime

    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    run = ImportRun(started_at=start, finished_at=start + datetime.timedelta(milliseconds=42))
    assert run.took == "42 ms"
    run.finished_at = start + datetime.timedelta(seconds=1.84)
    assert run.took == "1.8 s"
    run.finished_at = start + datetime.timedelta(microseconds=10)
    assert run.took == "1 ms"

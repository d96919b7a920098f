"""``import_legacy --site``: each project site imports its own legacy mirror into its own tree.

Both mirrors use the same legacy paths; each site's pages, import records and
redirects stay its own, and a re-import of one changes nothing on the other.
"""

from __future__ import annotations

import io
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from importers.models import ImportRecord, ImportRun
from importers.pipeline import ImportOptions, run_import
from tests.project_sites import (
    INNO_HOST,
    INNO_ORIGIN,
    PROMO_HOST,
    PROMO_ORIGIN,
    SAMPLE_DIR,
    promo_mirror,
    two_sites,
)

OLD_PATH = "/pub/index.php?id=209"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def import_into(host, source, origin, **options):
    return run_import(ImportOptions(sources=[str(source)], origin=origin, site=host, **options))


def pages_under(site):
    return set(Page.objects.descendant_of(site.root_page, inclusive=True).values_list(
        "pk", flat=True))


@pytest.fixture
def imported(db, media, tmp_path):
    inno, promo = two_sites()
    assert import_into(INNO_HOST, SAMPLE_DIR, INNO_ORIGIN).exit_code == 0
    assert import_into(PROMO_HOST, promo_mirror(tmp_path), PROMO_ORIGIN).exit_code == 0
    return inno, promo


def test_each_site_imports_into_its_own_tree(imported):
    inno, promo = imported
    for site, origin in ((inno.site, INNO_ORIGIN), (promo.site, PROMO_ORIGIN)):
        records = ImportRecord.objects.filter(legacy_url__startswith=origin)
        assert records.count() == 9
        assert set(records.values_list("page_id", flat=True)) <= pages_under(site)
    assert not pages_under(inno.site) & pages_under(promo.site)
    promo_titles = Page.objects.descendant_of(promo.site.root_page).values_list("title",
                                                                                 flat=True)
    assert "Marketing Strategies" in set(Page.objects.descendant_of(
        inno.site.root_page).values_list("title", flat=True))
    assert not any("Inno" in title for title in promo_titles)


def test_the_same_legacy_path_redirects_to_each_sites_own_page(imported):
    inno, promo = imported
    for project in (inno, promo):
        redirect = Redirect.objects.get(old_path=OLD_PATH, site=project.site)
        assert redirect.redirect_page_id in pages_under(project.site)
        assert ImportRecord.objects.get(
            legacy_url=f"{project.origin}index.php?id=209").page_id == redirect.redirect_page_id
    assert Redirect.objects.filter(site=None).count() == 0
    assert ImportRun.objects.filter(site=promo.site).count() == 1


def test_a_re_import_of_one_site_changes_nothing_on_the_other(imported, tmp_path):
    inno, promo = imported
    before = (list(Revision.objects.values_list("pk", flat=True)),
              list(Redirect.objects.values_list("pk", "old_path", "redirect_page_id")))
    inno_pages = sorted(Page.objects.filter(pk__in=pages_under(inno.site)).values_list(
        "pk", "title", "latest_revision_id", "path"))
    report = import_into(PROMO_HOST, promo_mirror(tmp_path / "again"), PROMO_ORIGIN,
                         force=True)
    assert report.exit_code == 0
    assert sorted(Page.objects.filter(pk__in=pages_under(inno.site)).values_list(
        "pk", "title", "latest_revision_id", "path")) == inno_pages
    assert list(Redirect.objects.values_list("pk", "old_path", "redirect_page_id")) == before[1]


def test_a_legacy_site_stays_with_the_site_it_was_imported_into(imported):
    with pytest.raises(Exception, match="imported into another Site"):
        import_into(PROMO_HOST, SAMPLE_DIR, INNO_ORIGIN)


def test_the_command_names_the_site(db, media, tmp_path):
    two_sites()
    out = io.StringIO()
    call_command("import_legacy", str(promo_mirror(tmp_path)), "--origin", PROMO_ORIGIN,
                 "--site", f"{PROMO_HOST}:80", stdout=out)
    run = ImportRun.objects.get()
    assert run.site.hostname == PROMO_HOST
    with pytest.raises(CommandError, match="no Site is nowhere.example.test") as raised:
        call_command("import_legacy", str(SAMPLE_DIR), "--origin", INNO_ORIGIN,
                     "--site", "nowhere.example.test", stdout=io.StringIO())
    assert raised.value.returncode == 2


def test_without_site_the_default_site_as_before(db, media):
    inno, promo = two_sites()
    assert run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=INNO_ORIGIN)).exit_code == 0
    assert set(ImportRecord.objects.values_list("page_id", flat=True)) <= pages_under(inno.site)
    assert not Redirect.objects.filter(site=promo.site).exists()


@pytest.mark.django_db(transaction=True)
def test_two_sites_import_at_the_same_time(settings, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite takes one writer at a time; overlapping runs need PostgreSQL")
    settings.MEDIA_ROOT = tmp_path / "media"
    two_sites()
    barrier = threading.Barrier(2)
    results, errors = {}, []
    mirror = promo_mirror(tmp_path)

    def run(host, source, origin):
        try:
            barrier.wait(timeout=10)
            results[host] = import_into(host, source, origin)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in (
        (INNO_HOST, SAMPLE_DIR, INNO_ORIGIN), (PROMO_HOST, mirror, PROMO_ORIGIN))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert {host: report.exit_code for host, report in results.items()} == {
        INNO_HOST: 0, PROMO_HOST: 0}
    assert ImportRecord.objects.count() == 18  # the sample's 9 pages, for each site
    assert Redirect.objects.filter(old_path=OLD_PATH).count() == 2


def test_reports_show_and_filter_runs_by_site(imported, admin_client):
    inno, promo = imported
    inno_run, promo_run = (ImportRun.objects.get(site=p.site) for p in (inno, promo))
    listing = admin_client.get("/admin/reports/legacy-imports/")
    assert listing.status_code == 200
    assert b"BaltMet Promo" in listing.content and b"BaltMet Inno" in listing.content
    # With several Sites the listing has a Site column (with one, it leaves it out).
    assert re.search(rb"<th[^>]*>\s*Site\s*</th>", listing.content)
    only_promo = admin_client.get("/admin/reports/legacy-imports/", {"site": promo.site.pk})
    assert only_promo.status_code == 200
    assert f"/admin/reports/legacy-imports/{promo_run.pk}/".encode() in only_promo.content
    assert f"/admin/reports/legacy-imports/{inno_run.pk}/".encode() not in only_promo.content

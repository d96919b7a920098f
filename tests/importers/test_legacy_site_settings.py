"""Each project site's legacy origin is a site setting (Settings → Legacy site):
``import_legacy --site H`` without ``--origin`` imports from it, and each site's old URLs,
under its own origin's path, redirect on its own host alone."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect

from importers.models import ImportRecord, ImportRun, LegacySiteSettings
from importers.pipeline import ImportOptions, run_import
from tests.project_sites import (
    INNO_HOST,
    INNO_ORIGIN,
    PROMO_HOST,
    SAMPLE_DIR,
    promo_mirror,
    two_sites,
)

#: Promo's legacy site, in the folder ``old`` where Inno's is in ``pub``.
PROMO_SETTING = "http://promo.baltmet.org/old/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOWED_HOSTS = [INNO_HOST, PROMO_HOST, "testserver"]


@pytest.fixture
def imported(db, media, tmp_path):
    inno, promo = two_sites()
    LegacySiteSettings.objects.create(site=promo.site, origin=PROMO_SETTING)
    assert run_import(ImportOptions(sources=[str(SAMPLE_DIR)], origin=INNO_ORIGIN,
                                    site=INNO_HOST)).exit_code == 0
    call_command("import_legacy", str(promo_mirror(tmp_path, legacy_folder="old")),
                 "--site", PROMO_HOST, stdout=io.StringIO())
    return inno, promo


def saved_page_without_base(folder):
    """One saved legacy page that does not say where it comes from: only an origin given
    (or set) tells."""
    page = SAMPLE_DIR / "inno.baltmet.org" / "pub" / "index.php?id=209.html"
    copy = folder / page.name
    copy.write_text(re.sub(r"<base [^>]*>", "", page.read_text(encoding="utf-8")),
                    encoding="utf-8")
    return copy


def test_without_origin_a_site_imports_from_its_legacy_origin_setting(db, media, tmp_path):
    _inno, promo = two_sites()
    page = saved_page_without_base(tmp_path)
    with pytest.raises(CommandError, match="has no <base href>; give --origin"):
        call_command("import_legacy", str(page), "--site", PROMO_HOST, stdout=io.StringIO())
    LegacySiteSettings.objects.create(site=promo.site, origin="http://www.promo-project.eu/pub/")
    call_command("import_legacy", str(page), "--site", PROMO_HOST, stdout=io.StringIO())
    run = ImportRun.objects.get(site=promo.site)
    assert run.origin == "http://www.promo-project.eu/pub/"
    record = ImportRecord.objects.get(legacy_url="http://www.promo-project.eu/pub/index.php?id=209")
    assert all(url.startswith("http://www.promo-project.eu/pub/")
               for url in ImportRecord.objects.values_list("legacy_url", flat=True))
    assert record.page.get_site() == promo.site
    assert Redirect.objects.get(old_path="/pub/index.php?id=209").site == promo.site


def test_each_site_redirects_the_old_urls_under_its_own_origins_path(imported, client):
    inno, promo = imported
    assert set(Redirect.objects.filter(site=promo.site).values_list("old_path", flat=True)) >= {
        "/old", "/old/index.php", "/old/index.php?id=209"}
    assert not Redirect.objects.filter(site=promo.site, old_path__startswith="/pub").exists()
    for host, own, other in ((PROMO_HOST, "/old/index.php?id=209", "/pub/index.php?id=209"),
                             (INNO_HOST, "/pub/index.php?id=209", "/old/index.php?id=209")):
        answer = client.get(own, HTTP_HOST=host)
        assert answer.status_code == 301, host
        assert client.get(answer["Location"], HTTP_HOST=host).status_code == 200
        assert client.get(other, HTTP_HOST=host).status_code == 404, host
    assert client.get("/old/", HTTP_HOST=PROMO_HOST)["Location"] == promo.tree.home.full_url


def test_an_origin_given_wins_and_no_setting_leaves_the_pages_own(imported, tmp_path):
    given = run_import(ImportOptions(sources=[str(promo_mirror(tmp_path / "2", "old"))],
                                     origin="http://promo.baltmet.org/old/", site=PROMO_HOST,
                                     dry_run=True))
    assert given.origin == "http://promo.baltmet.org/old/"
    guessed = run_import(ImportOptions(sources=[str(SAMPLE_DIR)], site=INNO_HOST,
                                       dry_run=True))
    assert guessed.origin == INNO_ORIGIN  # from the pages' <base href>, as before
    assert not LegacySiteSettings.objects.filter(site=imported[0].site).exists()


def test_the_setting_takes_a_web_address_alone(db):
    inno, _promo = two_sites()
    setting = LegacySiteSettings(site=inno.site, origin="ftp://inno.baltmet.org/pub/")
    with pytest.raises(ValidationError, match="origin"):
        setting.full_clean()


def test_editors_set_it_per_site_in_the_admin(db, admin_client):
    inno, promo = two_sites()
    url = f"/admin/settings/projectsite_importers/legacysitesettings/{promo.site.pk}/"
    answer = admin_client.post(url, {"origin": PROMO_SETTING})
    assert answer.status_code == 302
    assert LegacySiteSettings.for_site(promo.site).origin == PROMO_SETTING
    assert LegacySiteSettings.for_site(inno.site).origin == ""

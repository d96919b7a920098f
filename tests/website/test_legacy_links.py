"""The demo site's old links as they are really followed: every legacy URL of the
sample with each kind of parameter that names no page, the legacy home, a page
an editor deleted since (410) and a page id the site never had (404)."""

import io
from urllib.parse import parse_qsl, urlencode

from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from cms.models import WorkPackagePage
from tests.cms.test_legacy_urls import EXTRAS, gone_page

from .conftest import ORIGIN, SAMPLE


def legacy_urls():
    """The sample's legacy page URLs as paths with their query, as the importer keyed them."""
    redirects = Redirect.objects.filter(old_path__startswith="/pub/index.php?")
    assert redirects.count() >= 8
    return [r.old_path for r in redirects]


def test_every_legacy_url_with_extra_parameters_redirects_where_the_clean_one_does(client, demo):
    for old in legacy_urls():
        path, _, query = old.partition("?")
        clean = client.get(old)
        assert clean.status_code == 301, old
        pairs = parse_qsl(query)
        for kind, extra in EXTRAS.items():
            for variant in (pairs + extra, extra + pairs[::-1]):
                url = f"{path}?{urlencode(variant)}"
                response = client.get(url)
                assert response.status_code == 301, (kind, url)
                assert response["Location"] == clean["Location"], (kind, url)


def test_the_legacy_home_leads_to_the_home_page(client, demo):
    home = client.get("/")
    assert home.status_code == 200
    for path in ("/pub/", "/pub", "/pub/index.php", "/pub/index.php?PHPSESSID=abc123&L=0"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == "/", path


def test_a_page_id_the_sample_never_had_is_not_found(client, demo):
    for query in ("id=99999", "id=99999&PHPSESSID=abc123", "id=209&L=1", "id=12&gid=2&lid=1"):
        assert client.get(f"/pub/index.php?{query}").status_code == 404, query


def test_an_imported_page_an_editor_deleted_is_gone_until_imported_again(client, demo):
    package = WorkPackagePage.objects.get(legacy_url=ORIGIN + "index.php?id=208")
    package.delete()  # and its parts, 209 and 210, with it
    for number in (208, 209, 210):
        gone_page(client.get(f"/pub/index.php?id={number}"))
        gone_page(client.get(f"/pub/index.php?cHash=deadbeef&id={number}"))
    assert client.get("/pub/index.php?id=12")["Location"] == "/news/"
    call_command("import_legacy", str(SAMPLE), "--origin", ORIGIN, "--force",
                 stdout=io.StringIO(), stderr=io.StringIO())
    part = WorkPackagePage.objects.get(legacy_url=ORIGIN + "index.php?id=209")
    assert client.get("/pub/index.php?id=209")["Location"] == part.url

"""Importing over HTTP from a real server on 127.0.0.1 (tests/importers/legacy_server.py)."""

from __future__ import annotations

import shutil
import stat

import pytest
from wagtail.contrib.redirects.models import Redirect

from cms.models import NewsIndexPage, NewsPage, StandardPage, WorkPackagePage
from importers.models import ImportRecord
from importers.pipeline import ImportOptions, run_import
from importers.urls import canonicalize

from .conftest import ORIGIN, SAMPLE_SITE
from .test_import_sample import EXPECTED, as_expected, compared_fields, spaces

pytestmark = pytest.mark.django_db


def import_from(server, *paths, **options):
    sources = [server.url(p) for p in paths]
    options.setdefault("origin", ORIGIN)
    return run_import(ImportOptions(sources=sources, **options))


def test_the_sample_served_over_http_imports_to_expected_json(legacy_server):
    report = import_from(legacy_server, "index.php?id=12", "index.php?id=208")
    assert report.totals["failed"] == 0
    records = {r.legacy_url: r for r in ImportRecord.objects.select_related("page")}
    assert set(records) == {canonicalize(p["url"]) for p in EXPECTED["pages"]}
    for want in EXPECTED["pages"]:
        got = as_expected(records[canonicalize(want["url"])])
        compared = compared_fields(want)
        assert {k: got.get(k) for k in compared} == spaces({k: want[k] for k in compared})
    # identities are the origin's, never the server the pages were read from
    assert not WorkPackagePage.objects.filter(legacy_url__contains="127.0.0.1").exists()
    dead = {d.url for d in report.dead_links.values()}
    assert ORIGIN + "index.php?id=200" in dead  # the menu links to pages that are gone


def test_dead_links_timeouts_500s_oversized_and_non_html_are_reported_and_the_rest_imports(
    legacy_server,
):
    report = import_from(
        legacy_server,
        "index.php?id=12", "index.php?id=208",
        "_test/always-500", "_test/slow", "_test/huge", "_test/report.pdf",
        timeout=0.2, retries=1, max_bytes=100_000,
    )
    failed = {r.legacy_url.rsplit("/", 1)[1]: " ".join(r.errors) for r in report.failed}
    assert set(failed) == {"always-500", "slow", "huge", "report.pdf"}
    assert "500" in failed["always-500"]
    assert "timed out" in failed["slow"]
    assert "byte cap" in failed["huge"]
    assert "not an HTML page" in failed["report.pdf"]
    dead = report.dead_links[ORIGIN + "index.php?id=200"]
    assert "404" in dead.reason and dead.linked_from
    assert report.totals["created"] == len(EXPECTED["pages"])
    assert report.exit_code == 1
    data = report.as_dict()
    assert data["totals"]["failed"] == 4 and data["totals"]["dead_links"] == len(data["dead_links"])


def test_session_id_urls_import_once(legacy_server, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, site)
    page = site / "pub" / "index.php?id=208.html"
    page.chmod(stat.S_IRUSR | stat.S_IWUSR)
    html = page.read_text(encoding="latin-1").replace(
        "</td>\n<td id=\"right\"",
        '<p><a href="index.php?id=209&amp;PHPSESSID=3f2a9c">again</a> '
        '<a href="index.php?PHPSESSID=77aa&amp;id=210#top">and again</a> '
        '<a href="index.php?sid=1&amp;id=12&amp;gid=2&amp;lid=97&amp;cHash=ab12">news</a></p>'
        "</td>\n<td id=\"right\"",
    )
    page.write_text(html, encoding="latin-1")
    legacy_server.serve_directory(site)
    report = import_from(legacy_server, "index.php?id=208&PHPSESSID=first")
    assert report.totals["failed"] == 0
    assert WorkPackagePage.objects.filter(title="Marketing Strategies").count() == 1
    assert ImportRecord.objects.filter(legacy_url__contains="209").count() == 1
    assert not ImportRecord.objects.filter(legacy_url__icontains="sessid").exists()
    assert NewsPage.objects.count() == 4


def test_encodings_come_out_as_the_right_characters(legacy_server):
    report = import_from(legacy_server, "_test/latin1", "_test/utf8-lie")
    assert report.totals["created"] == 2
    for page in StandardPage.objects.all():
        assert page.title == "Malmö"
        assert "The city’s budget: 5 € – Tønsberg, Århus, Köln" in page.body
    assert sorted(StandardPage.objects.values_list("slug", flat=True)) == ["malmö", "malmö-2"]


def test_legacy_urls_redirect_to_their_pages(client, legacy_server):
    import_from(legacy_server, "index.php?id=12", "index.php?id=208")
    part = WorkPackagePage.objects.get(legacy_url=ORIGIN + "index.php?id=209")
    response = client.get("/pub/index.php?id=209")
    assert response.status_code == 301
    assert response["Location"] == part.url
    # parameter order does not matter; the news list goes to the News page
    item = NewsPage.objects.get(legacy_url__endswith="lid=97")
    assert client.get("/pub/index.php?lid=97&id=12&gid=2")["Location"] == item.url
    assert client.get("/pub/index.php?id=12")["Location"] == NewsIndexPage.objects.get().url
    assert Redirect.objects.filter(old_path__contains="?").count() == len(EXPECTED["pages"])
    # the legacy home, linked without a page id, goes to the home page
    home = NewsIndexPage.objects.get().get_parent()
    for path in ("/pub/", "/pub/index.php"):
        assert client.get(path)["Location"] == home.url
    # a re-run leaves the redirects as they are
    import_from(legacy_server, "index.php?id=12", "index.php?id=208")
    assert Redirect.objects.count() == len(EXPECTED["pages"]) + 2


def test_images_come_from_the_source_host_only(legacy_server, settings, tmp_path):
    import io

    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = tmp_path
    logo = io.BytesIO()
    PILImage.new("RGB", (8, 8), "blue").save(logo, "PNG")
    legacy_server.set_route("fileadmin/logo.png", body=logo.getvalue(), content_type="image/png")
    legacy_server.set_route("index.php?id=900", body=(
        "<html><head><title>BaltMet Inno: Partners</title></head><body><!--TYPO3SEARCH_begin-->"
        '<h1>Partners</h1><p>Our logo:</p><p><img src="fileadmin/logo.png" alt="Logo" /></p>'
        '<p><img src="http://elsewhere.invalid/tracker.png" alt="" /></p>'
        "<!--TYPO3SEARCH_end--></body></html>"
    ))
    report = import_from(legacy_server, "index.php?id=900")
    page = StandardPage.objects.get(title="Partners")
    image = get_image_model().objects.get()
    assert f'embedtype="image" format="fullwidth" id="{image.pk}"' in page.body
    assert "elsewhere.invalid" not in page.body
    warnings = report.pages[ORIGIN + "index.php?id=900"].warnings
    assert any("elsewhere.invalid" in w and "not contacted" in w for w in warnings)
    assert not any("elsewhere" in path for path in legacy_server.requests)

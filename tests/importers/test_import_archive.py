"""Importing from web archives: a WARC recorded by wget, captures, revisits, folders, WACZ."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage
from wagtail.images import get_image_model
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cms.models import StandardPage
from importers.models import ImportRecord, ImportRun
from importers.pipeline import ImportOptions, SiteRead, open_source, run_import
from importers.reader import IMAGE_TYPES, FetchError, Want
from importers.report import Report
from importers.urls import canonicalize

from .conftest import ORIGIN, SAMPLE_SITE
from .legacy_server import LegacyServer
from .test_import_sample import EXPECTED, as_expected, compared_fields, spaces

pytestmark = pytest.mark.django_db

START = ("index.php?id=12", "index.php?id=208", "index.php?id=900")
PARTNERS = (
    "<html><head><title>BaltMet Inno: Partners</title></head><body><!--TYPO3SEARCH_begin-->"
    '<h1>Partners</h1><p>Our logo:</p><p><img src="fileadmin/logo.png" alt="Logo" /></p>'
    "<p>Rīga, Vilniaus universitetas, Tallinn–Helsinki: 5 €</p>"
    "<!--TYPO3SEARCH_end--></body></html>"
)


def logo_png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def site(tmp_path):
    """The sample served on 127.0.0.1 as a live server has it: links relative, no <base href>
    (the base would send wget to the real origin), plus a page with an image in windows-1257."""
    root = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, root)
    for path in root.rglob("*.html"):
        path.write_bytes(re.sub(rb"<base[^>]*>", b"", path.read_bytes()))
    server = LegacyServer(root)
    server.set_route("fileadmin/logo.png", body=logo_png(), content_type="image/png")
    server.set_route("index.php?id=900", body=PARTNERS.encode("cp1257"),
                     content_type="text/html; charset=windows-1257")
    with server:
        yield server


def wget_warc(server: LegacyServer, folder: Path) -> Path:
    """Record the site the way a migrator would, with Debian's wget."""
    if shutil.which("wget") is None:
        pytest.skip("wget is missing: apt-get install wget (make test installs it)")
    subprocess.run(
        ["wget", "--recursive", "--level=inf", "--no-parent", "--page-requisites",
         "--no-verbose", "--tries=1", "--timeout=5", "--warc-file", str(folder / "site"),
         "--directory-prefix", str(folder / "download"), *(server.url(p) for p in START)],
        check=False, capture_output=True, timeout=60,  # exit 8: the menu's dead links
    )
    warc = folder / "site.warc.gz"
    assert warc.is_file()
    return warc


def read_plan(sources: list[str], **options):
    options = ImportOptions(sources=sources, origin=ORIGIN, **options)
    source = open_source(options)
    report = Report()
    try:
        plan = SiteRead.of(options, source).read(report)
    finally:
        source.close()
    pages = {p.url: {k: v for k, v in dataclasses.asdict(p).items() if k != "order"}
             for p in plan.ordered()}
    dead = {d.url for d in report.dead_links.values()}  # who links there: crawl order decides
    return pages, dead


def test_a_warc_recorded_by_wget_imports_the_pages_a_crawl_of_the_live_site_gives(
    site, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    warc = wget_warc(site, tmp_path)
    live_pages, live_dead = read_plan([site.url(p) for p in START])
    archived_pages, archived_dead = read_plan([str(warc)])
    assert set(archived_pages) == set(live_pages)
    assert len(live_pages) == len(EXPECTED["pages"]) + 1
    for url, page in live_pages.items():
        assert archived_pages[url] == page, url
    assert archived_dead == live_dead
    assert ORIGIN + "index.php?id=200" in archived_dead

    site.stop()  # the live site is gone; only its archive is left
    report = run_import(ImportOptions(sources=[str(warc)], origin=ORIGIN))
    assert report.totals["failed"] == 0
    records = {r.legacy_url: r for r in ImportRecord.objects.select_related("page")}
    for want in EXPECTED["pages"]:
        got = as_expected(records[canonicalize(want["url"])])
        compared = compared_fields(want)
        assert {k: got.get(k) for k in compared} == spaces({k: want[k] for k in compared})
    partners = StandardPage.objects.get(title="Partners")
    assert partners.legacy_url == ORIGIN + "index.php?id=900"
    assert "Rīga, Vilniaus universitetas, Tallinn–Helsinki: 5 €" in partners.body
    image = get_image_model().objects.get()  # read from the archive's record
    assert f'id="{image.pk}"' in partners.body


# -- archives written record by record -------------------------------------------

HOST = "http://inno.baltmet.org/pub/"


def page(title: str, text: str = "") -> bytes:
    return (f"<html><head><title>BaltMet Inno: {title}</title></head><body>"
            f"<!--TYPO3SEARCH_begin--><h1>{title}</h1><p>{text or title}</p>"
            "<!--TYPO3SEARCH_end--></body></html>").encode()


class Archive:
    """A WARC written with warcio, one record at a time, as crawlers write them."""

    def __init__(self, path: Path):
        self.path = path
        self.file = path.open("wb")
        self.writer = WARCWriter(self.file, gzip=path.name.endswith(".gz"))

    def response(self, url, body: bytes, date: str, *, status="200 OK",
                 content_type="text/html", headers=()):
        http = StatusAndHeaders(status, [("Content-Type", content_type), *headers],
                                protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        self.writer.write_record(record)
        return record

    def revisit(self, url, original, date: str, *, refers_to=True):
        """A "server not modified" revisit (HTTP 304) of ``original``."""
        http = StatusAndHeaders("304 Not Modified", [], protocol="HTTP/1.1")
        headers = original.rec_headers
        record = self.writer.create_revisit_record(
            url, headers.get_header("WARC-Payload-Digest"),
            headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
            http_headers=http, warc_headers_dict={"WARC-Date": date},
        )
        if not refers_to:  # older crawlers name only the payload digest
            record.rec_headers.remove_header("WARC-Refers-To-Target-URI")
            record.rec_headers.remove_header("WARC-Refers-To-Date")
        self.writer.write_record(record)

    def close(self) -> Path:
        self.file.close()
        return self.path


def captures_archive(path: Path) -> Path:
    archive = Archive(path)
    archive.response(HOST + "index.php?id=208", page("Project", '<a href="index.php?id=301">a</a>'
                     '<a href="index.php?id=302">b</a><a href="index.php?id=303">c</a>'),
                     "2012-01-01T10:00:00Z")
    archive.response(HOST + "index.php?id=301", page("Old Lead Partner"), "2010-05-01T10:00:00Z")
    archive.response(HOST + "index.php?id=301", page("New Lead Partner"), "2013-05-01T10:00:00Z")
    first = archive.response(HOST + "index.php?id=302", page("Outputs", "Mazowsze"),
                             "2009-03-01T10:00:00Z")
    archive.revisit(HOST + "index.php?id=302", first, "2014-03-01T10:00:00Z")
    second = archive.response(HOST + "index.php?id=303", page("Meetings"), "2009-03-01T10:00:00Z")
    archive.revisit(HOST + "index.php?id=303", second, "2014-03-01T10:00:00Z", refers_to=False)
    archive.response("http://elsewhere.example/other.html", page("Not ours"),
                     "2014-03-01T10:00:00Z")
    return archive.close()


def titles() -> set[str]:
    return set(StandardPage.objects.values_list("title", flat=True))


def test_newest_capture_wins_and_revisits_resolve_to_the_capture_they_refer_to(tmp_path):
    warc = captures_archive(tmp_path / "captures.warc.gz")
    report = run_import(ImportOptions(sources=[str(warc)]))  # origin from the records
    assert report.totals["failed"] == 0, report.as_dict()
    assert titles() == {"Project", "New Lead Partner", "Outputs", "Meetings"}
    outputs = StandardPage.objects.get(title="Outputs")
    assert outputs.legacy_url == HOST + "index.php?id=302" and "Mazowsze" in outputs.body


def test_at_takes_the_capture_nearest_to_a_day(tmp_path):
    warc = captures_archive(tmp_path / "captures.warc")
    call_command("import_legacy", str(warc), "--origin", HOST, "--at", "2010-06-30",
                 stdout=io.StringIO())
    assert "Old Lead Partner" in titles() and "New Lead Partner" not in titles()
    assert ImportRun.objects.get().options["at"] == "2010-06-30"  # the run keeps its day
    with pytest.raises(CommandError) as error:
        call_command("import_legacy", str(warc), "--at", "June 2010", stdout=io.StringIO())
    assert error.value.returncode == 2


def test_at_refuses_a_source_that_is_no_archive(legacy_server):
    with pytest.raises(CommandError, match="no web archive") as error:
        call_command("import_legacy", legacy_server.url("index.php?id=208"), "--origin", ORIGIN,
                     "--at", "2010-06-30", stdout=io.StringIO())
    assert error.value.returncode == 2


def test_the_records_http_charset_is_used_as_the_servers(tmp_path):
    archive = Archive(tmp_path / "baltic.warc.gz")
    archive.response(HOST + "index.php?id=208", PARTNERS.encode("cp1257"),
                     "2012-01-01T10:00:00Z", content_type="text/html; charset=windows-1257")
    run_import(ImportOptions(sources=[str(archive.close())], origin=HOST))
    assert "Rīga, Vilniaus universitetas, Tallinn–Helsinki: 5 €" in StandardPage.objects.get().body


def test_a_folder_of_warcs_and_a_wacz_import_alike(tmp_path):
    folder = tmp_path / "warcs"
    folder.mkdir()
    one = Archive(folder / "part-1.warc.gz")
    one.response(HOST + "index.php?id=208", page("Project", '<a href="index.php?id=301">a</a>'),
                 "2012-01-01T10:00:00Z")
    one.close()
    two = Archive(folder / "part-2.warc")
    two.response(HOST + "index.php?id=301", page("Lead Partner"), "2012-01-01T10:00:00Z")
    two.close()
    run_import(ImportOptions(sources=[str(folder)]))
    assert titles() == {"Project", "Lead Partner"}

    wacz = tmp_path / "site.wacz"
    with zipfile.ZipFile(wacz, "w", zipfile.ZIP_STORED) as z:
        for warc in sorted(folder.iterdir()):
            z.write(warc, "archive/" + warc.name)
        z.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
    ImportRecord.objects.all().delete()
    StandardPage.objects.all().delete()
    report = run_import(ImportOptions(sources=[str(wacz)]))
    assert report.totals["created"] == 2
    assert titles() == {"Project", "Lead Partner"}


def test_a_broken_archive_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"this is no WARC at all\n")
    with pytest.raises(CommandError, match="not a readable WARC") as error:
        call_command("import_legacy", str(broken), "--origin", HOST, stdout=io.StringIO())
    assert error.value.returncode == 2
    assert not ImportRecord.objects.exists()


def test_other_files_are_read_from_the_archive_through_the_source(tmp_path):
    """What a page links to (documents, images) comes from the archive, like its pages."""
    archive = Archive(tmp_path / "files.warc.gz")
    archive.response(HOST + "index.php?id=208", page("Outputs", '<a href="files/d1.pdf">D1</a>'),
                     "2012-01-01T10:00:00Z")
    archive.response(HOST + "files/d1.pdf", b"%PDF-1.4 deliverable", "2012-01-01T10:00:00Z",
                     content_type="application/pdf")
    source = open_source(ImportOptions(sources=[str(archive.close())], origin=ORIGIN))
    try:
        found = source.read_file(ORIGIN + "files/d1.pdf", Want(("application/pdf",)))
        assert found.body == b"%PDF-1.4 deliverable" and found.content_type == "application/pdf"
        with pytest.raises(FetchError, match="not an image"):
            source.read_file(ORIGIN + "files/d1.pdf", Want(IMAGE_TYPES))
        with pytest.raises(FetchError) as missing:
            source.read_file(ORIGIN + "files/d2.pdf", Want(("application/pdf",)))
        assert missing.value.dead
    finally:
        source.close()


def test_a_warc_gzipped_whole_is_a_one_line_error_with_the_fix(tmp_path):
    """Seeking needs one gzip member per record; ``gzip file.warc`` makes one for all."""
    plain = Archive(tmp_path / "site.warc")
    plain.response(HOST + "index.php?id=208", page("Project"), "2012-01-01T10:00:00Z")
    plain.response(HOST + "index.php?id=301", page("Lead Partner"), "2012-01-01T10:00:00Z")
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.close().read_bytes()))
    with pytest.raises(CommandError) as error:
        call_command("import_legacy", str(whole), "--origin", HOST, stdout=io.StringIO())
    assert error.value.returncode == 2
    assert "not a readable WARC" in str(error.value) and "warcio recompress" in str(error.value)
    assert "\n" not in str(error.value)
    assert not ImportRecord.objects.exists()


def test_a_wacz_that_is_no_zip_is_a_clear_error(tmp_path):
    wacz = tmp_path / "site.wacz"
    wacz.write_bytes(b"PK but not really")
    with pytest.raises(CommandError, match="not a WACZ") as error:
        call_command("import_legacy", str(wacz), "--origin", HOST, stdout=io.StringIO())
    assert error.value.returncode == 2


def test_archived_redirects_are_followed_inside_the_archive(tmp_path):
    from importers.archive import ArchiveReader

    archive = Archive(tmp_path / "moved.warc.gz")
    archive.response(HOST + "index.php?id=208", page("Project"), "2012-01-01T10:00:00Z")
    archive.response(HOST + "old-home", b"", "2012-01-01T10:00:00Z", status="301 Moved",
                     headers=[("Location", "index.php?id=208")])
    archive.response(HOST + "away", b"", "2012-01-01T10:00:00Z", status="302 Found",
                     headers=[("Location", "http://elsewhere.example/")])
    reader = ArchiveReader(archive.close())
    moved = reader.fetch(HOST + "old-home")
    assert moved.url == HOST + "index.php?id=208" and b"Project" in moved.body
    assert moved.redirects == (HOST + "index.php?id=208",)
    assert reader.pages() == [HOST + "index.php?id=208"]
    with pytest.raises(FetchError) as away:  # the archive never sends us to the network
        reader.fetch(HOST + "away")
    assert away.value.dead and "not in the web archive" in away.value.reason

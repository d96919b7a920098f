"""An archive is held to the rules a live crawl keeps: the origin's hosts only, one rule
for soft 404s, damage reported as damage, and a read whose cost follows the archive's size."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model

from cms.models import StandardPage
from importers.archive import ArchiveReader
from importers.models import ImportedDocument, ImportRecord
from importers.pipeline import ImportOptions, run_import

from .test_import_archive import HOST, Archive, page

pytestmark = pytest.mark.django_db

DATE = "2012-01-01T10:00:00Z"
PDF = b"%PDF-1.4\n% deliverable\n%%EOF\n"
NOT_FOUND = b"<html><head><title>Page not found</title></head><body><h1>Page not found</h1>" \
    b"<p>Sorry.</p></body></html>"


def titles() -> set[str]:
    return set(StandardPage.objects.values_list("title", flat=True))


def test_an_archive_keeps_to_the_origins_hosts(tmp_path):
    """Redirects and documents on other hosts held in the archive are not imported."""
    archive = Archive(tmp_path / "crawl.warc.gz")
    archive.response(HOST + "index.php?id=208", page(
        "Project",
        '<a href="index.php?id=301">moved</a> <a href="files/d1.pdf">D1</a> '
        '<a href="http://evil.example/payload.pdf">Evil</a> '
        '<a href="http://169.254.169.254/latest/meta-data.pdf">Metadata</a>'), DATE)
    archive.response(HOST + "index.php?id=301", b"", DATE, status="301 Moved Permanently",
                     headers=[("Location", "http://evil.example/landing.html")])
    archive.response("http://evil.example/landing.html", page("Evil landing"), DATE)
    archive.response(HOST + "files/d1.pdf", PDF, DATE, content_type="application/pdf")
    archive.response("http://evil.example/payload.pdf", PDF, DATE, content_type="application/pdf")
    archive.response("http://169.254.169.254/latest/meta-data.pdf", PDF, DATE,
                     content_type="application/pdf")
    report = run_import(ImportOptions(sources=[str(archive.close())], origin=HOST))

    assert titles() == {"Project"}
    assert not ImportRecord.objects.exclude(legacy_url__startswith=HOST).exists()
    documents = {d.legacy_url for d in ImportedDocument.objects.all()}
    assert documents == {HOST + "files/d1.pdf"}
    assert get_document_model().objects.count() == 1
    paths = set(Redirect.objects.values_list("old_path", flat=True))
    assert not any("landing" in p or "payload" in p or "meta-data" in p for p in paths)
    moved = report.pages[HOST + "index.php?id=301"]  # as a live crawl refuses it
    assert "evil.example is not a source host" in " ".join(moved.errors)
    body = StandardPage.objects.get(title="Project").body
    assert 'href="http://evil.example/payload.pdf"' in body  # a link to where it was


def test_a_soft_404_in_an_archive_is_a_dead_link_as_over_http(tmp_path):
    """The capture of a missing PDF (200, text/html, "Page not found") is no page."""
    archive = Archive(tmp_path / "soft.warc.gz")
    archive.response(HOST + "index.php?id=208",
                     page("Outputs", '<a href="files/missing.pdf">D9</a>'), DATE)
    archive.response(HOST + "files/missing.pdf", NOT_FOUND, DATE)
    archive.response(HOST + "files/sniffed.pdf", NOT_FOUND, DATE,
                     content_type="application/octet-stream")
    report = run_import(ImportOptions(sources=[str(archive.close())], origin=HOST))
    assert titles() == {"Outputs"}
    assert report.totals["failed"] == 0, report.as_dict()
    dead = report.dead_links[HOST + "files/missing.pdf"]
    assert "not found" in dead.reason.lower() and dead.linked_from == [HOST + "index.php?id=208"]
    assert not ImportedDocument.objects.exists()


def damaged(tmp_path, name: str) -> tuple[bytes, int]:
    """Three pages; the bytes of the archive and where its third record starts."""
    archive = Archive(tmp_path / name)
    archive.response(HOST + "index.php?id=208", page("Project", '<a href="index.php?id=301">a'
                     '</a><a href="index.php?id=302">b</a>'), DATE)
    archive.response(HOST + "index.php?id=301", page("Lead Partner"), DATE)
    offset = archive.file.tell()
    archive.response(HOST + "index.php?id=302", page("Outputs", "x" * 2000), DATE)
    path = archive.close()
    return path.read_bytes(), offset


def import_exit(path) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_legacy", str(path), "--origin", HOST, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
def test_a_truncated_archive_is_reported_as_damaged(tmp_path, name):
    data, offset = damaged(tmp_path, name)
    path = tmp_path / name
    path.write_bytes(data[:-300])
    code, out = import_exit(path)
    assert code == 1, out
    assert name in out and f"byte {offset}" in out and "damaged" in out
    assert "Traceback" not in out
    assert titles() == {"Project", "Lead Partner"}  # the pages before the damage are kept


def test_a_record_whose_length_lies_is_reported_as_damaged(tmp_path):
    data, offset = damaged(tmp_path, "lies.warc")
    second = data.rindex(b"WARC/1", 0, offset - 1)
    at = data.index(b"Content-Length: ", second) + len(b"Content-Length: ")
    end = data.index(b"\r\n", at)
    lying = data[:at] + str(int(data[at:end]) + 50).encode() + data[end:]
    path = tmp_path / "lies.warc"
    path.write_bytes(lying)
    code, out = import_exit(path)
    assert code == 1, out
    assert "lies.warc" in out and f"byte {second}" in out and "damaged" in out
    assert "Project" in titles()


def test_trailing_nul_bytes_are_read_in_bounded_memory(tmp_path):
    """Whatever trails the records costs memory no matter its size (it grew with it)."""
    warc = Archive(tmp_path / "part.warc")
    warc.response(HOST + "index.php?id=208", page("Project"), DATE)
    data = warc.close().read_bytes()
    wacz = tmp_path / "padded.wacz"
    with zipfile.ZipFile(wacz, "w", zipfile.ZIP_STORED) as z, \
            z.open("archive/data.warc", "w", force_zip64=True) as member:
        member.write(data)
        for _ in range(32):
            member.write(bytes(1 << 20))
    tracemalloc.start()
    try:
        reader = ArchiveReader(wacz)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reader.pages() == [HOST + "index.php?id=208"]
    reader.close()
    assert peak < 4 << 20, f"{peak >> 20} MB for 32 MB of padding"

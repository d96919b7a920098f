"""Deliverables linked from imported pages become Wagtail documents (over real HTTP).

The legacy site is a real server on 127.0.0.1 (tests/importers/legacy_server.py)
with a publications page listing deliverables: one report under two names,
a Word file linked as "Download", a file that is gone, a "not found" HTML
page answered with 200 for a .pdf, a file over the cap, and a partner's file
on another host.
"""

from __future__ import annotations

import io
import shutil
import stat
import threading
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.models.signals import post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cms.models import StandardPage
from cms.site_tree import ensure_site_tree
from importers.load.documents import IMPORTED_FILES
from importers.models import ImportedDocument
from importers.pipeline import ImportOptions, run_import

from .conftest import ORIGIN, SAMPLE_DIR

pytestmark = pytest.mark.django_db

CAP = 100_000
REPORT = b"%PDF-1.4\n% D2.1 Innovation potential\n" + b"0" * 4000 + b"%%EOF\n"
ATLAS = b"%PDF-1.5\n" + b"1" * (CAP + 50_000)
NOT_FOUND = b"<html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"

PUBLICATIONS = """<html><head><title>BaltMet Inno: Publications</title></head><body>
<!--TYPO3SEARCH_begin--><h1>Publications</h1><p>Deliverables of the project (see also our
<a href="index.php?id=301">results</a>):</p><ul>
<li><a href="files/D2.1_Innovation_potential.pdf">D2.1 Innovation potential of the Baltic
 Metropoles</a></li>
<li>The same report, as first published: <a href="fileadmin/user_upload/report-2007.pdf">Download
</a></li>
<li><a href="files/D3.4_Minutes_Riga.docx">Download</a> (minutes of the Riga meeting)</li>
<li><a href="files/D4.1_Study.pdf">D4.1 Cluster study</a></li>
<li><a href="files/D5.1_Survey.pdf">D5.1 Survey</a></li>
<li><a href="files/D6.1_Atlas.pdf">D6.1 Innovation atlas</a></li>
<li><a href="http://elsewhere.invalid/partner-study.pdf">Partner study</a></li>
</ul><!--TYPO3SEARCH_end--></body></html>"""

RESULTS = """<html><head><title>BaltMet Inno: Results</title></head><body>
<!--TYPO3SEARCH_begin--><h1>Results</h1><p>Our main result is the
<a href="files/D2.1_Innovation_potential.pdf">innovation report</a>; the
<a href="files/D4.1_Study.pdf">cluster study</a> follows (the report is also on
<a href="SOURCE/files/D2.1_Innovation_potential.pdf">the staging host</a>).</p>
<!--TYPO3SEARCH_end--></body></html>"""

FILES = ("files/D2.1_Innovation_potential.pdf", "fileadmin/user_upload/report-2007.pdf",
         "files/D3.4_Minutes_Riga.docx")


def docx() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, text in [("[Content_Types].xml", "<Types/>"),
                           ("word/document.xml", "<w:document>Minutes, Rīga 2007</w:document>")]:
            archive.writestr(zipfile.ZipInfo(name, (2007, 11, 14, 9, 0, 0)), text)
    return data.getvalue()


@pytest.fixture
def site(legacy_server, settings, tmp_path):
    """The legacy server with the publications pages and their files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    server = legacy_server
    server.set_route("index.php?id=300", body=PUBLICATIONS)
    # one link spelled with the address the site is read from: the same file
    server.set_route("index.php?id=301", body=RESULTS.replace("SOURCE/", server.base_url))
    server.set_route(FILES[0], body=REPORT, content_type="application/pdf",
                     headers={"ETag": '"d21-v1"'})
    server.set_route(FILES[1], body=REPORT, content_type="application/octet-stream",
                     headers={"Last-Modified": "Tue, 13 Nov 2007 10:00:00 GMT"})
    server.set_route(FILES[2], body=docx(), headers={
        "ETag": '"minutes"', "Last-Modified": "Wed, 14 Nov 2007 09:00:00 GMT",
        "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    })
    server.set_route("files/D5.1_Survey.pdf", body=NOT_FOUND, content_type="text/html")
    server.set_route("files/D6.1_Atlas.pdf", body=ATLAS, content_type="application/pdf")
    return server


def run(server, **options):
    options.setdefault("max_document_bytes", CAP)
    sources = [server.url("index.php?id=300"), server.url("index.php?id=301")]
    return run_import(ImportOptions(sources=sources, origin=ORIGIN, **options))


def document_requests(server) -> dict[str, list[int]]:
    return {path: server.statuses(path) for path in FILES}


def body_of(title: str) -> str:
    return StandardPage.objects.get(title=title).body


def downloaded(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_deliverables_become_one_document_per_content_titled_and_linked(site, client):
    report = run(site)

    Document = get_document_model()
    assert Document.objects.count() == 2  # the report under two names is one document
    pdf = Document.objects.get(title="D2.1 Innovation potential of the Baltic Metropoles")
    minutes = Document.objects.get(title="D3.4 Minutes Riga")  # "Download": the file name
    assert {d.collection.name for d in Document.objects.all()} == {IMPORTED_FILES}
    assert pdf.file_hash and pdf.file_size == len(REPORT)

    publications, results = body_of("Publications"), body_of("Results")
    assert publications.count(f'<a linktype="document" id="{pdf.pk}">') == 2
    assert f'<a linktype="document" id="{minutes.pk}">' in publications
    assert f'<a linktype="document" id="{pdf.pk}">innovation report</a>' in results
    assert f'<a linktype="document" id="{pdf.pk}">the staging host</a>' in results
    # written before the page it links to, so completed in the second pass: both kinds stay
    results_id = StandardPage.objects.get(title="Results").pk
    assert f'<a linktype="page" id="{results_id}">results</a>' in publications
    # what is not a document stays a link to where it was
    for left in ("files/D4.1_Study.pdf", "files/D5.1_Survey.pdf", "files/D6.1_Atlas.pdf"):
        assert f'href="{ORIGIN}{left}"' in publications
    assert 'href="http://elsewhere.invalid/partner-study.pdf"' in publications
    assert not any("elsewhere" in path for path in site.requests)

    recorded = {r.legacy_url: r.document_id for r in ImportedDocument.objects.all()}
    assert recorded == {ORIGIN + FILES[0]: pdf.pk, ORIGIN + FILES[1]: pdf.pk,
                        ORIGIN + FILES[2]: minutes.pk}

    totals = report.totals
    assert (totals["documents_created"], totals["documents_reused"]) == (2, 1)
    assert totals["documents_failed"] == 3
    assert totals["failed"] == 0
    gone = report.dead_links[ORIGIN + "files/D4.1_Study.pdf"]
    assert "404" in gone.reason
    assert sorted(gone.linked_from) == [ORIGIN + "index.php?id=300", ORIGIN + "index.php?id=301"]
    soft = report.dead_links[ORIGIN + "files/D5.1_Survey.pdf"]
    assert "HTML page" in soft.reason and soft.linked_from == [ORIGIN + "index.php?id=300"]
    warnings = " ".join(report.pages[ORIGIN + "index.php?id=300"].warnings)
    assert "D6.1_Atlas.pdf" in warnings and f"{CAP} byte cap" in warnings
    assert ORIGIN + "files/D6.1_Atlas.pdf" not in report.dead_links

    # the rendered pages link the documents, and the documents download
    page = client.get(StandardPage.objects.get(title="Publications").url)
    assert f'href="{pdf.url}"' in page.content.decode()
    assert downloaded(client, pdf.url) == REPORT
    assert downloaded(client, minutes.url) == docx()


def test_old_file_urls_redirect_to_their_documents(site, client):
    run(site)
    pdf, minutes = get_document_model().objects.order_by("pk")
    for path, document in [(FILES[0], pdf), (FILES[1], pdf), (FILES[2], minutes)]:
        response = client.get("/pub/" + path)
        assert response.status_code == 301, path
        assert response["Location"] == document.url
    assert client.get("/pub/files/D4.1_Study.pdf").status_code == 404  # a dead file: nothing
    assert Redirect.objects.filter(redirect_link__startswith="/documents/").count() == 3


def test_a_document_of_a_page_that_is_not_public_does_not_download(site, client):
    run(site)
    StandardPage.objects.get(title="Results").unpublish()
    pdf = get_document_model().objects.get(title__startswith="D2.1")
    assert client.get(pdf.url).status_code == 200  # the publications page still shows it
    StandardPage.objects.get(title="Publications").unpublish()
    assert client.get(pdf.url).status_code == 404
    assert client.get("/pub/" + FILES[0])["Location"] == pdf.url  # which answers 404, as above


def test_a_rerun_fetches_no_unchanged_file_and_stores_nothing_twice(site):
    run(site)
    assert document_requests(site) == {path: [200] for path in FILES}
    documents = list(get_document_model().objects.values_list("pk", "file"))

    report = run(site)
    # every file was asked for with its validators and the server said "not modified"
    assert document_requests(site) == {path: [200, 304] for path in FILES}
    assert list(get_document_model().objects.values_list("pk", "file")) == documents
    assert ImportedDocument.objects.count() == 3
    totals = report.totals
    assert (totals["documents_created"], totals["documents_reused"]) == (0, 3)
    assert totals["documents_failed"] == 3
    assert totals["unchanged"] == 2 and totals["updated"] == 0
    assert Redirect.objects.filter(redirect_link__startswith="/documents/").count() == 3


def test_a_changed_file_becomes_a_new_document_and_its_old_url_follows(site, client):
    run(site)
    first = get_document_model().objects.get(title__startswith="D2.1")
    revised = REPORT.replace(b"%%EOF", b"revised %%EOF")
    site.set_route(FILES[0], body=revised, content_type="application/pdf",
                   headers={"ETag": '"d21-v2"'})

    report = run(site)
    assert site.statuses(FILES[0]) == [200, 200]
    assert (report.totals["documents_created"], report.totals["documents_reused"]) == (1, 2)
    second = get_document_model().objects.exclude(pk=first.pk).get(title__startswith="D2.1")
    assert downloaded(client, second.url) == revised
    assert client.get("/pub/" + FILES[0])["Location"] == second.url
    assert client.get("/pub/" + FILES[1])["Location"] == first.url  # the old name: old bytes
    assert f'<a linktype="document" id="{second.pk}">innovation report' in body_of("Results")
    assert report.pages[ORIGIN + "index.php?id=301"].action == "updated"


def test_a_dry_run_fetches_no_file(site):
    report = run(site, dry_run=True)
    assert not any("/files/" in path or "/fileadmin/" in path for path in site.requests)
    assert not get_document_model().objects.exists()
    assert not ImportedDocument.objects.exists()
    assert report.totals["documents_created"] == report.totals["documents_failed"] == 0


def test_documents_come_from_a_mirror_and_are_not_stored_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    mirror = tmp_path / "mirror"
    shutil.copytree(SAMPLE_DIR, mirror)
    pub = mirror / "inno.baltmet.org" / "pub"
    (pub / "files").mkdir()
    (pub / "files" / "D2.1_Innovation_potential.pdf").write_bytes(REPORT)
    page = pub / "index.php?id=208.html"
    page.chmod(stat.S_IRUSR | stat.S_IWUSR)
    html = page.read_text(encoding="latin-1")
    html = html.replace(
        "<!--TYPO3SEARCH_end-->",
        '<p><a href="files/D2.1_Innovation_potential.pdf">Download</a></p><!--TYPO3SEARCH_end-->',
    )
    page.write_text(html, encoding="latin-1")

    first = run_import(ImportOptions(sources=[str(mirror)], origin=ORIGIN))
    second = run_import(ImportOptions(sources=[str(mirror)], origin=ORIGIN))
    document = get_document_model().objects.get()
    assert document.title == "D2.1 Innovation potential"
    assert first.totals["documents_created"] == 1
    assert (second.totals["documents_created"], second.totals["documents_reused"]) == (0, 1)
    assert second.totals["updated"] == 0


def test_the_summary_shows_the_documents(site):
    out = io.StringIO()
    with pytest.raises(CommandError, match="max-document-bytes"):
        call_command("import_legacy", site.url("index.php?id=300"), site.url("index.php?id=301"),
                     "--origin", ORIGIN, "--max-document-bytes", "-1", stdout=out,
                     stderr=io.StringIO())
    call_command("import_legacy", site.url("index.php?id=300"), site.url("index.php?id=301"),
                 "--origin", ORIGIN, "--max-document-bytes", str(CAP), stdout=out,
                 stderr=io.StringIO())
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip()
            for line in out.getvalue().splitlines() if line.count("│") == 3}
    assert rows["documents created"] == "2"
    assert rows["documents reused"] == "1"
    assert rows["documents failed"] == "3"


def test_a_document_an_editor_deleted_stays_deleted_unless_forced(site):
    run(site)
    minutes = get_document_model().objects.get(title="D3.4 Minutes Riga")
    minutes.delete()

    report = run(site)
    assert not get_document_model().objects.filter(title="D3.4 Minutes Riga").exists()
    assert site.statuses(FILES[2]) == [200]  # not even asked for
    warnings = " ".join(report.pages[ORIGIN + "index.php?id=300"].warnings)
    assert "deleted in Wagtail" in warnings

    forced = run(site, force=True)
    assert get_document_model().objects.filter(title="D3.4 Minutes Riga").count() == 1
    assert forced.totals["documents_created"] == 1


def test_an_old_file_url_an_editor_redirected_elsewhere_stays_so(site, client):
    run(site)
    redirect = Redirect.objects.get(old_path="/pub/files/D2.1_Innovation_potential.pdf")
    redirect.redirect_link = "https://zenodo.org/records/1234"
    redirect.save()

    report = run(site)
    assert client.get("/pub/" + FILES[0])["Location"] == "https://zenodo.org/records/1234"
    assert any("/pub/files/D2.1_Innovation_potential.pdf kept" in w for w in report.warnings)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_two_runs_at_once_store_each_file_once(site):
    """Started together, the second waits for the first (one run at a time), then reuses."""
    ensure_site_tree()
    # Every site has the root collection (Wagtail's migration makes it); an earlier
    # transactional test's flush may have emptied the table.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    start = threading.Barrier(2)
    reports = []

    def one_run():
        try:
            start.wait()
            reports.append(run(site, wait=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) == 2
    assert get_document_model().objects.count() == 2, [
        (r.documents, [p.warnings for p in r.pages.values()], r.warnings) for r in reports
    ]
    assert Collection.objects.filter(name=IMPORTED_FILES).count() == 1
    assert ImportedDocument.objects.count() == 3
    assert sum(r.totals["documents_created"] for r in reports) == 2
    assert Redirect.objects.filter(redirect_link__startswith="/documents/").count() == 3


def test_a_file_failing_while_stored_leaves_nothing_half_written(site):
    def explode(sender, instance, **kwargs):
        if instance.title == "D3.4 Minutes Riga":
            raise RuntimeError("storage refused the file")

    post_save.connect(explode, sender=get_document_model())
    try:
        report = run(site)
    finally:
        post_save.disconnect(explode, sender=get_document_model())
    assert report.totals["failed"] == 0 and report.totals["created"] == 2
    assert not get_document_model().objects.filter(title="D3.4 Minutes Riga").exists()
    assert not ImportedDocument.objects.filter(legacy_url=ORIGIN + FILES[2]).exists()
    assert not Redirect.objects.filter(old_path="/pub/" + FILES[2]).exists()
    warnings = " ".join(report.pages[ORIGIN + "index.php?id=300"].warnings)
    assert "D3.4_Minutes_Riga.docx" in warnings and "storage refused the file" in warnings
    assert f'href="{ORIGIN}{FILES[2]}"' in body_of("Publications")
    # the next run imports it
    assert run(site).totals["documents_created"] == 1
    assert get_document_model().objects.filter(title="D3.4 Minutes Riga").exists()

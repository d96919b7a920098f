"""Importing from a Wayback-compatible archive (CDX API + raw replay), against a real pywb.

pywb serves a collection made from the test's own WARC on 127.0.0.1; no public
archive is contacted.  pywb pins old redis and fakeredis releases, so it lives
in its own virtualenv (``make pywb``); the tests skip without it.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.models import StandardPage
from importers.models import ImportedDocument, ImportRecord, ImportRun
from importers.pipeline import ImportOptions, run_import

from .conftest import ORIGIN, REPO
from .test_archive_rules import NOT_FOUND, PDF
from .test_import_archive import (  # noqa: F401 - the fixture
    HOST,
    START,
    Archive,
    page,
    read_plan,
    site,
    wget_warc,
)

pytestmark = pytest.mark.django_db


def pywb_bin() -> Path:
    folder = Path(os.environ.get("PYWB_VENV", REPO / ".venv-pywb")) / "bin"
    if not (folder / "wayback").is_file():
        pytest.skip("pywb is missing: make pywb (a virtualenv of its own: it pins old redis)")
    return folder


class Pywb:
    """A pywb ``wayback`` process serving collection ``legacy`` from the WARCs given."""

    def __init__(self, root: Path, warcs: list[Path]):
        self.bin = pywb_bin()
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "config.yaml").write_text("enable_memento: true\n")
        manager = str(self.bin / "wb-manager")
        subprocess.run([manager, "init", "legacy"], cwd=root, check=True, capture_output=True)
        subprocess.run([manager, "add", "legacy", *map(str, warcs)], cwd=root, check=True,
                       capture_output=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = (root / "wayback.log").open("wb")
        self.process = subprocess.Popen(
            [str(self.bin / "wayback"), "-b", "127.0.0.1", "-p", str(self.port)],
            cwd=root, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait()

    @property
    def replay(self) -> str:
        return f"http://127.0.0.1:{self.port}/legacy/"

    def _wait(self) -> None:
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up:
            assert self.process.poll() is None, (self.root / "wayback.log").read_text()
            try:
                requests.get(self.replay + "cdx?url=x", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("pywb did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def pywb(tmp_path):
    started: list[Pywb] = []

    def start(*warcs: Path) -> Pywb:
        server = Pywb(tmp_path / f"pywb-{len(started)}", list(warcs))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_the_sample_from_pywb_imports_as_from_its_warc(site, tmp_path, settings, pywb):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    warc = wget_warc(site, tmp_path)
    archive = pywb(warc)
    site.stop()  # the site is dead; the archive is all there is (as wget recorded it)
    from_warc, warc_dead = read_plan([str(warc)])
    from_wayback, wayback_dead = read_plan([site.base_url], wayback=archive.replay)
    assert from_wayback == from_warc
    assert wayback_dead == warc_dead

    report = run_import(ImportOptions(sources=[site.base_url], origin=ORIGIN,
                                      wayback=archive.replay))
    assert report.totals["failed"] == 0, report.as_dict()
    assert len(from_warc) == ImportRecord.objects.count()
    partners = StandardPage.objects.get(title="Partners")
    assert "Rīga, Vilniaus universitetas, Tallinn–Helsinki: 5 €" in partners.body
    image = get_image_model().objects.get()  # replayed from the archive too
    assert f'id="{image.pk}"' in partners.body


def captures(path: Path) -> Path:
    """Captures over the years, documents, a revisit, an archived redirect and error captures."""
    archive = Archive(path)
    archive.response(HOST + "index.php?id=208", page(
        "Project", '<a href="index.php?id=301">a</a> <a href="index.php?id=302">b</a> '
        '<a href="old-outputs">c</a> <a href="index.php?id=304">d</a> '
        '<a href="index.php?id=305">e</a> <a href="files/d1.pdf">D1</a> '
        '<a href="files/missing.pdf">D2</a>'), "2012-01-01T10:00:00Z")
    archive.response(HOST + "index.php?id=301", page("Old Lead Partner"), "2010-05-01T10:00:00Z")
    archive.response(HOST + "index.php?id=301", page("New Lead Partner"), "2013-05-01T10:00:00Z")
    first = archive.response(HOST + "index.php?id=302", page("Outputs", "Mazowsze"),
                             "2009-03-01T10:00:00Z")
    archive.revisit(HOST + "index.php?id=302", first, "2014-03-01T10:00:00Z")
    archive.response(HOST + "old-outputs", b"", "2012-01-01T10:00:00Z", status="301 Moved",
                     headers=[("Location", HOST + "index.php?id=302")])
    archive.response(HOST + "index.php?id=304", page("Meetings"), "2011-01-01T10:00:00Z")
    archive.response(HOST + "index.php?id=304", b"busy", "2014-01-01T10:00:00Z",
                     status="503 Service Unavailable", content_type="text/plain")
    archive.response(HOST + "index.php?id=305", b"<html>gone</html>", "2014-01-01T10:00:00Z",
                     status="404 Not Found")
    archive.response(HOST + "files/d1.pdf", PDF, "2012-01-01T10:00:00Z",
                     content_type="application/pdf")
    archive.response(HOST + "files/missing.pdf", NOT_FOUND, "2012-01-01T10:00:00Z")
    archive.response("http://elsewhere.example/other.html", page("Not ours"),
                     "2014-03-01T10:00:00Z")
    return archive.close()


def titles() -> set[str]:
    return set(StandardPage.objects.values_list("title", flat=True))


def test_captures_revisits_redirects_errors_and_documents(tmp_path, settings, pywb):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = pywb(captures(tmp_path / "captures.warc.gz"))
    report = run_import(ImportOptions(sources=[HOST], wayback=archive.replay))  # origin found
    assert titles() == {"Project", "New Lead Partner", "Outputs", "Meetings"}
    assert "Mazowsze" in StandardPage.objects.get(title="Outputs").body  # the revisit's original
    assert HOST + "old-outputs" not in report.pages  # the redirect folds into its target
    gone = report.dead_links[HOST + "index.php?id=305"]
    assert "404" in gone.reason and "archived" in gone.reason
    soft = report.dead_links[HOST + "files/missing.pdf"]
    assert "not found" in soft.reason
    assert report.totals["failed"] == 0, report.as_dict()
    document = get_document_model().objects.get()
    assert ImportedDocument.objects.get().legacy_url == HOST + "files/d1.pdf"
    with document.file.open() as stored:
        assert stored.read() == PDF


def test_at_picks_the_capture_nearest_a_day_and_bad_archives_are_clear(tmp_path, settings, pywb):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = pywb(captures(tmp_path / "captures.warc.gz"))
    out = io.StringIO()
    call_command("import_legacy", HOST, "--wayback", archive.replay, "--at", "2010-06-30",
                 stdout=out)
    assert "Old Lead Partner" in titles() and "New Lead Partner" not in titles()
    assert ImportRun.objects.get().options["wayback"] == archive.replay

    with pytest.raises(CommandError, match="CDX API did not answer") as error:
        call_command("import_legacy", HOST, "--wayback", archive.replay + "no-such-collection/",
                     stdout=io.StringIO())
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="--wayback") as error:
        call_command("import_legacy", HOST, "--cdx", archive.replay + "cdx",
                     stdout=io.StringIO())
    assert error.value.returncode == 2


def test_both_cdx_json_dialects_are_read():
    """pywb sends one object per line; the Internet Archive one array, field names first."""
    from importers.wayback import parse_listing

    internet_archive = (
        '[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],\n'
        '["org,baltmet,inno)/pub/index.php?id=208","20120101100000",'
        '"http://inno.baltmet.org:80/pub/index.php?id=208","text/html","200","AAA","345"],\n'
        '["org,baltmet,inno)/pub/index.php?id=208","20140101100000",'
        '"http://inno.baltmet.org/pub/index.php?id=208","warc/revisit","-","AAA","300"]]'
    )
    pywb_lines = (
        '{"urlkey": "org,baltmet,inno)/pub/index.php?id=208", "timestamp": "20120101100000", '
        '"url": "http://inno.baltmet.org:80/pub/index.php?id=208", "mime": "text/html", '
        '"status": "200", "digest": "AAA"}\n'
        '{"urlkey": "org,baltmet,inno)/pub/index.php?id=208", "timestamp": "20140101100000", '
        '"url": "http://inno.baltmet.org/pub/index.php?id=208", "mime": "warc/revisit", '
        '"digest": "AAA"}\n'
    )
    first, second = parse_listing(internet_archive)
    assert parse_listing(pywb_lines) == [first, second]
    assert (first.status, first.content_type, first.revisit) == (200, "text/html", False)
    assert first.when.year == 2012 and second.revisit and second.status == 0
    assert parse_listing("") == []


def test_the_wayback_source_reads_only_the_archive(tmp_path, pywb):
    """Every request goes to the archive's host: never to the site's own or another."""
    archive = pywb(captures(tmp_path / "captures.warc.gz"))
    run_import(ImportOptions(sources=[HOST], wayback=archive.replay, dry_run=True))
    log = (archive.root / "wayback.log").read_text()
    assert "GET /legacy/cdx?" in log and "id_/http://inno.baltmet.org/pub/" in log
    assert "elsewhere.example" not in log

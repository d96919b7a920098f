"""Finding, titling and judging linked files (importers.extract.documents: pure functions)."""

from __future__ import annotations

import pytest

from importers.extract.documents import content_problem, document_title, is_document_url
from importers.files import document_links
from importers.load.content import Resolver
from importers.rich_text import RichText

HOSTS = frozenset({"inno.baltmet.org"})
PUB = "http://inno.baltmet.org/pub/"


def test_links_to_document_types_on_source_hosts_are_found_once_each():
    html = (
        f'<p><a href="{PUB}files/D2.1.pdf">D2.1 <b>Innovation</b> report</a> '
        f'<a href="{PUB}files/D2.1.pdf">again</a> '
        f'<a href="{PUB}files/Minutes.DOCX">Minutes</a> '
        f'<a href="{PUB}files/budget.xls">Budget</a> <a href="{PUB}files/a.odp">Slides</a> '
        f'<a href="{PUB}index.php?id=12">a page</a> '
        '<a href="http://europa.eu/report.pdf">elsewhere</a> '
        f'<a href="{PUB}files/photo.jpg">photo</a></p>'
    )
    links = document_links(RichText.of(html, PUB), HOSTS)
    assert [(link.url.rsplit("/", 1)[1], link.text) for link in links] == [
        ("D2.1.pdf", "D2.1 Innovation report"),
        ("Minutes.DOCX", "Minutes"),
        ("budget.xls", "Budget"),
        ("a.odp", "Slides"),
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (PUB + "x.pdf", True),
        (PUB + "x.csv", True),
        (PUB + "x.zip", True),
        (PUB + "x.html", False),
        (PUB + "download.php?file=x.pdf", False),
        ("ftp://inno.baltmet.org/x.pdf", False),
        ("http://other.example/x.pdf", False),
    ],
)
def test_what_counts_as_a_document_link(url, expected):
    assert is_document_url(url, HOSTS) is expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("D5.2 Regional innovation study", "D5.2 Regional innovation study"),
        ("Download", "D5.2 Regional innovation study"),
        ("[PDF]", "D5.2 Regional innovation study"),
        ("PDF (1.2 MB)", "D5.2 Regional innovation study"),
        ("click here", "D5.2 Regional innovation study"),
        ("", "D5.2 Regional innovation study"),
        ("Final report (340 kB)", "Final report"),
    ],
)
def test_titles_come_from_the_link_text_or_else_the_file_name(text, title):
    assert document_title(text, PUB + "files/D5.2_Regional%20innovation_study.pdf") == title


@pytest.mark.parametrize(
    ("url", "content_type", "data", "problem"),
    [
        ("a.pdf", "application/pdf", b"%PDF-1.4\n...", None),
        ("a.pdf", "application/octet-stream", b"%PDF-1.7\n...", None),
        ("a.pdf", "text/html", b"<html><body>Not found</body></html>", "HTML page"),
        ("a.pdf", "application/pdf", b"<!DOCTYPE html><html>Not found", "HTML page"),
        ("a.pdf", "application/pdf", b"PK\x03\x04zip", "not a .pdf file"),
        ("a.docx", "application/octet-stream", b"PK\x03\x04...", None),
        ("a.doc", "application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...", None),
        ("a.rtf", "application/rtf", b"{\\rtf1 ...", None),
        ("a.csv", "text/csv", b"partner,city\nRiga,LV\n", None),
        ("a.txt", "text/plain", b"\x00\x01binary", "binary"),
        ("a.pdf", "application/pdf", b"", "empty"),
    ],
)
def test_the_bytes_and_the_content_type_must_agree_with_the_link(url, content_type, data, problem):
    found = content_problem("http://h/" + url, content_type, data)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_links_to_imported_files_become_document_links_and_others_stay():
    """The load stage's join turns links to stored files into document links."""
    html = (
        f'<p><a href="{PUB}files/a.pdf">A</a> <a href="{PUB}files/b.pdf">B</a> '
        f'<a href="{PUB}index.php?id=1">page</a></p>'
    )
    resolver = Resolver({}, {}, {PUB + "files/a.pdf": 7})
    assert resolver.rich_text(RichText.of(html, PUB + "index.php?id=2")) == (
        f'<p><a linktype="document" id="7">A</a> <a href="{PUB}files/b.pdf">B</a> '
        f'<a href="{PUB}index.php?id=1">page</a></p>'
    )

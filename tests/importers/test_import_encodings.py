"""Baltic and Central European pages imported over HTTP come out as the right characters."""

from __future__ import annotations

import pytest

from cms.models import StandardPage
from importers.pipeline import ImportOptions, run_import

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db

#: path, codec of the bytes, where the charset is declared, the label, title, text.
PAGES = [
    ("index.php?id=901", "cp1257", "header", "windows-1257", "Vilniaus universitetas",
     "Vilniaus Gedimino technikos universitetas, Klaipėda – „Žalioji“ ekonomika, 5 €"),
    ("index.php?id=902", "iso8859_13", "meta", "ISO-8859-13", "Rīga",
     "Rīgas Tehniskā universitāte, Jūrmala, „Zaļā“ ekonomika"),
    ("index.php?id=903", "iso8859_4", "header", "latin4", "Tallinn",
     "Tallinna Ülikool, Pärnu, Rīga, Šiauliai"),
    ("index.php?id=904", "iso8859_2", "meta", "iso-8859-2", "Łódź",
     "Uniwersytet Łódzki, Mazowsze, Gdańsk, Kraków"),
    ("index.php?id=905", "cp1250", "header", "windows-1250", "Mazowsze",
     "Tallinn–Helsinki, „Województwo” ‘Mazowsze’: 5 €"),
    # declared UTF-8, written in windows-1257: the text's language decides
    ("index.php?id=906", "cp1257", "header", "utf-8", "Rīga",
     "Rīgas pilsēta, Daugavpils, Liepāja – “Rīga–Tallinn” 5 €"),
]


def body(title: str, text: str, meta: str | None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}" />' if meta else ""
    return (f"<html><head>{head}<title>BaltMet Inno: {title}</title></head><body>"
            f"<!--TYPO3SEARCH_begin--><h1>{title}</h1><p>{text}</p><!--TYPO3SEARCH_end-->"
            "</body></html>")


def test_pages_in_baltic_and_central_european_encodings(legacy_server):
    for path, codec, where, label, title, text in PAGES:
        content_type = f"text/html; charset={label}" if where == "header" else "text/html"
        legacy_server.set_route(path, body=body(title, text, label if where == "meta" else None)
                                .encode(codec), content_type=content_type)
    report = run_import(ImportOptions(
        sources=[legacy_server.url(p[0]) for p in PAGES], origin=ORIGIN,
    ))
    assert report.totals["failed"] == 0
    for path, _, _, label, title, text in PAGES:
        page = StandardPage.objects.get(legacy_url=ORIGIN + path)
        assert page.title == title
        assert text in page.body, path
        warnings = report.pages[ORIGIN + path].warnings
        if label == "utf-8":  # the wrong declaration is reported, with what was done instead
            assert any("charset=utf-8" in w and "windows-1257" in w and "Latvian" in w
                       for w in warnings), warnings
        else:
            assert not any("charset" in w for w in warnings), warnings

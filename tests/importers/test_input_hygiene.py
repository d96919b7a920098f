"""Bad input is cleaned with a warning, never a failed page: titles, invisible characters."""

from __future__ import annotations

import pytest

from cms.models import NewsPage, StandardPage
from importers.extract import TITLE_LIMIT, extract_page, fit_title
from importers.pipeline import ImportOptions, run_import
from importers.plan import NO_TEXT_WARNING
from importers.urls import canonicalize

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
PAGE = "index.php?id=901"
NEWS = "index.php?id=12&gid=2&lid=901"
BIDI = "\u202e\u2066"


def html(title: str, body: str, *, news: bool = False, charset: str = "utf-8") -> bytes:
    content = f"<h1>{title}</h1>{body}"
    if news:
        content = f'<div class="news-single-item">{content}</div>'
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>BaltMet Inno</title></head><body><!--TYPO3SEARCH_begin-->{content}"
        "<!--TYPO3SEARCH_end--></body></html>"
    ).encode("cp1252" if charset != "utf-8" else "utf-8")


def import_from(server, *paths):
    return run_import(ImportOptions(sources=[server.url(p) for p in paths], origin=ORIGIN))


def test_a_10000_character_title_is_shortened_at_a_word_boundary_and_the_page_kept(
    legacy_server,
):
    words = " ".join(f"word{n}" for n in range(2000))[:10_000]
    legacy_server.set_route(PAGE, body=html(words, "<p>Text.</p>"))
    result = import_from(legacy_server, PAGE).pages[canonicalize(ORIGIN + PAGE)]
    assert result.action == "created", result.errors
    page = StandardPage.objects.get(pk=result.page_id)
    assert len(page.title) <= TITLE_LIMIT and page.title.endswith("…")
    assert words.startswith(page.title.removesuffix("…") + " ")  # whole words only
    assert f"title of 10000 characters shortened to {len(page.title)}" in result.warnings


def test_a_title_without_spaces_is_cut_at_the_limit():
    title, warning = fit_title("x" * 300)
    assert len(title) == TITLE_LIMIT and warning
    assert fit_title("Short") == ("Short", None)


def test_control_characters_and_bidi_overrides_are_removed_with_a_warning(legacy_server):
    legacy_server.set_route(
        NEWS, body=html(f"Seminar\x07 in{BIDI} Riga 5 May 2007", f"<p>Bell\x1b{BIDI} text.</p>",
                        news=True)
    )
    result = import_from(legacy_server, NEWS).pages[canonicalize(ORIGIN + NEWS)]
    page = NewsPage.objects.get(pk=result.page_id)
    assert page.title == "Seminar in Riga 5 May 2007"
    assert page.body == "<p>Bell text.</p>"
    assert "removed 6 control character(s) or bidi override(s)" in result.warnings


def test_a_news_page_keeps_its_decoding_warnings(legacy_server):
    body = html("Seminar in Malmö 5 May 2007", "<p>Budget 5 € in Malmö</p>", news=True,
                charset="utf-8").replace("ö".encode(), "ö".encode("cp1252"))
    legacy_server.set_route(NEWS, body=body)
    result = import_from(legacy_server, NEWS).pages[canonicalize(ORIGIN + NEWS)]
    assert any("decoded as" in w for w in result.warnings), result.warnings
    assert NewsPage.objects.get(pk=result.page_id).title == "Seminar in Malmö 5 May 2007"


def test_news_without_text_stay_published_and_the_report_says_so(legacy_server):
    report = import_from(legacy_server, "index.php?id=12")
    url = canonicalize(ORIGIN + "index.php?id=12&gid=2&lid=96")
    page = NewsPage.objects.get(legacy_url=url)
    assert page.live and not page.summary and not page.body
    assert NO_TEXT_WARNING in report.pages[url].warnings
    others = [r for u, r in report.pages.items() if r.kind == "news" and u != url]
    assert others and all(NO_TEXT_WARNING not in r.warnings for r in others)


def test_extraction_removes_invisible_characters_from_every_text():
    record = extract_page(
        html(f"A{BIDI}\x00B", "<p>x\x0by</p>").decode(), ORIGIN + PAGE, ORIGIN
    )
    assert (record.title, record.body) == ("AB", "<p>xy</p>")

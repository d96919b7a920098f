"""Markup the rest of the site uses (fixtures/variants/, one file per variation)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.decode import decode
from importers.extract import extract_page, plain_text
from importers.records import Kind
from importers.urls import canonicalize

from .conftest import ORIGIN, VARIANTS


def extract(name: str, url: str = ORIGIN + "index.php?id=777", **options):
    text, _, _ = decode((VARIANTS / name).read_bytes(), None)
    return extract_page(text, url, ORIGIN, **options)


def months(record):
    return [(m.number, m.period_start, m.period_end) for m in record.milestones]


def test_h3_headings_numbering_above_one_and_glued_year():
    record = extract("wp_h3_headings.html")
    assert record.kind == Kind.WORK_PACKAGE
    assert record.work_package == 3
    assert record.parent_url == ORIGIN + "index.php?id=300"
    assert months(record) == [
        (3, "2005-01", "2005-06"),
        (4, "2005-07", "2005-12"),
        (5, "2005-11", "2006-03"),
    ]
    assert record.status == "Actual implementation of actions is delayed."
    assert "delayed" not in record.milestones[-1].description
    # a layout table becomes paragraphs; scripts and javascript: links are gone
    assert record.milestones[1].description == (
        "<p>Kick-off workshop in Berlin</p><p>Study visit to Helsinki</p>"
    )
    assert "script" not in record.body and "alert" not in record.body
    assert "javascript" not in record.body


def test_project_start_is_a_parameter():
    record = extract("wp_h3_headings.html", project_start="2004-10")
    assert months(record)[0] == (3, "2004-10", "2005-06")


def test_links_and_images_are_absolute_and_canonical():
    record = extract("wp_h3_headings.html")
    assert record.links == [ORIGIN + "index.php?id=310"]  # session id dropped
    assert record.images == [ORIGIN + "uploads/pics/cluster_map.jpg"]
    assert f'<a href="{ORIGIN}index.php?id=310">cluster map</a>' in record.intro
    assert f'src="{ORIGIN}uploads/pics/cluster_map.jpg"' in record.intro


def test_milestones_in_one_paragraph_with_double_breaks():
    record = extract("wp_single_paragraph.html")
    assert record.work_package == 4
    assert record.parent_url is None
    assert months(record) == [(1, "2005-01", "2005-06"), (2, "2005-07", "2005-12")]
    assert plain_text(record.intro) == "Innovation policy benchmarking of the metropolises."
    assert record.milestones[1].description == (
        "<p>Benchmarking data is collected in Stockholm and Oslo.</p>"
    )
    assert record.status == "Actual implementation of the activities is delayed."


def test_milestones_without_period_and_back_link_to_work_package():
    record = extract("wp_no_period.html")
    assert record.kind == Kind.WORK_PACKAGE
    assert months(record) == [(1, None, None), (2, None, None)]
    assert record.work_package == 5
    assert record.parent_url == ORIGIN + "index.php?id=500"
    assert "Back to" not in record.body
    assert record.status == ""


def test_title_only_in_title_element_and_plain_page():
    record = extract("page_title_only.html")
    assert record.kind == Kind.PAGE
    assert record.title == "Partner cities"
    assert record.milestones == [] and record.news_items == []
    assert record.body.startswith(
        "<p>Tallinn is the capital of Estonia. Population: 400&nbsp;000.</p>"
    )
    assert "<p>Contact the city’s innovation office for details.</p>" in record.body
    assert "<table" not in record.body and "<td" not in record.body
    assert "<p></p>" not in record.body and "<p> </p>" not in record.body
    assert "target=" not in record.body
    assert record.links == [ORIGIN + "index.php?id=411"]


def test_page_without_search_markers_falls_back_to_content_cell():
    record = extract("page_without_markers.html")
    assert record.title == "Contact"
    assert record.body == "<p>Write to the project office in Berlin.</p>"


def test_windows_1252_page_declared_latin1():
    record = extract("encoding_cp1252.html")
    assert record.title == "Malmö"
    text = plain_text(record.body)
    assert "Malmö’s partners from Tønsberg and Århus met for the “Öresund” workshop." in text
    assert "The fee was 20 €." in text
    assert "Björn Ångström" in text


def test_news_list_other_date_forms_and_neighbours():
    record = extract("news_list_other_dates.html", ORIGIN + "index.php?id=12")
    assert record.kind == Kind.NEWS_INDEX
    got = [(i.title, i.date, i.event_end, i.location) for i in record.news_items]
    d = datetime.date
    assert got == [
        ("Final conference in Hamburg", d(2007, 6, 13), d(2007, 6, 13), "Hamburg"),
        ("Partner meeting", d(2007, 4, 4), d(2007, 4, 5), "Vilnius"),
        ("Kick-off in Riga on 9 October 2006", d(2006, 10, 9), d(2006, 10, 9), "Riga"),
        ("Project website launched", None, None, ""),
        ("Workshop in Tallinn, April 4-5, 2006", d(2006, 4, 4), d(2006, 4, 5), "Tallinn"),
        ("Study visit", d(2005, 12, 20), d(2005, 12, 20), "Copenhagen"),
    ]
    undated = record.news_items[3]
    assert undated.warnings and "no date" in undated.warnings[0]
    assert all(not i.warnings for i in record.news_items if i.date is not None)


def test_news_item_page_dated_from_latest_box():
    url = ORIGIN + "index.php?id=12&gid=2&lid=119&PHPSESSID=abc"
    record = extract("news_item_vilnius.html", url)
    assert record.kind == Kind.NEWS
    (item,) = record.news_items
    assert item.url == canonicalize(url) == ORIGIN + "index.php?id=12&gid=2&lid=119"
    assert (item.date, item.event_end) == (datetime.date(2007, 4, 4), datetime.date(2007, 4, 5))
    assert item.location == "Vilnius"
    assert item.summary == "On 4th and 5th of April the partners met in Vilnius."
    assert "50 € per person" in item.body
    assert "Back to news" not in item.body and "<h1" not in item.body
    assert record.images == [ORIGIN + "uploads/pics/vilnius_small.jpg"]


def test_news_item_not_in_latest_box_gets_no_guessed_year():
    record = extract("news_item_vilnius.html", ORIGIN + "index.php?id=12&gid=2&lid=50")
    (item,) = record.news_items
    assert item.date is None
    assert any("no year" in w for w in item.warnings)


def test_crawl_links_page_lists_only_site_pages():
    record = extract("crawl_links.html")
    assert record.links == [ORIGIN + "index.php?id=209", ORIGIN + "index.php?id=999"]
    assert "<li></li>" not in record.body


@pytest.mark.parametrize("name", sorted(p.name for p in VARIANTS.glob("*.html")))
def test_no_template_chrome_in_any_variant(name):
    record = extract(name)
    html = record.body + record.intro + "".join(m.description for m in record.milestones)
    html += "".join(i.body for i in record.news_items)
    for chrome in ("latest news", "Read more", "Part-financed", "typo3temp", "Work Packages"):
        assert chrome not in html
    assert "onfocus" not in html and "<script" not in html


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>Milestone 2 (July - December 2005)</b>",
        "<br />",
        "<br /><br />",
        "<h3>Milestone 1</h3>",
        "<i>Actual implementation is delayed.</i>",
        "<table><tr><td>",
        "</td></tr></table>",
        '<a href="index.php?id=5&amp;PHPSESSID=1">x</a>',
        "&nbsp;",
        '<div class="news-list-item"><h2>',
        '<div class="news-single-item">',
        "</div>",
        "On November 13th",
        "13-15 June 2007",
        "<!--TYPO3SEARCH_begin-->",
        "<script>x</script>",
        '<img src="javascript:alert(1)">',
        "<h1>Title</h1>",
        "text ö € ’",
        "<ul><li>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_extract_never_crashes_and_output_stays_safe(pieces):
    html = "<html><body>" + "".join(pieces) + "</body></html>"
    record = extract_page(html, ORIGIN + "index.php?id=1", ORIGIN)
    for part in [record.body, record.intro, *(m.description for m in record.milestones)]:
        assert "<script" not in part and "javascript:" not in part
        assert "<table" not in part and "<td" not in part

"""The sample mirror extracts to exactly what expected.json says."""

from __future__ import annotations

import json

import pytest

from importers.decode import decode
from importers.extract import extract_page, merge_news, plain_text
from importers.mirror import MirrorReader
from importers.urls import canonicalize

from .conftest import ORIGIN, SAMPLE_DIR

EXPECTED = json.loads((SAMPLE_DIR.parent / "expected.json").read_text(encoding="utf-8"))
PAGES = {canonicalize(p["url"]): p for p in EXPECTED["pages"]}


@pytest.fixture(scope="module")
def records():
    mirror = MirrorReader(SAMPLE_DIR)
    out = {}
    for url in mirror.pages():
        result = mirror.fetch(url)
        text, _, _ = decode(result.body, result.charset)
        out[url] = extract_page(text, url, EXPECTED["origin"])
    return out


def _merged_news(records, url):
    listed = [i for r in records.values() if r.kind == "news_index" for i in r.news_items]
    from_list = next((i for i in listed if i.url == url), None)
    from_page = records[url].news_items[0]
    return merge_news(from_list, from_page)


def test_every_expected_page_is_extracted(records):
    assert set(records) == set(PAGES)


@pytest.mark.parametrize("url", sorted(PAGES))
def test_page_matches_expected(records, url):
    want, got = PAGES[url], records[url]
    assert got.url == url
    assert got.kind == want["kind"]
    assert got.title == want["title"]
    assert got.warnings == []
    if "work_package" in want:
        assert got.work_package == want["work_package"]
        assert got.parent_url == (canonicalize(want["parent"]) if want["parent"] else None)
        assert got.status == (want["status"] or "")
        summary = [(m.number, m.period_start, m.period_end) for m in got.milestones]
        assert summary == [(m["number"], m["start"], m["end"]) for m in want["milestones"]]
        for milestone, expected in zip(got.milestones, want["milestones"], strict=True):
            # expected.json keeps the source's no-break spaces; bodies turn them into spaces
            want_start = expected["text_starts"].replace("\xa0", " ")
            assert plain_text(milestone.description)[:40] == want_start
            assert "Milestone" not in milestone.description
        if "intro_starts" in want:
            assert plain_text(got.intro).startswith(want["intro_starts"].replace("\xa0", " "))
        if want["status"]:
            assert want["status"] not in got.milestones[-1].description
    if want["kind"] == "news":
        item = _merged_news(records, url)
        assert item.title == want["title"]
        assert item.summary == want["teaser"]
        assert str(item.date) == want["date"]
        assert str(item.event_start) == want["event_start"]
        assert str(item.event_end) == want["event_end"]
        assert item.location == want["location"]


@pytest.mark.parametrize("url", sorted(PAGES))
def test_no_chrome_in_bodies(records, url):
    record = records[url]
    html = record.body + record.intro + "".join(m.description for m in record.milestones)
    for chrome in ("latest news", "Read more", "Back to news", "Part-financed", "typo3temp"):
        assert chrome not in html
    assert f">{record.title}<" not in html  # the title heading is not repeated in the body
    assert "\xa0" not in plain_text(html)


def test_news_page_records_carry_the_body_and_list_records_the_teaser(records):
    url = canonicalize("http://inno.baltmet.org/pub/index.php?id=12&gid=2&lid=95")
    page_item = records[url].news_items[0]
    assert page_item.body.startswith("<p>In collaboration with the Baltic Sea Group")
    news_list = records[canonicalize(ORIGIN + "index.php?id=12")]
    assert [i.body for i in news_list.news_items] == ["", "", "", ""]
    assert news_list.links == [i.url for i in news_list.news_items]


def test_yearless_date_on_an_item_page_uses_the_latest_news_box(records):
    url = canonicalize("http://inno.baltmet.org/pub/index.php?id=12&gid=2&lid=97")
    assert str(records[url].news_items[0].date) == "2007-11-13"

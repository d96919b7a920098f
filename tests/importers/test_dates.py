"""Dates in news prose; yearless dates resolved from neighbours."""

from __future__ import annotations

import datetime

import pytest

from importers.extract.dates import find_dates, on_or_after, on_or_before
from importers.extract.news import NewsDraft, date_items, date_single_item, item_draft, merge_news
from importers.extract.places import find_location
from importers.plan import NO_TEXT_WARNING, Plan
from importers.records import Kind, NewsItemRecord, PageRecord

d = datetime.date


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("Open Days in Brussels on 9th October 2007.", d(2007, 10, 9), d(2007, 10, 9)),
        ("Seminar at Open Days in Brussels on 9 October 2007", d(2007, 10, 9), d(2007, 10, 9)),
        ("Workshops in St. Petersburg, 13-15 June 2007", d(2007, 6, 13), d(2007, 6, 15)),
        ("April 4-5, 2007", d(2007, 4, 4), d(2007, 4, 5)),
        ("13 June 2007 – 15 June 2007", d(2007, 6, 13), d(2007, 6, 15)),
        ("June 13, 2007", d(2007, 6, 13), d(2007, 6, 13)),
        ("30 June - 2 July 2007", d(2007, 6, 30), d(2007, 7, 2)),
        ("June 30 – July 2, 2007", d(2007, 6, 30), d(2007, 7, 2)),
        ("29 December 2006 - 2 January 2007", d(2006, 12, 29), d(2007, 1, 2)),
        ("on 13.11.2007 in Berlin", d(2007, 11, 13), d(2007, 11, 13)),
        ("on the 1st of March, 2006", d(2006, 3, 1), d(2006, 3, 1)),
    ],
)
def test_dates_with_year(text, start, end):
    (mention,) = find_dates(text)
    assert mention.resolve() == (start, end)


@pytest.mark.parametrize(
    "text,month,first_day,last_day",
    [
        ("On November 13th BaltMet Inno WP 3", 11, 13, 13),
        ("From 13 - 15 June, the City", 6, 13, 15),
        ("on 4th and 5th of April", 4, 4, 5),
        ("April 4 and 5 in Riga", 4, 4, 5),
    ],
)
def test_dates_without_year(text, month, first_day, last_day):
    (mention,) = find_dates(text)
    assert not mention.has_year
    assert mention.resolve() is None
    assert mention.resolve(2006) == (d(2006, month, first_day), d(2006, month, last_day))


@pytest.mark.parametrize(
    "text",
    [
        "Milestone 5 (January - June 2007) in Warsaw (1/2007)",
        "4 workshops in May 2007",
        "31 February 2007",
        "WP 3 conference",
        "the 2007 report, page 13",
    ],
)
def test_no_date(text):
    assert find_dates(text) == []


def test_on_or_after_and_before():
    assert on_or_after(11, 13, d(2007, 10, 9)) == d(2007, 11, 13)
    assert on_or_after(3, 1, d(2007, 10, 9)) == d(2008, 3, 1)
    assert on_or_after(10, 9, d(2007, 10, 9)) == d(2007, 10, 9)
    assert on_or_after(2, 29, d(2005, 3, 1)) == d(2008, 2, 29)
    assert on_or_before(12, 20, d(2006, 10, 9)) == d(2005, 12, 20)


def _drafts(*items):
    return [NewsDraft(f"u{i}", title, summary) for i, (title, summary) in enumerate(items)]


def test_yearless_date_takes_the_first_matching_day_after_the_item_below():
    records = date_items(
        _drafts(
            ("Final event conference", "On November 13th it took place in Berlin"),
            ("Seminar on 9th October 2007", ""),
        )
    )
    assert records[0].date == d(2007, 11, 13)
    assert records[0].warnings == []


def test_yearless_date_wraps_into_the_next_year():
    records = date_items(
        _drafts(("Meeting", "On 4th and 5th of April"), ("Kick-off 9 October 2006", ""))
    )
    assert (records[0].event_start, records[0].event_end) == (d(2007, 4, 4), d(2007, 4, 5))


def test_year_from_the_items_own_text_wins_over_neighbours():
    records = date_items(
        _drafts(
            ("Workshops, 13-15 June 2007", "From 13 - 15 June, the City hosted"),
            ("Other 1 May 2001", ""),
        )
    )
    assert (records[0].event_start, records[0].event_end) == (d(2007, 6, 13), d(2007, 6, 15))


def test_yearless_date_with_no_neighbours_is_not_guessed():
    (record,) = date_items(_drafts(("Meeting", "On November 13th")))
    assert record.date is None
    assert "no year" in record.warnings[0]


def test_inconsistent_neighbours_give_no_date():
    # the first 13 November after the older item is later than the newer item
    records = date_items(
        _drafts(
            ("New 1 March 2007", ""), ("Meeting", "On November 13th"), ("Old 9 December 2006", "")
        )
    )
    assert records[1].date is None and records[1].warnings


@pytest.mark.parametrize(
    "texts,city",
    [
        (
            ("Final event", "hosted by TSB Innovationsagentur Berlin GmbH took place in Berlin"),
            "Berlin",
        ),
        (("Open Days in Brussels on 9th October 2007.", ""), "Brussels"),
        (("Workshops in St. Petersburg", "the City of St. Petersburg hosted"), "St. Petersburg"),
        (("Visits", "field visits to Helsinki, Stockholm and Oslo took place in Riga"), "Riga"),
        (("Meeting in Malmo", ""), "Malmö"),
        (("Website launched", "The new website is online."), ""),
    ],
)
def test_find_location(texts, city):
    assert find_location(*texts) == city


def test_merge_news_rule():
    listed = NewsItemRecord(
        "u",
        "Title",
        summary="Teaser",
        date=d(2007, 11, 13),
        event_start=d(2007, 11, 13),
        event_end=d(2007, 11, 13),
        location="Berlin",
    )
    page = NewsItemRecord(
        "u",
        "Title",
        summary="First paragraph",
        body="<p>Body</p>",
        warnings=["date 'November 13th' in news item 'Title' has no year"],
    )
    merged = merge_news(listed, page)
    assert (merged.summary, merged.body, merged.date, merged.location) == (
        "Teaser",
        "<p>Body</p>",
        d(2007, 11, 13),
        "Berlin",
    )
    assert merged.warnings == []
    empty_teaser = merge_news(NewsItemRecord("u", "Title"), page)
    assert empty_teaser.summary == "First paragraph"
    assert merge_news(None, page) is page


def test_an_item_page_hands_on_its_body_text_for_the_plan():
    """The plan judges "no text" by what extraction read: a body of a list alone has text."""
    with_list = date_single_item(
        item_draft("http://x/n", "Meeting", "<ul><li>Agenda, 13 November 2007</li></ul>"), [])
    assert (with_list.summary, with_list.body_text) == ("", "Agenda, 13 November 2007")
    empty = date_single_item(item_draft("http://x/e", "Empty", "<ul><li> </li></ul>"), [])
    plan = Plan()
    for item in (with_list, empty):
        plan.add(PageRecord(item.url, Kind.NEWS, item.title, body=item.body, news_items=[item]))
    warned = {page.url: NO_TEXT_WARNING in page.warnings for page in plan.ordered()}
    assert warned == {"http://x/n": False, "http://x/e": True}


def test_a_teaser_never_repeats_its_body():
    from importers.extract.news import TEASER_LENGTH, distinct_teaser

    long_body = "word " * 60
    teaser = distinct_teaser(long_body, " ".join(long_body.split()))
    assert teaser.endswith(" …") and len(teaser) <= TEASER_LENGTH + 2
    assert long_body.startswith(teaser.removesuffix(" …"))
    assert distinct_teaser("Short and the same.", "Short  and the same.") == ""
    assert distinct_teaser("The list's own teaser.", "The body.") == "The list's own teaser."

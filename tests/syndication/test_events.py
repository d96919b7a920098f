"""Events in every format, and the events calendar (/feeds/events.ics):
parsed back by icalendar and by vobject, an independent parser."""

import datetime
import json

import icalendar
import pytest
import vobject
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import Milestone, NewsPage, WorkPackagePage
from tests.syndication.conftest import FEED_URLS
from tests.syndication.feedxml import NS, xml

ICS = "/feeds/events.ics"
LINE = "<p><strong>Event:</strong> 13–15 June 2024, St. Petersburg</p>"


@pytest.fixture
def workshop(make_news):
    return make_news(
        "Workshops", day=10, summary="Three days of work.", body="<p>Body</p>",
        event_start=datetime.date(2024, 6, 13), event_end=datetime.date(2024, 6, 15),
        location="St. Petersburg",
    )


def test_events_lead_their_content_in_every_format(client, workshop, make_news):
    make_news("Plain news", day=11, body="<p>Nothing on</p>")
    rss = xml(client.get(FEED_URLS["rss"]))
    plain, event = rss.iterfind(".//item", NS)
    assert event.findtext("content:encoded", None, NS) == LINE + "<p>Body</p>"
    assert "Event:" not in "".join(plain.itertext())
    atom = xml(client.get(FEED_URLS["atom"]))
    assert [el.text for el in atom.iterfind(".//atom:content", NS)][1] == LINE + "<p>Body</p>"
    items = json.loads(client.get(FEED_URLS["json"]).content)["items"]
    assert items[1]["content_html"].startswith(LINE)
    assert items[1]["_event"] == {
        "start": "2024-06-13", "end": "2024-06-15", "location": "St. Petersburg",
    }
    assert "_event" not in items[0]


@pytest.mark.parametrize(
    ("start", "end", "location", "line"),
    [
        ((2024, 6, 13), None, "", "13 June 2024"),
        ((2024, 6, 30), (2024, 7, 2), "Riga", "30 June – 2 July 2024, Riga"),
        ((2024, 12, 30), (2025, 1, 2), "", "30 December 2024 – 2 January 2025"),
    ],
)
def test_event_lines(client, make_news, start, end, location, line):
    make_news(
        "Event", event_start=datetime.date(*start),
        event_end=datetime.date(*end) if end else None, location=location,
    )
    item = json.loads(client.get(FEED_URLS["json"]).content)["items"][0]
    assert item["content_html"].startswith(f"<p><strong>Event:</strong> {line}</p>")


def test_summary_only_feeds_still_carry_the_event(client, workshop, tree):
    from tests.syndication.conftest import set_feed_settings

    set_feed_settings(tree, full_text=False)
    entry = xml(client.get(FEED_URLS["atom"])).find("atom:entry", NS)
    assert entry.find("atom:content", NS).text == LINE
    assert entry.find("atom:summary", NS).text == "Three days of work."


def test_every_atom_entry_has_a_summary_or_content(client, make_news):
    make_news("Title only")
    entry = xml(client.get(FEED_URLS["atom"])).find("atom:entry", NS)
    texts = [entry.findtext("atom:summary", None, NS), entry.findtext("atom:content", None, NS)]
    assert any(text and text.strip() for text in texts)


def calendar(client, query=""):
    response = client.get(ICS + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def test_calendar_parses_with_two_independent_parsers(client, workshop):
    body = calendar(client).content
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(2024, 6, 13)
    assert event.decoded("dtend") == datetime.date(2024, 6, 16)  # exclusive
    assert str(event["summary"]) == "Workshops"
    assert str(event["location"]) == "St. Petersburg"
    assert str(event["url"]) == workshop.get_full_url() == "http://localhost/news/workshops/"
    assert str(event["uid"]) == f"tag:baltmet-inno,2025:news/{workshop.pk}"
    assert event.decoded("last-modified") == workshop.last_published_at.replace(microsecond=0)
    assert str(event["description"]) == "Three days of work."

    parsed = vobject.readOne(body.decode())
    [vevent] = parsed.vevent_list
    assert vevent.dtstart.value == datetime.date(2024, 6, 13)
    assert vevent.dtend.value == datetime.date(2024, 6, 16)
    assert vevent.summary.value == "Workshops"
    assert vevent.location.value == "St. Petersburg"
    assert vevent.uid.value == f"tag:baltmet-inno,2025:news/{workshop.pk}"
    assert parsed.prodid.value and parsed.version.value == "2.0"


def test_uids_survive_title_and_slug_edits(client, workshop, committed):
    before = icalendar.Calendar.from_ical(calendar(client).content).walk("VEVENT")[0]["uid"]
    workshop.title, workshop.slug = "Workshops (moved)", "workshops-moved"
    with committed():
        workshop.save_revision().publish()
    [event] = icalendar.Calendar.from_ical(calendar(client).content).walk("VEVENT")
    assert str(event["summary"]) == "Workshops (moved)"
    assert str(event["url"]).endswith("/news/workshops-moved/")
    assert event["uid"] == before


def hide(page, how, tree):
    if how == "unpublished":
        page.unpublish()
    elif how == "private":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif how == "groups":
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.create(name="Partners"))
    elif how == "expired":
        day = datetime.timedelta(days=1)
        NewsPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - day)
    elif how == "scheduled":
        day = datetime.timedelta(days=1)
        NewsPage.objects.filter(pk=page.pk).update(go_live_at=timezone.now() + day)


@pytest.mark.parametrize("how", ["unpublished", "private", "groups", "expired", "scheduled"])
def test_events_of_non_public_news_never_appear(client, workshop, make_news, tree, how):
    hidden = make_news(
        "Secret summit", day=2, event_start=datetime.date(2024, 7, 1), location="Bunker"
    )
    hide(hidden, how, tree)
    body = calendar(client).content
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert summaries == ["Workshops"]
    assert b"Secret" not in body and b"Bunker" not in body


def test_draft_events_never_appear(client, workshop, tree):
    draft = NewsPage(title="Draft summit", event_start=datetime.date(2024, 7, 1), live=False)
    tree.news.add_child(instance=draft)
    draft.save_revision()
    assert b"Draft summit" not in calendar(client).content


@pytest.fixture
def milestones(tree, publish):
    package = WorkPackagePage(title="Work Package 2", number=2)
    package.milestones = [
        Milestone(
            number=1, period_start=datetime.date(2005, 1, 1), period_end=datetime.date(2005, 6, 1),
            description="<p>Information <b>gathered</b>.</p>",
        ),
        Milestone(number=2, period_start=datetime.date(2005, 12, 1)),
        Milestone(number=3, description="<p>No period.</p>"),
    ]
    return publish(tree.work_packages, package)


def test_milestones_are_periods_only_when_asked(client, workshop, milestones):
    assert len(icalendar.Calendar.from_ical(calendar(client).content).walk("VEVENT")) == 1
    body = calendar(client, "?milestones=1").content
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    periods = {str(e["summary"]): (e.decoded("dtstart"), e.decoded("dtend")) for e in events}
    assert periods == {
        "Workshops": (datetime.date(2024, 6, 13), datetime.date(2024, 6, 16)),
        "Work Package 2: Milestone 1": (datetime.date(2005, 1, 1), datetime.date(2005, 7, 1)),
        "Work Package 2: Milestone 2": (datetime.date(2005, 12, 1), datetime.date(2006, 1, 1)),
    }
    first = next(e for e in events if str(e["summary"]).endswith("Milestone 1"))
    assert str(first["description"]) == "Information gathered."
    assert str(first["url"]) == milestones.get_full_url()
    assert [v.summary.value for v in vobject.readOne(body.decode()).vevent_list][1:] == [
        "Work Package 2: Milestone 1", "Work Package 2: Milestone 2",
    ]


def test_milestones_of_unpublished_work_packages_never_appear(client, milestones, committed):
    with committed():
        milestones.unpublish()
    assert b"Milestone" not in calendar(client, "?milestones=1").content


def test_calendar_caching_etag_304_and_invalidation(client, workshop, make_news):
    first = calendar(client)
    etag = first["ETag"]
    assert client.get(ICS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert calendar(client).content == first.content
    make_news("Summer school", day=20, event_start=datetime.date(2024, 8, 1))
    changed = client.get(ICS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert b"Summer school" in changed.content


def test_the_feeds_page_lists_the_site_every_format_the_calendar_and_tag_feeds(
    client, make_news, tree
):
    site = tree.home.get_site()
    site.site_name = "BaltMet Inno"
    site.save()
    make_news("Item", tags=["Smart Cities"])
    html = client.get("/feeds/").content.decode()
    assert "News feeds of BaltMet Inno" in html
    assert "localhost" not in html.split("<main")[1].split("<code>")[0]
    for url in (
        "http://testserver/feeds/news.rss", "http://testserver/feeds/news.atom",
        "http://testserver/feeds/news.json", "http://testserver/feeds/events.ics",
        "http://testserver/feeds/events.ics?milestones=1",
        "http://testserver/feeds/news.rss?tag=smart-cities",
        "http://testserver/feeds/news.atom?tag=smart-cities",
        "http://testserver/feeds/news.json?tag=smart-cities",
    ):
        assert f'href="{url}"' in html, url
    assert "Smart Cities" in html
    assert "<style>" in html and "http" not in html.split("<style>")[1].split("</style>")[0]

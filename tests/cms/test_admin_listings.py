"""The admin's news and work-package listings, and the project's dashboard panels."""

import datetime
import re

import pytest
import time_machine
from django.apps import apps

from cms.models import Milestone, NewsPage, WorkPackagePage

NEWS = "/admin/news_listing/"
WORK_PACKAGES = "/admin/work_package_listing/"


def rows(response):
    """The listing's table rows as plain text, in order."""
    body = response.content.decode()
    body = body[body.index('<table class="listing'):]
    table = body[body.index("<tbody"):body.index("</tbody>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in table.split("<tr")[1:]]


def titles(response, candidates):
    return [next(t for t in candidates if t in row) for row in rows(response)
            if any(t in row for t in candidates)]


@pytest.fixture
def news(make_news, admin_user):
    kick_off = make_news("Kick-off in Riga", day=3, location="Riga",
                         event_start=datetime.date(2007, 6, 3),
                         event_end=datetime.date(2007, 6, 4))
    kick_off.tags.add("meetings")
    kick_off.save_revision().publish()
    imported = make_news("Seminar in Brussels", day=20,
                         legacy_url="http://inno.baltmet.org/pub/index.php?id=12&lid=95")
    # An editor's revision alone does not make a page "edited since the import": that is
    # the importer's rule (tests/importers/test_edited_since_import.py), and it holds no
    # import of this page. cms alone knows only the legacy URL.
    revised = make_news("Workshop in St. Petersburg", day=10,
                        legacy_url="http://inno.baltmet.org/pub/index.php?id=12&lid=93")
    revised.location = "St. Petersburg"
    revised.save_revision(user=admin_user).publish(user=admin_user)
    return {"kick_off": kick_off, "imported": imported, "revised": revised}


ALL = ["Kick-off in Riga", "Seminar in Brussels", "Workshop in St. Petersburg"]


@pytest.mark.django_db
def test_news_listing_is_newest_first_with_the_news_columns(news, admin_client):
    response = admin_client.get(NEWS)
    assert response.status_code == 200
    assert titles(response, ALL) == ["Seminar in Brussels", "Workshop in St. Petersburg",
                                     "Kick-off in Riga"]
    [riga] = [row for row in rows(response) if "Kick-off in Riga" in row]
    assert "2007-06-03 – 2007-06-04" in riga and "Riga" in riga and "meetings" in riga
    assert "Written in Wagtail" in riga and "Live" in riga.title()
    [brussels] = [row for row in rows(response) if "Seminar in Brussels" in row]
    assert "Imported" in brussels and "edited" not in brussels and "2007-06-20" in brussels
    [petersburg] = [row for row in rows(response) if "Workshop in St. Petersburg" in row]
    assert "Imported" in petersburg and "edited" not in petersburg


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ({"origin": "imported"}, ["Seminar in Brussels", "Workshop in St. Petersburg"]),
    ({"origin": "wagtail"}, ["Kick-off in Riga"]),
    ({"date_from": "2007-06-05", "date_to": "2007-06-15"}, ["Workshop in St. Petersburg"]),
])
def test_news_listing_filters(news, admin_client, query, expected):
    assert titles(admin_client.get(NEWS, query), ALL) == expected


@pytest.mark.django_db
def test_the_edited_choice_is_offered_only_when_an_importer_tells(news, admin_client):
    body = admin_client.get(NEWS).content.decode()
    assert 'value="imported"' in body and 'value="wagtail"' in body
    assert ('value="edited"' in body) == apps.is_installed("importers")


@pytest.mark.django_db
def test_news_listing_filters_by_tag(news, admin_client):
    tag = news["kick_off"].tags.get()
    assert titles(admin_client.get(NEWS, {"tag": tag.pk}), ALL) == ["Kick-off in Riga"]


@pytest.mark.django_db
def test_news_listing_costs_the_same_however_many_items(news, make_news, admin_client,
                                                        django_assert_num_queries):
    admin_client.get(NEWS)  # warm the session and the content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        admin_client.get(NEWS)
    for day in range(11, 16):
        make_news(f"More news {day}", day=day).tags.add("more")
    with django_assert_num_queries(len(three.captured_queries)):
        admin_client.get(NEWS)


@pytest.mark.django_db
def test_work_package_listing_shows_parts_milestones_and_the_current_one(tree, publish,
                                                                           admin_client):
    wp = WorkPackagePage(title="Work Package 2", number=2)
    wp.milestones = [
        Milestone(number=1, period_start=datetime.date(2007, 1, 1),
                  period_end=datetime.date(2007, 6, 1), description="Survey"),
        Milestone(number=2, period_start=datetime.date(2007, 7, 1),
                  period_end=datetime.date(2007, 12, 1), description="Strategy"),
    ]
    publish(tree.work_packages, wp)
    publish(wp, WorkPackagePage(title="Marketing Strategies"))
    with time_machine.travel(datetime.datetime(2007, 8, 15, 12, tzinfo=datetime.UTC)):
        response = admin_client.get(WORK_PACKAGES)
    assert response.status_code == 200
    # (the part's row names the package too, as its parent)
    [row] = [r for r in rows(response) if "Work Package 2" in r and "Marketing" not in r]
    # number, parts, milestones, current milestone
    assert re.search(r"\b2 1 2 Milestone 2\b", row), row


@pytest.mark.django_db
def test_dashboard_shows_news_drafts_and_next_scheduled(tree, admin_client):
    draft = NewsPage(title="Draft about the conference")
    tree.news.add_child(instance=draft)
    draft.save_revision()
    later = NewsPage(title="Published next week", live=False)
    tree.news.add_child(instance=later)
    later.go_live_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    later.save_revision().publish()
    body = admin_client.get("/admin/").content.decode()
    drafts = body[body.index('id="news-drafts-section"'):body.index('id="next-scheduled-section"')]
    assert "Draft about the conference" in drafts
    assert "Draft about the conference" not in body[body.index('id="next-scheduled-section"'):]
    scheduled = body[body.index('id="next-scheduled-section"'):]
    assert "Published next week" in scheduled


@pytest.mark.django_db
def test_a_one_day_event_is_one_date_and_news_offers_no_child_pages_filter(
    make_news, admin_client
):
    make_news("Seminar in Riga", day=13, event_start=datetime.date(2007, 11, 13),
              event_end=datetime.date(2007, 11, 13))
    make_news("Open day", day=14, event_start=datetime.date(2007, 11, 14))
    response = admin_client.get(NEWS)
    [seminar] = [row for row in rows(response) if "Seminar in Riga" in row]
    assert "2007-11-13" in seminar and "2007-11-13 – 2007-11-13" not in seminar
    [open_day] = [row for row in rows(response) if "Open day" in row]
    assert "2007-11-14" in open_day and "–" not in open_day.split("2007-11-14", 1)[1]
    assert 'name="has_child_pages"' not in response.content.decode()
    assert 'name="has_child_pages"' in admin_client.get(WORK_PACKAGES).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["number", "-number"])
def test_work_packages_by_number_are_each_followed_by_their_parts(
    tree, publish, admin_client, ordering
):
    second = publish(tree.work_packages, WorkPackagePage(title="Work Package 2", number=2))
    first = publish(tree.work_packages, WorkPackagePage(title="Work Package 1", number=1))
    publish(second, WorkPackagePage(title="Marketing Strategies"))
    publish(first, WorkPackagePage(title="Regional Survey"))
    response = admin_client.get(WORK_PACKAGES, {"ordering": ordering})
    # Parts first: a part's row names its work package in the Parent column.
    found = titles(response, ["Regional Survey", "Marketing Strategies", "Work Package 1",
                              "Work Package 2"])
    if ordering == "number":
        assert found == ["Work Package 1", "Regional Survey", "Work Package 2",
                         "Marketing Strategies"]
    else:
        assert found == ["Work Package 2", "Marketing Strategies", "Work Package 1",
                         "Regional Survey"]
    body = response.content.decode()
    assert re.search(r">\s*Parent\s*<", body)
    [part] = [row for row in rows(response) if "Marketing Strategies" in row]
    assert "Work Package 2" in part


@pytest.mark.django_db
def test_dashboard_says_scheduled_as_the_page_listing_does(tree, admin_client):
    later = NewsPage(title="Published next week", live=False)
    tree.news.add_child(instance=later)
    later.go_live_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    later.save_revision().publish()
    body = admin_client.get("/admin/").content.decode()
    drafts = body[body.index('id="news-drafts-section"'):body.index('id="next-scheduled-section"')]
    [row] = [row for row in drafts.split("<tr")[1:] if "Published next week" in row]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert "scheduled" in text and "draft" not in text
    # Wagtail's own date display, as its listings and panels use.
    assert "w-human-readable-date" in row


@pytest.mark.django_db
def test_admin_page_search_counts_pages_not_none(make_news, admin_client):
    make_news("Seminar in Riga")
    body = admin_client.get("/admin/pages/search/", {"q": "seminar"}).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "1-1 of 1 page" in text
    assert " None" not in text

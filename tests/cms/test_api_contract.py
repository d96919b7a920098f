"""The headless API's names and shapes, field by field: frontends depend on them."""

import datetime

import pytest
from django.apps import apps
from wagtail.models import Page

from cms.models import Milestone, NewsPage, WorkPackagePage


def listing(client, **params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def news(make_news, work_package):
    page = make_news(
        "Workshops in St. Petersburg",
        day=13,
        summary="From 13 - 15 June, the City of St. Petersburg hosted workshops.",
        body=f'<p>See <a linktype="page" id="{work_package.pk}">Work Package 2</a>.</p>',
        event_start=datetime.date(2007, 6, 13),
        event_end=datetime.date(2007, 6, 15),
        location="St. Petersburg",
        legacy_url="http://inno.baltmet.org/pub/index.php?id=12&gid=2&lid=93",
    )
    page.tags.add("workshops", "St. Petersburg")
    page.save_revision().publish()
    return page


def test_news_listing_fields(client, news, work_package):
    [item] = listing(client, type="cms.NewsPage", fields="*")
    assert item["title"] == "Workshops in St. Petersburg"
    assert item["date"] == "2007-06-13"
    assert item["summary"].startswith("From 13 - 15 June")
    assert item["event_start"] == "2007-06-13"
    assert item["event_end"] == "2007-06-15"
    assert item["location"] == "St. Petersburg"
    assert sorted(item["tags"]) == ["St. Petersburg", "workshops"]
    assert item["legacy_url"] == "http://inno.baltmet.org/pub/index.php?id=12&gid=2&lid=93"
    # Rich text is ready HTML with real URLs, never Wagtail's internal format.
    assert item["body"] == f'<p>See <a href="{work_package.url}">Work Package 2</a>.</p>'
    assert "linktype" not in item["body"]


def test_news_without_event_or_legacy_url(client, make_news):
    make_news("Plain news")
    [item] = listing(client, type="cms.NewsPage", fields="*")
    assert item["event_start"] is None
    assert item["event_end"] is None
    assert item["legacy_url"] == ""
    assert item["location"] == ""
    assert item["tags"] == []


def test_news_newest_first(client, make_news):
    for day in (3, 20, 9):
        make_news(f"Day {day}", day=day)
    items = listing(client, type="cms.NewsPage", fields="date", order="-date")
    assert [item["date"] for item in items] == ["2007-06-20", "2007-06-09", "2007-06-03"]


def test_work_package_fields_and_milestones(client, work_package):
    work_package.intro = "<p>Activities started later.</p>"
    work_package.status = "Actual implementation of actions is delayed."
    work_package.legacy_url = "http://inno.baltmet.org/pub/index.php?id=208"
    work_package.milestones = [
        Milestone(
            number=1,
            period_start=datetime.date(2005, 1, 1),
            period_end=datetime.date(2005, 6, 1),
            description="<p>Information is gathered.</p>",
        ),
        Milestone(number=2, description="<p>No period given.</p>"),
    ]
    work_package.save_revision().publish()

    [item] = listing(client, type="cms.WorkPackagePage", fields="*")
    assert item["number"] == 2
    assert item["intro"] == "<p>Activities started later.</p>"
    assert item["status"] == "Actual implementation of actions is delayed."
    assert item["body"] == ""
    assert item["legacy_url"] == "http://inno.baltmet.org/pub/index.php?id=208"
    first, second = item["milestones"]
    period = (first["period_start"], first["period_end"])
    assert (first["number"], period) == (1, ("2005-01", "2005-06"))
    assert first["description"] == "<p>Information is gathered.</p>"
    assert (second["number"], second["period_start"], second["period_end"]) == (2, None, None)


def test_parts_belong_to_their_work_package(client, work_package, publish):
    part = publish(work_package, WorkPackagePage(title="Marketing Strategies"))
    items = listing(client, type="cms.WorkPackagePage", fields="number", child_of=work_package.pk)
    assert [(item["id"], item["number"]) for item in items] == [(part.pk, None)]

    detail = client.get(f"/api/v2/pages/{part.pk}/").json()
    assert detail["meta"]["parent"]["id"] == work_package.pk
    assert detail["milestones"] == []


def test_standard_page_fields(client, standard_page):
    [item] = listing(client, type="cms.StandardPage", fields="*")
    assert item["body"] == "<p>Capital of Latvia.</p>"
    assert item["legacy_url"] == ""


def test_news_index_advertises_feeds_only_with_the_feeds_app(client, tree):
    [item] = listing(client, type="cms.NewsIndexPage", fields="feeds")
    if apps.is_installed("syndication"):
        assert set(item["feeds"]) == {"rss", "atom", "json", "ics"}
    else:  # cms on its own (tests.settings_cms_only)
        assert item["feeds"] == {}


def test_frontend_base_url_moves_public_urls(client, news, settings):
    settings.WAGTAIL_FRONTEND_BASE_URL = "https://www.example.org"
    [item] = listing(client, type="cms.NewsPage", fields="*")
    assert item["meta"]["html_url"] == "https://www.example.org/news/workshops-in-st-petersburg/"


def test_other_endpoints_answer(client, tree):
    for endpoint in ("images", "documents", "redirects"):
        response = client.get(f"/api/v2/{endpoint}/")
        assert response.status_code == 200, endpoint
        assert "items" in response.json()


def test_v3_is_public_to_read_and_documented(client, news):
    response = client.get("/api/v3/pages/", {"type": "cms.NewsPage"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [news.pk]
    detail = client.get(f"/api/v3/pages/{news.pk}/").json()
    assert detail["date"] == "2007-06-13"
    assert "linktype" not in detail["body"]

    schema = client.get("/api/v3/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"]
    assert client.get("/api/v3/docs/").status_code == 200


def test_v3_writing_needs_a_token(client, tree):
    before = Page.objects.count()
    response = client.post(
        "/api/v3/pages/",
        {"meta": {"type": "cms.NewsPage", "parent_id": tree.news.pk}, "title": "Sneaky"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert Page.objects.count() == before
    assert not NewsPage.objects.filter(title="Sneaky").exists()


def test_v3_writes_with_an_editors_token(client, news, django_user_model):
    from wagtail.models import APIToken

    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    _token, plaintext = APIToken.create_token(user=editor, name="frontend")
    response = client.patch(
        f"/api/v3/pages/{news.pk}/",
        {"title": "Renamed by the API"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status_code == 200, response.content
    news.refresh_from_db()
    assert news.get_latest_revision_as_object().title == "Renamed by the API"


def test_cors_lets_the_frontend_read_the_api(client, tree, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    response = client.get("/api/v2/pages/", headers={"Origin": "https://www.example.org"})
    assert response["Access-Control-Allow-Origin"] == "https://www.example.org"
    response = client.get("/api/v2/pages/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_a_news_index_whose_site_is_gone_advertises_no_feeds(tree):
    """Wagtail's cached site root paths can still name a Site deleted a moment
    ago (an editor's API run deleted one between two requests): the index then
    belongs to no site and has no feeds, rather than failing its response."""
    from django.db import connection
    from wagtail.models import Site

    site = Site.objects.get(root_page=tree.home)
    Site.get_site_root_paths()  # cached, as every request does
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Site._meta.db_table} WHERE id = %s", [site.pk])
    assert tree.news.feeds == {}


@pytest.mark.parametrize("rich_text_format", [None, "html", "db_html"])
def test_rich_text_comes_without_the_editors_block_keys(client, make_news, rich_text_format):
    """Draftail stores a key on every block; the feeds drop it, so does the API."""
    make_news("Written in the admin",
              body='<p data-block-key="x1a2b">One.</p><h2 data-block-key="9zz">Two</h2>')
    params = {"type": "cms.NewsPage", "fields": "body"}
    if rich_text_format:
        params["rich_text_format"] = rich_text_format
    [item] = listing(client, **params)
    assert item["body"] == "<p>One.</p><h2>Two</h2>"

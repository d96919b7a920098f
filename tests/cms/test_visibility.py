"""Only live, public pages within their schedule reach the API, in every view."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import StandardPage

HIDDEN = [
    "draft",
    "unpublished",
    "private",
    "password",
    "groups",
    "expired",
    "scheduled",
    "live_but_scheduled",
]


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def pages(hidden_news, make_news):
    visible = make_news("Visible item")
    return visible, hidden_news


@pytest.mark.parametrize("api", ["v2", "v3"])
@pytest.mark.parametrize("params", [{}, {"type": "cms.NewsPage"}, {"search": "item"}])
def test_listings_show_only_public_pages(client, pages, api, params):
    visible, hidden = pages
    if api == "v3" and "search" in params:
        params = {"search": "item"}
    listed = ids(client.get(f"/api/{api}/pages/", params))
    assert visible.pk in listed
    for name, page in hidden.items():
        assert page.pk not in listed, name


@pytest.mark.parametrize("api", ["v2", "v3"])
def test_child_listing_hides_non_public_pages(client, pages, tree, api):
    visible, hidden = pages
    listed = ids(client.get(f"/api/{api}/pages/", {"child_of": tree.news.pk}))
    assert visible.pk in listed
    assert listed.isdisjoint(page.pk for page in hidden.values())


@pytest.mark.parametrize("name", HIDDEN)
@pytest.mark.parametrize("api", ["v2", "v3"])
def test_detail_of_a_hidden_page_is_not_found(client, pages, api, name):
    visible, hidden = pages
    assert client.get(f"/api/{api}/pages/{visible.pk}/").status_code == 200
    assert client.get(f"/api/{api}/pages/{hidden[name].pk}/").status_code == 404


@pytest.mark.parametrize("name", HIDDEN)
@pytest.mark.parametrize("api", ["v2", "v3"])
def test_find_does_not_reveal_hidden_pages(client, pages, api, name):
    visible, hidden = pages
    page = hidden[name]
    found = client.get(f"/api/{api}/pages/find/", {"html_path": visible.url})
    assert found.status_code == 302
    for query in ({"id": page.pk}, {"html_path": f"/news/{page.slug}/"}):
        assert client.get(f"/api/{api}/pages/find/", query).status_code == 404, query


def test_descendants_of_a_restricted_page_stay_hidden(client, tree, publish):
    members = publish(tree.home, StandardPage(title="Members"))
    minutes = publish(members, StandardPage(title="Minutes"))
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    for api in ("v2", "v3"):
        listed = ids(client.get(f"/api/{api}/pages/", {"type": "cms.StandardPage"}))
        assert listed.isdisjoint({members.pk, minutes.pk}), api
        assert client.get(f"/api/{api}/pages/{minutes.pk}/").status_code == 404


def test_expiry_takes_effect_without_the_scheduler(client, make_news):
    """An expired page disappears at once, not when publish_scheduled next runs."""
    import datetime

    page = make_news("Soon gone")
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 200
    page.expire_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    page.save()
    assert page.live
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{page.pk}/").status_code == 404

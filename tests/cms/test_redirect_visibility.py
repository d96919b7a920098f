"""Redirects never reveal a page the public cannot see: not the legacy URL, not the API."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

#: The states of ``hidden_news`` (see conftest).
HIDDEN = [
    "draft", "unpublished", "private", "password", "groups", "expired", "scheduled",
    "live_but_scheduled",
]


@pytest.fixture
def redirects(hidden_news, make_news, tree, publish):
    """A legacy path per page: one public, one for each hidden state, one under a private parent."""
    members = publish(tree.home, StandardPage(title="Members"))
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    targets = {
        "public": make_news("Visible item"),
        **hidden_news,
        "under_private_parent": publish(members, StandardPage(title="Minutes of the board")),
    }
    return {
        name: Redirect.objects.create(
            old_path=Redirect.normalise_path(f"/pub/index.php?id={number}"), redirect_page=page
        )
        for number, (name, page) in enumerate(targets.items(), start=100)
    }


HIDDEN_STATES = [*HIDDEN, "under_private_parent"]


def legacy(client, redirect, extra=""):
    path, _, query = redirect.old_path.partition("?")
    return client.get(path + "?" + query + extra)


@pytest.mark.parametrize("name", HIDDEN_STATES)
def test_the_legacy_url_of_a_hidden_page_is_not_found(client, redirects, name):
    public = legacy(client, redirects["public"])
    assert public.status_code == 301 and public["Location"].endswith("/visible-item/")
    hidden = legacy(client, redirects[name])
    assert hidden.status_code == 404
    assert "Location" not in hidden
    page = redirects[name].redirect_page
    assert page.slug.encode() not in hidden.content
    with_session = legacy(client, redirects[name], "&PHPSESSID=abc123&utm_source=x")
    assert with_session.status_code == 404
    assert "Location" not in with_session


def test_the_legacy_url_works_once_the_page_is_public(client, redirects):
    page = redirects["unpublished"].redirect_page
    assert legacy(client, redirects["unpublished"]).status_code == 404
    page.save_revision().publish()
    assert legacy(client, redirects["unpublished"]).status_code == 301


def listed_paths(response):
    assert response.status_code == 200, response.content
    body = response.json()
    return {item["old_path"] for item in body.get("items", [])}


@pytest.mark.parametrize("api", ["v2", "v3"])
def test_the_api_lists_only_redirects_to_public_pages(client, redirects, api):
    paths = listed_paths(client.get(f"/api/{api}/redirects/", {"limit": 50}))
    assert redirects["public"].old_path in paths
    for name in HIDDEN_STATES:
        assert redirects[name].old_path not in paths, name


@pytest.mark.parametrize("name", HIDDEN_STATES)
@pytest.mark.parametrize("api", ["v2", "v3"])
def test_find_and_detail_do_not_reveal_hidden_pages(client, redirects, api, name):
    public, hidden = redirects["public"], redirects[name]
    assert client.get(f"/api/{api}/redirects/{public.pk}/").status_code == 200
    assert client.get(f"/api/{api}/redirects/find/",
                      {"html_path": public.old_path}).status_code == 302
    assert client.get(f"/api/{api}/redirects/{hidden.pk}/").status_code == 404
    for query in ({"html_path": hidden.old_path}, {"id": hidden.pk}):
        assert client.get(f"/api/{api}/redirects/find/", query).status_code == 404, query


def test_a_redirect_to_a_url_is_listed(client):
    Redirect.objects.create(old_path="/old", redirect_link="https://www.example.org/")
    for api in ("v2", "v3"):
        assert "/old" in listed_paths(client.get(f"/api/{api}/redirects/"))

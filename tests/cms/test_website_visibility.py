"""The website shows exactly what the API shows: no state of a page leaks
through a status code, a listing or a body."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cms.models import NewsPage

NOT_FOUND = ["draft", "unpublished", "expired", "scheduled", "live_but_scheduled"]
LOGIN = ["private", "groups"]


@pytest.fixture
def pages(hidden_news, make_news):
    for page in hidden_news.values():
        page.body = f"<p>Secret body of {page.title}</p>"
        page.save()
    return make_news("Visible item"), hidden_news


def without(content, path):
    return content.replace(path.encode(), b"PATH")


@pytest.mark.parametrize("name", NOT_FOUND)
def test_hidden_pages_are_not_found_exactly_like_missing_ones(client, pages, name):
    _visible, hidden = pages
    page = hidden[name]
    response = client.get(page.url)
    assert response.status_code == 404
    missing = client.get(page.url + "missing/")
    assert missing.status_code == 404
    # The same body as for a page that never existed, apart from the address.
    assert without(response.content, page.url) == without(missing.content, page.url + "missing/")
    assert page.title.encode() not in response.content


@pytest.mark.parametrize("name", LOGIN)
def test_restricted_pages_ask_to_log_in(client, pages, name):
    _visible, hidden = pages
    response = client.get(hidden[name].url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login") + "?next=")
    login = client.get(response["Location"])
    assert login.status_code == 200 and b'type="password"' in login.content
    assert b"Secret body" not in response.content + login.content


def test_password_pages_ask_for_the_password_and_show_nothing_else(client, pages):
    _visible, hidden = pages
    page = hidden["password"]
    response = client.get(page.url)
    assert response.status_code == 200
    assert b'type="password"' in response.content
    assert b"Secret body" not in response.content
    assert page.title.encode() not in response.content


def test_a_logged_in_member_of_the_group_reads_the_page(client, pages, django_user_model):
    from django.contrib.auth.models import Group

    _visible, hidden = pages
    user = django_user_model.objects.create_user("partner", password="pw")
    user.groups.add(Group.objects.get(name="Partners"))
    client.force_login(user)
    response = client.get(hidden["groups"].url)
    assert response.status_code == 200
    assert b"Secret body of Group item" in response.content


@pytest.mark.parametrize("where", ["home", "news"])
def test_listings_link_only_to_visible_pages(client, tree, pages, where):
    visible, hidden = pages
    index = {"home": tree.home, "news": tree.news}[where]
    content = client.get(index.url).content.decode()
    assert visible.title in content
    for name, page in hidden.items():
        assert page.title not in content, name
        assert page.url not in content, name


def test_a_page_expiring_later_disappears_at_its_time(client, make_news):
    page = make_news("Expiring item")
    page.expire_at = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    page.save()
    assert client.get(page.url).status_code == 200
    with time_machine.travel(datetime.datetime(2030, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)):
        # publish_scheduled has not run: the page is still "live" in the database.
        assert NewsPage.objects.get(pk=page.pk).live
        assert client.get(page.url).status_code == 404
        assert "Expiring item" not in client.get(page.get_parent().url).content.decode()

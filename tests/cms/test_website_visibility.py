"""What the website answers beyond ``test_visibility_policy``: Wagtail's
login form for a restricted page, and an expiry that takes effect at its time."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cms.models import NewsPage

LOGIN = ["private", "groups"]


@pytest.fixture
def pages(hidden_news, make_news):
    for page in hidden_news.values():
        page.body = f"<p>Secret body of {page.title}</p>"
        page.save()
    return make_news("Visible item"), hidden_news


@pytest.mark.parametrize("name", LOGIN)
def test_restricted_pages_ask_to_log_in(client, pages, name):
    _visible, hidden = pages
    response = client.get(hidden[name].url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login") + "?next=")
    login = client.get(response["Location"])
    assert login.status_code == 200 and b'type="password"' in login.content
    assert b"Secret body" not in response.content + login.content


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

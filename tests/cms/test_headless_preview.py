"""Headless sites: public URLs and previews go to the frontend, and a draft
reaches the frontend only through a short-lived preview token."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms import conf
from cms.models import NewsPage
from cms.site_tree import ensure_site_tree
from tests.headless_frontend import serve_frontend

FRONTEND = "https://www.example.org"


@pytest.fixture
def headless(settings):
    settings.WAGTAIL_FRONTEND_BASE_URL = FRONTEND


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def news_with_draft(make_news):
    """A published news item whose latest revision is an unpublished draft."""
    page = make_news("Published title", summary="Published summary", body="<p>Live body</p>")
    page.title = "Draft title"
    page.summary = "Draft summary"
    page.save_revision()
    return NewsPage.objects.get(pk=page.pk)


def preview_token(location):
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == FRONTEND + conf.FRONTEND_PREVIEW_PATH
    query = parse_qs(parts.query)
    assert query["content_type"] == ["cms.newspage"]
    return query["token"][0]


def test_pages_served_by_wagtail_send_visitors_to_the_frontend(client, headless, make_news):
    make_news("Kick-off")
    response = client.get("/news/kick-off/")
    assert response.status_code == 302
    assert response["Location"] == f"{FRONTEND}/news/kick-off/"


def test_a_frontend_address_that_is_wagtails_own_serves_the_templates(
    client, settings, make_news
):
    make_news("Kick-off")
    settings.WAGTAIL_FRONTEND_BASE_URL = "http://testserver"
    response = client.get("/news/kick-off/")
    assert response.status_code == 200
    assert b"<h1>Kick-off</h1>" in response.content


def test_view_live_in_the_admin_goes_to_the_frontend(editor, headless, make_news):
    page = make_news("Kick-off")
    content = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f'href="{FRONTEND}/news/kick-off/"' in content


def test_the_admin_preview_sends_the_draft_to_the_frontend_with_a_token(
    editor, client, headless, news_with_draft
):
    response = editor.get(f"/admin/pages/{news_with_draft.pk}/view_draft/")
    assert response.status_code == 302
    token = preview_token(response["Location"])

    editor.logout()  # the frontend reads the draft with the token alone
    draft = client.get("/api/v2/page_preview/", {"token": token, "content_type": "cms.newspage"})
    assert draft.status_code == 200
    data = draft.json()
    assert (data["id"], data["title"], data["summary"]) == (
        news_with_draft.pk, "Draft title", "Draft summary"
    )
    # The same shapes as the v2 contract: the same fields as the live page's detail.
    live = client.get(f"/api/v2/pages/{news_with_draft.pk}/").json()
    assert live["title"] == "Published title"
    assert data.keys() == live.keys()
    assert data["meta"].keys() == live["meta"].keys()
    assert data["meta"]["html_url"] == f"{FRONTEND}/news/published-title/"


@pytest.mark.parametrize(
    ("params", "status"),
    [({}, 404), ({"token": ""}, 404), ({"token": "nonsense"}, 404), ({"token": "x" * 5000}, 404),
     ({"token": "\x00"}, 400), ({"content_type": "cms.newspage"}, 404)],
)
def test_without_a_valid_token_there_is_no_draft(client, editor, headless, news_with_draft,
                                                 params, status):
    # A control character is a malformed request (400), like anywhere in the API.
    response = client.get("/api/v2/page_preview/", params)
    assert response.status_code == status
    assert b"Draft" not in response.content


def test_a_token_is_bound_to_its_page_type_and_cannot_be_forged(
    editor, client, headless, news_with_draft
):
    token = preview_token(editor.get(f"/admin/pages/{news_with_draft.pk}/view_draft/")["Location"])
    wrong_type = client.get("/api/v2/page_preview/", {"token": token,
                                                      "content_type": "cms.standardpage"})
    assert wrong_type.status_code == 404
    key, _, signature = token.rpartition(":")
    forged = client.get("/api/v2/page_preview/", {"token": key + ":" + signature[::-1]})
    assert forged.status_code == 404
    # The page id alone reads the live page, never the draft.
    assert client.get(f"/api/v2/pages/{news_with_draft.pk}/").json()["title"] == "Published title"


def test_a_token_expires(editor, client, headless, news_with_draft):
    token = preview_token(editor.get(f"/admin/pages/{news_with_draft.pk}/view_draft/")["Location"])
    assert client.get("/api/v2/page_preview/", {"token": token}).status_code == 200
    later = timezone.now() + datetime.timedelta(seconds=conf.preview_token_max_age() + 1)
    with time_machine.travel(later):
        assert client.get("/api/v2/page_preview/", {"token": token}).status_code == 404


def test_a_new_page_not_yet_saved_previews_on_the_frontend(editor, client, headless, tree):
    url = f"/admin/pages/add/cms/newspage/{tree.news.pk}/preview/"
    data = nested_form_data({
        "title": "Brand new item",
        "slug": "brand-new-item",
        "summary": "Not saved yet.",
        "body": rich_text("<p>Unsaved body</p>"),
        "tags": "Events, Clusters",
        "comments": inline_formset([]),
    })
    assert editor.post(url, data).json()["is_valid"] is True
    response = editor.get(url)
    assert response.status_code == 302
    token = preview_token(response["Location"])
    draft = client.get("/api/v2/page_preview/", {"token": token}).json()
    assert (draft["id"], draft["title"], draft["summary"]) == (0, "Brand new item",
                                                                "Not saved yet.")
    assert "Unsaved body" in draft["body"]
    assert draft["tags"] == ["Clusters", "Events"]
    assert not NewsPage.objects.filter(title="Brand new item").exists()


def test_without_a_frontend_the_preview_uses_the_templates(editor, news_with_draft):
    response = editor.get(f"/admin/pages/{news_with_draft.pk}/view_draft/")
    assert response.status_code == 200
    assert b"<h1>Draft title</h1>" in response.content
    assert b'link rel="canonical"' in response.content


# End to end: a frontend server on 127.0.0.1 reads the draft over HTTP.


@pytest.fixture
def frontend(live_server, settings):
    with serve_frontend(live_server.url) as base:
        settings.WAGTAIL_FRONTEND_BASE_URL = base
        yield base


@pytest.mark.django_db(transaction=True)
def test_a_frontend_renders_the_draft_with_the_token_end_to_end(
    frontend, live_server, client, django_user_model
):
    tree = ensure_site_tree()
    page = NewsPage(title="Published title", date=datetime.date(2007, 6, 1), summary="Live")
    tree.news.add_child(instance=page)
    page.save_revision().publish()
    page.title, page.summary = "Draft title", "Draft summary"
    page.save_revision()
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "p"))

    location = client.get(f"/admin/pages/{page.pk}/view_draft/")["Location"]
    assert location.startswith(f"{frontend}/preview/?")
    shown = requests.get(location, timeout=10)
    assert shown.status_code == 200
    assert "<h1>Draft title</h1>" in shown.text and "Draft summary" in shown.text

    wrong = requests.get(location.replace("token=", "token=x"), timeout=10)
    assert wrong.status_code == 404 and "Draft" not in wrong.text
    no_token = requests.get(f"{frontend}/preview/?content_type=cms.newspage", timeout=10)
    assert no_token.status_code == 404 and "Draft" not in no_token.text

    later = timezone.now() + datetime.timedelta(seconds=conf.preview_token_max_age() + 1)
    with time_machine.travel(later):
        expired = requests.get(location, timeout=10)
    assert expired.status_code == 404 and "Draft" not in expired.text
    # Readers of the API still see the published page.
    live = requests.get(f"{live_server.url}/api/v2/pages/{page.pk}/", timeout=10).json()
    assert live["title"] == "Published title"

"""The API's HTTP caching headers: what a CDN in front may cache, for how
long, keyed by what, and revalidated how. What a token or an editor sees
(drafts, restricted pages) is never marked for a shared cache."""

import pytest
from wagtail.models import APIToken

from cms.models import NewsPage

LISTING_V2 = "/api/v2/pages/?type=cms.NewsPage&fields=title"
LISTING_V3 = "/api/v3/pages/?type=cms.NewsPage"


def vary(response):
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "e@example.org", "pw")


@pytest.mark.parametrize("url", [LISTING_V2, LISTING_V3, "/api/v2/pages/{id}/"])
def test_readers_responses_are_public_for_the_configured_time(client, make_news, settings, url):
    settings.CMS_API_MAX_AGE = 120
    page = make_news("Cached")
    response = client.get(url.format(id=page.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=120"
    assert response["ETag"].strip('W/"')
    assert {"authorization", "origin"} <= vary(response)


def test_v2_varies_on_the_format_and_the_session(client, make_news):
    make_news("Item")
    assert {"accept", "cookie", "authorization"} <= vary(client.get(LISTING_V2))


@pytest.mark.parametrize("url", [LISTING_V2, LISTING_V3])
def test_revalidation_answers_304_until_the_content_changes(client, make_news, url):
    page = make_news("Before")
    etag = client.get(url)["ETag"]
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    page.title = "After"
    page.save_revision().publish()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"After" in changed.content


def test_a_tokens_view_with_drafts_is_private(client, make_news, editor):
    page = make_news("Published title")
    page.title = "Draft title"
    page.save_revision()
    _token, plaintext = APIToken.create_token(user=editor, name="frontend")
    response = client.get(
        f"/api/v3/pages/{page.pk}/?version=draft", headers={"Authorization": f"Bearer {plaintext}"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Draft title"
    assert response["Cache-Control"] == "private, no-cache"
    assert "authorization" in vary(response)


def test_a_logged_in_editors_view_is_private(client, make_news, editor):
    make_news("Item")
    client.force_login(editor)
    response = client.get(LISTING_V2)
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert response["Cache-Control"] == "private, no-cache"


def test_a_visitor_with_a_session_is_never_cached_publicly(client, tree, make_news):
    """A session may have unlocked a password-protected page: its listing
    must not be stored for other readers."""
    make_news("Item")
    client.cookies["sessionid"] = "anything"
    assert client.get(LISTING_V2)["Cache-Control"] == "private, no-cache"


def test_errors_are_not_marked_cacheable(client, tree):
    response = client.get("/api/v2/pages/?type=cms.NewsPage&unknown=1")
    assert response.status_code == 400
    assert "Cache-Control" not in response
    missing = client.get(f"/api/v2/pages/{NewsPage.objects.count() + 999}/")
    assert missing.status_code == 404
    assert "Cache-Control" not in missing


@pytest.mark.parametrize("url", [LISTING_V2, LISTING_V3, "/api/v2/pages/{id}/",
                                 "/api/v3/pages/{id}/", "/api/v2/images/", "/api/v3/documents/"])
def test_head_carries_the_validators_of_get(client, make_news, url):
    """HEAD answers with GET's headers: its ETag too, and revalidates as GET does."""
    url = url.format(id=make_news("Item").pk)
    get = client.get(url)
    head = client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    for header in ("ETag", "Cache-Control", "Content-Type"):
        assert head.get(header) == get.get(header), header
    assert head["ETag"]
    not_modified = client.head(url, headers={"If-None-Match": get["ETag"]})
    assert (not_modified.status_code, not_modified["ETag"]) == (304, get["ETag"])
    assert client.head(url, headers={"If-None-Match": '"other"'}).status_code == 200

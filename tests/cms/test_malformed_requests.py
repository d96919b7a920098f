"""Malformed requests get a 4xx with a short message, never a 500: numbers
out of range, NUL and other control characters, invalid dates, unknown ids."""

import pytest
from wagtail.models import APIToken, Page, Site

HUGE = "99999999999999999999"  # beyond 64 bits

#: (path, status): each once failed with a 500 on PostgreSQL or SQLite.
MALFORMED = [
    *[(f"/api/{v}/{e}/?offset={HUGE}", 400)
      for v in ("v2", "v3") for e in ("pages", "images", "documents", "redirects")],
    ("/api/v2/pages/?limit=" + HUGE, 400),
    ("/api/v3/pages/?limit=" + HUGE, 400),
    ("/api/v2/pages/?offset=%C2%B2", 400),
    ("/api/v3/pages/?offset=%C2%B2", 400),
    *[(f"/api/{v}/pages/?{query}", 400) for v in ("v2", "v3") for query in (
        "search=a%00b", "locale=a%00b", "site=a%00", "search=%1b%5B31m", "type=cms.NewsPage%00",
    )],
    ("/api/v2/pages/find/?html_path=/a%00b/", 400),
    ("/api/v3/pages/find/?html_path=/a%00b/", 400),
    ("/api/v2/images/?search=a%00", 400),
    ("/api/v3/images/?search=a%00", 400),
    ("/api/v3/documents/?search=a%00", 400),
    ("/api/v2/pages/?type=cms.NewsPage&date=2020-13-45", 400),
    ("/api/v2/pages/?type=cms.NewsPage&date=99999-01-01", 400),
    ("/api/v2/pages/?type=cms.NewsPage&event_start=abc", 400),
    ("/api/v2/pages/?first_published_at=x", 400),
    ("/api/v2/pages/find/?id=abc", 400),
    ("/api/v2/pages/find/?id=" + HUGE, 400),
    ("/api/v3/pages/find/?id=abc", 422),
]


@pytest.mark.parametrize(("path", "status"), MALFORMED)
def test_malformed_query_is_a_4xx_with_a_message(client, tree, path, status):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body.get("message") or body.get("detail") or body.get("errors")


def test_a_field_filter_beyond_64_bits_matches_nothing(client, tree):
    for version in ("v2", "v3"):
        response = client.get(
            f"/api/{version}/pages/", {"type": "cms.WorkPackagePage", "number": HUGE}
        )
        assert response.status_code == 200
        assert response.json()["items"] == []


@pytest.mark.parametrize("path", [
    "/api/v2/pages/?child_of=" + HUGE,
    "/api/v3/pages/" + HUGE + "/",
    "/api/v2/pages/" + HUGE + "/",
    "/api/v3/images/" + HUGE + "/",
])
def test_unknown_ids_beyond_64_bits_are_4xx(client, tree, path):
    client.raise_request_exception = False
    assert 400 <= client.get(path).status_code < 500


@pytest.fixture
def editor_token(tree, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    _token, plaintext = APIToken.create_token(user=editor, name="frontend")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.mark.parametrize("action", ["copy", "create_alias", "move"])
def test_placing_the_tree_root_is_refused(client, tree, editor_token, action):
    client.raise_request_exception = False
    root = Page.get_first_root_node()
    body = {"destination_id": tree.news.pk} if action == "move" else {}
    before = Page.objects.count()
    response = client.post(
        f"/api/v3/pages/{root.pk}/actions/{action}/", body,
        content_type="application/json", headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]
    assert "root" in response.json()["detail"]
    assert Page.objects.count() == before


@pytest.mark.parametrize("position", [None, "left", "right", "first-sibling", "last-sibling"])
@pytest.mark.parametrize("as_float", [False, True])
def test_moving_beside_the_tree_root_is_refused(client, tree, editor_token, position, as_float):
    client.raise_request_exception = False
    root = Page.get_first_root_node()
    destination = float(root.pk) if as_float else root.pk
    body = {"destination_id": destination} | ({"position": position} if position else {})
    response = client.post(
        f"/api/v3/pages/{tree.work_packages.pk}/actions/move/", body,
        content_type="application/json", headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]
    assert Page.objects.get(pk=tree.work_packages.pk).depth == tree.work_packages.depth


@pytest.mark.parametrize("body", ["[null, null]", "3", '"text"'])
def test_a_json_body_that_is_no_object_is_a_400(client, tree, editor_token, body):
    """(Not JSON at all is Wagtail's to refuse, with a 4xx.)"""
    client.raise_request_exception = False
    response = client.patch(
        f"/api/v3/pages/{tree.news.pk}/", body, content_type="application/json",
        headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]


@pytest.mark.parametrize("headers", [{}, "editor"])
def test_a_move_whose_body_is_not_json_is_a_4xx(client, tree, editor_token, headers):
    client.raise_request_exception = False
    response = client.post(
        f"/api/v3/pages/{tree.news.pk}/actions/move/", "\x01\x00;+h",
        content_type="application/json", headers=editor_token if headers else {},
    )
    assert 400 <= response.status_code < 500, response.content[:300]


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [("patch", "", {"title": "Renamed"}), ("post", "actions/publish/", {}),
     ("post", "actions/revert/", {"revision_id": 1})],
)
def test_revision_writes_on_an_alias_are_a_400(client, tree, editor_token, method, action, body):
    client.raise_request_exception = False
    alias = tree.news.create_alias(parent=tree.home, update_slug="news-alias")
    response = getattr(client, method)(
        f"/api/v3/pages/{alias.pk}/{action}", body, content_type="application/json",
        headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]
    assert "alias" in response.json()["detail"]


@pytest.mark.parametrize("user_id", ["", "x", "%C2%B2", HUGE])
def test_revisions_filtered_by_a_malformed_user_id_are_a_400(client, tree, editor_token, user_id):
    client.raise_request_exception = False
    response = client.get(
        f"/api/v3/pages/{tree.news.pk}/revisions/?user_id={user_id}", headers=editor_token
    )
    assert response.status_code == 400, response.content[:300]


@pytest.mark.parametrize("page", ["null", "-1", "0.5", "%C2%B2"])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_malformed_page_id_is_a_400(client, tree, editor_token, page, method):
    """PATCH once resolved the page's type from the raw id and failed with a 500."""
    client.raise_request_exception = False
    response = getattr(client, method)(
        f"/api/v3/pages/{page}/", {"title": "x"}, content_type="application/json",
        headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]


def test_a_broken_multipart_body_is_a_400(client, tree, editor_token):
    client.raise_request_exception = False
    response = client.generic(
        "POST", f"/api/v3/pages/{tree.news.pk}/actions/publish/", b"--x\r\n",
        content_type="multipart/form-data", headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]


def test_root_filter_without_any_site_is_a_400(client, tree, editor_token):
    client.raise_request_exception = False
    Site.objects.all().delete()
    for headers in ({}, editor_token):
        response = client.get("/api/v3/pages/", {"child_of": "root"}, headers=headers)
        assert response.status_code == 400, response.content[:300]
        assert "Site" in response.json()["detail"]


def test_nul_in_a_json_body_is_a_400_and_nothing_is_written(client, tree, editor_token):
    client.raise_request_exception = False
    before = Page.objects.count()
    response = client.post(
        "/api/v3/pages/",
        {"meta": {"type": "cms.NewsPage", "parent_id": tree.news.pk}, "title": "a\x00b"},
        content_type="application/json", headers=editor_token,
    )
    assert response.status_code == 400, response.content[:300]
    assert Page.objects.count() == before

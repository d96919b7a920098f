"""Old links as visitors, other sites and search engines really have them: with
session ids, TYPO3's hashes, the default language and tracking parameters, in
any order and case; the legacy home without a page id; a page deleted since
(410 Gone); a page id the site never had (404)."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from cms.legacy_urls import canonical_query
from cms.models import StandardPage

pytestmark = pytest.mark.django_db

#: Each kind of parameter that names no page, as the legacy site and the web add them.
EXTRAS = {
    "session id": [("PHPSESSID", "abc123")],
    "short session id": [("sid", "0f3e9a7b")],
    "TYPO3 cache hash": [("cHash", "deadbeef")],
    "no cache": [("no_cache", "1")],
    "default language": [("L", "0")],
    "tracking": [("utm_source", "newsletter"), ("utm_medium", "email")],
    "other case": [("phpsessid", "x"), ("CHASH", "y"), ("Utm_Campaign", "z"), ("NO_CACHE", "1")],
}


@pytest.mark.parametrize(
    "query,canonical",
    [
        ("id=209", "id=209"),
        ("PHPSESSID=abc123&id=209", "id=209"),
        ("lid=97&gid=2&id=12&cHash=1&L=0&utm_source=x", "id=12&gid=2&lid=97"),
        ("id=209&L=1", "id=209&L=1"),  # another language is another page
        ("id=209&l=0", "id=209"),
        ("sid=1&no_cache=1", ""),
        ("id=5&utm=keep", "id=5&utm=keep"),  # only utm_* is tracking
    ],
)
def test_canonical_query(query, canonical):
    assert canonical_query(query) == canonical
    assert canonical_query(canonical) == canonical


@pytest.fixture
def legacy(tree, publish):
    """Two imported pages under their legacy URLs, and the legacy home."""
    pages = {
        "/pub/index.php?id=209": publish(tree.home, StandardPage(title="Marketing strategies")),
        "/pub/index.php?id=12&gid=2&lid=97": publish(tree.home, StandardPage(title="Final event")),
    }
    for path, page in pages.items():
        Redirect.objects.create(old_path=Redirect.normalise_path(path), redirect_page=page,
                                site=tree.home.get_site())
    for root in ("/pub/", "/pub/index.php"):
        Redirect.objects.create(old_path=Redirect.normalise_path(root), redirect_page=tree.home,
                                site=tree.home.get_site())
    return pages


def with_extras(path, extra, first=False):
    base, _, query = path.partition("?")
    pairs = [tuple(pair.split("=")) for pair in query.split("&")]
    pairs = [*extra, *reversed(pairs)] if first else [*pairs, *extra]
    return f"{base}?{urlencode(pairs)}"


@pytest.mark.parametrize("kind", EXTRAS)
def test_a_legacy_url_with_extra_parameters_redirects_where_the_clean_one_does(
        client, legacy, kind):
    for path, page in legacy.items():
        clean = client.get(path)
        assert clean.status_code == 301 and clean["Location"] == page.url
        for first in (False, True):
            variant = with_extras(path, EXTRAS[kind], first)
            response = client.get(variant)
            assert response.status_code == 301, variant
            assert response["Location"] == page.url, variant


@pytest.mark.parametrize("query", ["id=209&PHPSESSID=abc123", "PHPSESSID=abc123&id=209",
                                   "id=209&cHash=deadbeef", "id=209&L=0"])
def test_the_reported_links(client, legacy, query):
    response = client.get(f"/pub/index.php?{query}")
    assert response.status_code == 301
    assert response["Location"] == legacy["/pub/index.php?id=209"].url


@pytest.mark.parametrize("path", ["/pub/", "/pub", "/pub/index.php", "/pub/index.php?PHPSESSID=1",
                                  "/pub/?utm_source=x&L=0"])
def test_the_legacy_home_redirects_to_the_home_page(client, legacy, tree, path):
    response = client.get(path)
    assert response.status_code == 301, path
    assert response["Location"] == tree.home.url


@pytest.mark.parametrize("query", ["id=99999", "id=99999&PHPSESSID=1", "id=209&L=1",
                                   "id=12&gid=2&lid=1"])
def test_a_page_id_the_site_never_had_is_not_found(client, legacy, query):
    """Not the legacy home either: the query names a page, and there never was one."""
    response = client.get(f"/pub/index.php?{query}")
    assert response.status_code == 404
    assert "Location" not in response


def test_a_path_redirected_as_a_whole_keeps_taking_any_query(client, tree):
    """Wagtail's own rule for an editor's redirect without a query stays."""
    Redirect.objects.create(old_path="/old-news", redirect_page=tree.news)
    assert client.get("/old-news?page=2")["Location"] == tree.news.url


def gone_page(response):
    assert response.status_code == 410
    assert "Location" not in response
    text = response.content.decode()
    assert "<main" in text and "Gone" in text
    return text


def test_a_legacy_url_whose_page_an_editor_deleted_is_gone(client, legacy):
    page = legacy["/pub/index.php?id=209"]
    page.delete()
    assert not Redirect.objects.filter(redirect_page_id=page.pk).exists()
    assert page.title not in gone_page(client.get("/pub/index.php?id=209"))
    gone_page(client.get("/pub/index.php?PHPSESSID=1&id=209"))
    other = client.get("/pub/index.php?id=12&gid=2&lid=97")
    assert other.status_code == 301


def test_the_legacy_urls_of_pages_deleted_with_their_parent_are_gone(client, tree, publish):
    parent = publish(tree.home, StandardPage(title="Work package 2"))
    child = publish(parent, StandardPage(title="Marketing strategies"))
    Redirect.objects.create(old_path="/pub/index.php?id=208", redirect_page=parent)
    Redirect.objects.create(old_path="/pub/index.php?id=209", redirect_page=child)
    parent.specific.delete()
    for path in ("/pub/index.php?id=208", "/pub/index.php?id=209"):
        gone_page(client.get(path))
    assert client.get("/pub/index.php?id=210").status_code == 404


def test_an_editor_may_point_a_gone_legacy_url_at_another_page(client, legacy, tree):
    legacy["/pub/index.php?id=209"].delete()
    marker = Redirect.objects.get(old_path="/pub/index.php?id=209")
    marker.redirect_page = tree.news
    marker.save()
    assert client.get("/pub/index.php?id=209")["Location"] == tree.news.url


@pytest.mark.parametrize("api", ["v2", "v3"])
def test_the_api_does_not_list_a_gone_legacy_url(client, legacy, api):
    legacy["/pub/index.php?id=209"].delete()
    listed = client.get(f"/api/{api}/redirects/", {"limit": 50}).json()["items"]
    assert "/pub/index.php?id=209" not in {item["old_path"] for item in listed}
    assert "/pub/index.php?gid=2&id=12&lid=97" in {item["old_path"] for item in listed}


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 301
    return len(queries)


def test_extra_parameters_cost_at_most_one_query_more(client, legacy):
    client.get("/pub/index.php?id=209")  # Wagtail's site root paths, cached from now on
    clean = count_queries(client, "/pub/index.php?id=209")
    assert count_queries(client, "/pub/index.php?id=209&PHPSESSID=abc123") == clean + 1
    assert count_queries(client, "/pub/index.php?utm_source=x&L=0&cHash=1&id=209") == clean + 1


@pytest.mark.parametrize("query", ["id=%00", "id=209&sid=%00", "id=209%00", "%00=1&id=209",
                                   "%ff=1&id=209", "id=209&&&=", "id=209&L"])
def test_a_malformed_legacy_query_is_answered_never_failed(client, legacy, query):
    """NUL, which PostgreSQL refuses in text, and broken encodings reach no query."""
    assert client.get(f"/pub/index.php?{query}").status_code in (301, 404)


def test_editors_see_a_gone_legacy_url_in_the_redirects_admin(admin_client, legacy):
    legacy["/pub/index.php?id=209"].delete()
    marker = Redirect.objects.get(old_path="/pub/index.php?id=209")
    listing = admin_client.get("/admin/redirects/", {"q": "id=209"})
    assert listing.status_code == 200 and b"/pub/index.php?id=209" in listing.content
    assert admin_client.get(f"/admin/redirects/{marker.pk}/").status_code == 200


def found_redirect(client, api, html_path, **extra):
    """The id of the redirect the API's ``find`` leads to, or the status it answers."""
    response = client.get(f"/api/{api}/redirects/find/", {"html_path": html_path}, **extra)
    if response.status_code != 302:
        return response.status_code
    return int(response["Location"].split("?")[0].rstrip("/").rsplit("/", 1)[1])


@pytest.mark.parametrize("api", ["v2", "v3"])
@pytest.mark.parametrize("kind", EXTRAS)
def test_the_api_finds_a_legacy_url_with_extra_parameters_as_the_website_does(
        client, legacy, api, kind):
    for path in legacy:
        clean = Redirect.objects.get(old_path=Redirect.normalise_path(path))
        assert found_redirect(client, api, path) == clean.pk
        for first in (False, True):
            variant = with_extras(path, EXTRAS[kind], first)
            assert found_redirect(client, api, variant) == clean.pk, variant


@pytest.mark.parametrize("api", ["v2", "v3"])
def test_the_api_finds_what_the_website_answers_for_the_legacy_home_and_unknown_ids(
        client, legacy, api):
    for path, bare in (("/pub/index.php?PHPSESSID=1", "/pub/index.php"),
                       ("/pub/index.php", "/pub/index.php"), ("/pub/?utm_source=x&L=0", "/pub")):
        assert found_redirect(client, api, path) == Redirect.objects.get(old_path=bare).pk, path
    for query in ("id=99999", "id=99999&PHPSESSID=1", "id=209&L=1"):
        assert found_redirect(client, api, f"/pub/index.php?{query}") == 404, query


def test_v3_finds_a_legacy_url_with_extra_parameters_for_an_editor_too(
        client, legacy, django_user_model):
    from wagtail.models import APIToken

    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    _token, plaintext = APIToken.create_token(user=editor, name="frontend")
    clean = Redirect.objects.get(old_path="/pub/index.php?id=209")
    found = found_redirect(client, "v3", "/pub/index.php?PHPSESSID=abc123&id=209",
                           headers={"Authorization": f"Bearer {plaintext}"})
    assert found == clean.pk

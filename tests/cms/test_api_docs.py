"""The API's public pages: docs that work offline, no internal docstrings."""

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from cms import checks


def test_v3_docs_load_swagger_ui_from_the_site_itself(client, db):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assets = [tag.get("src") or tag.get("href") for tag in soup.select("script[src], link[href]")]
    assert any("swagger-ui-bundle" in url for url in assets)
    for url in assets:
        assert not urlsplit(url).netloc, url
        path = urlsplit(url).path.removeprefix("/static/")
        assert finders.find(path), url  # collectstatic ships it


def test_docs_from_a_cdn_are_reported(settings):
    assert checks.check_api_docs_offline(None) == []
    without_ninja = [app for app in settings.INSTALLED_APPS if app != "ninja"]
    [warning] = checks.api_docs_offline_errors(without_ninja)
    assert warning.id == "cms.W001" and "ninja" in warning.hint


def test_the_browsable_api_shows_no_internal_docstring(client, tree):
    for url in ["/api/v2/pages/", f"/api/v2/pages/{tree.news.pk}/", "/api/v2/page_preview/"]:
        html = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert "prefetch" not in html and "viewset" not in html.lower(), url
        assert "queries" not in html, url
    html = client.get("/api/v2/pages/", HTTP_ACCEPT="text/html").content.decode()
    assert "Live, public pages of the site." in html


def test_the_browsable_api_names_each_endpoint_for_its_readers(client, tree):
    for path, name in [("pages", "Pages"), ("images", "Images"), ("documents", "Documents"),
                       ("redirects", "Redirects")]:
        html = client.get(f"/api/v2/{path}/", HTTP_ACCEPT="text/html").content.decode()
        title = BeautifulSoup(html, "html.parser").select_one(".page-header h1").get_text()
        assert title.strip() == name, path
        assert " Api" not in html, path

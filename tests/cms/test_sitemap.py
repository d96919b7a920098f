"""/sitemap.xml, /robots.txt and the API's sitemap: every public page, nothing hidden."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from wagtail.models import Page

from cms.models import NewsPage
from cms.visibility import publicly_visible

XSD = Path(__file__).resolve().parents[1] / "fixtures" / "sitemap.xsd"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
FRONTEND = "https://www.example.org"


def sitemap(client, query=None):
    response = client.get("/sitemap.xml", query or {})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def entries(document):
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in document.findall("s:url", NS)
    }


def api_entries(client):
    response = client.get("/api/v2/sitemap/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    return {item["location"]: item["lastmod"] for item in response.json()["items"]}


def public_urls():
    return {page.full_url for page in publicly_visible(Page.objects.all()).filter(depth__gt=1)}


def test_the_sitemap_lists_every_public_page_as_the_api_does(client, website, hidden_news):
    listed = entries(sitemap(client))
    assert set(listed) == public_urls()
    assert website["news"].full_url in listed and website["part"].full_url in listed
    for page in hidden_news.values():
        assert page.full_url not in listed, page.title
    api = client.get("/api/v2/pages/", {"limit": 100}).json()["items"]
    assert set(listed) == {item["meta"]["html_url"] for item in api}
    assert set(api_entries(client)) == set(listed)


def test_the_api_sitemap_tells_how_many_pages_and_files_there_are(client, website,
                                                                 hidden_news, settings):
    """A frontend serving its own sitemap knows from the first answer how many
    files to fetch (as the API's listings give ``meta.total_count``)."""
    settings.CMS_SITEMAP_LIMIT = 3
    total = len(public_urls())
    files = -(-total // 3)
    assert files > 1
    seen = []
    for number in range(1, files + 1):
        body = client.get("/api/v2/sitemap/", {"p": number}).json()
        assert body["meta"] == {"total_count": total, "pages": files, "page": number}
        seen += [item["location"] for item in body["items"]]
    assert set(seen) == public_urls() and len(seen) == total


def test_lastmod_is_the_last_publication(client, website):
    listed = entries(sitemap(client))
    news = website["news"]
    assert listed[news.full_url] == news.last_published_at.date().isoformat()
    api = api_entries(client)
    assert api[news.full_url] == news.last_published_at.isoformat()


def test_the_sitemap_is_valid_by_the_sitemaps_org_schema(client, website):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = sitemap(client)
    assert schema.validate(document), schema.error_log
    # The schema can fail: a sitemap without its required <loc> does.
    broken = etree.fromstring(etree.tostring(document))
    first = broken.find("s:url", NS)
    first.remove(first.find("s:loc", NS))
    assert not schema.validate(broken)


def test_a_headless_sites_sitemap_names_the_frontends_urls(client, website, settings):
    settings.WAGTAIL_FRONTEND_BASE_URL = FRONTEND
    listed = set(entries(sitemap(client)))
    assert website["news"].full_url.startswith(FRONTEND)
    assert website["news"].full_url in listed
    assert all(url.startswith(FRONTEND + "/") for url in listed), listed
    assert set(api_entries(client)) == listed


def test_robots_txt_names_the_sitemap(client, tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines  # the site itself is open to crawlers


@pytest.mark.parametrize(
    "query", [{"p": "abc"}, {"p": "0"}, {"p": "-1"}, {"p": "1\x00"}, {"p": "9" * 30},
              {"x\x00": "1"}],
)
def test_malformed_page_numbers_are_refused(client, tree, query):
    assert client.get("/sitemap.xml", query).status_code == 400
    response = client.get("/api/v2/sitemap/", query)
    assert response.status_code == 400
    assert response.json()["message"]


def test_a_page_past_the_last_is_not_found(client, tree):
    assert client.get("/sitemap.xml", {"p": "2"}).status_code == 404
    assert client.get("/api/v2/sitemap/", {"p": "2"}).status_code == 404


def add_news(tree, count, start):
    for n in range(start, start + count):
        page = NewsPage(title=f"Item {n}", date=datetime.date(2007, 1, 1))
        tree.news.add_child(instance=page)
        page.save_revision().publish()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url,limit", [
    ("/sitemap.xml", None), ("/api/v2/sitemap/", None),
    # Past the limit: the index, and each file it names.
    ("/sitemap.xml", 2), ("/sitemap-pages.xml", 2), ("/sitemap-pages.xml?p=2", 2),
])
def test_the_sitemap_costs_a_fixed_number_of_queries(client, tree, work_package, settings,
                                                     url, limit):
    if limit is not None:
        settings.CMS_SITEMAP_LIMIT = limit
    add_news(tree, 3, 0)
    client.get(url)  # warms the site-root cache
    small = queries_of(client, url)
    add_news(tree, 40, 3)
    assert queries_of(client, url) == small
    assert small <= 6


INDEX_XSD = XSD.with_name("siteindex.xsd")


def index_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200, response.content[:300]
    document = etree.fromstring(response.content)
    assert document.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    schema = etree.XMLSchema(etree.parse(str(INDEX_XSD)))
    assert schema.validate(document), schema.error_log
    return [(item.findtext("s:loc", namespaces=NS), item.findtext("s:lastmod", namespaces=NS))
            for item in document.findall("s:sitemap", NS)]


def test_past_the_limit_the_sitemap_is_an_index_of_sitemaps(client, website, hidden_news,
                                                           settings):
    """sitemaps.org allows 50,000 URLs per file; past them, /sitemap.xml indexes files
    of at most that many (the limit is a setting, small here)."""
    settings.CMS_SITEMAP_LIMIT = 3
    expected = public_urls()
    assert len(expected) > 6  # three files at least
    located = index_locations(client)
    assert [loc for loc, _ in located] == [
        "http://testserver/sitemap-pages.xml",
        *(f"http://testserver/sitemap-pages.xml?p={n}" for n in range(2, len(located) + 1)),
    ]
    assert len(located) == -(-len(expected) // 3)
    newest = max(page.last_published_at for page in publicly_visible(Page.objects.all())
                 .filter(depth__gt=1))
    assert {datetime.datetime.fromisoformat(lastmod) for _, lastmod in located} == {newest}
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    listed = []
    for location, _lastmod in located:
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200
        document = etree.fromstring(response.content)
        assert schema.validate(document), schema.error_log
        assert 1 <= len(entries(document)) <= 3
        listed += entries(document)
    assert len(listed) == len(set(listed)) and set(listed) == expected
    past = client.get("/sitemap-pages.xml", {"p": str(len(located) + 1)})
    assert past.status_code == 404
    assert client.get("/sitemap-other.xml").status_code == 404


def test_within_the_limit_the_sitemap_lists_the_pages_itself(client, website, settings):
    settings.CMS_SITEMAP_LIMIT = len(public_urls())
    assert set(entries(sitemap(client))) == public_urls()
    assert set(entries(etree.fromstring(client.get("/sitemap-pages.xml").content))) == (
        public_urls())


@pytest.mark.parametrize("query", [{"p": "abc"}, {"p": "0"}, {"p": "1\x00"}, {"x\x00": "1"}])
def test_malformed_page_numbers_of_a_sitemap_file_are_refused(client, tree, query):
    assert client.get("/sitemap-pages.xml", query).status_code == 400

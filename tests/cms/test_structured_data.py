"""Structured data and sharing: JSON-LD, Open Graph and the canonical link of
every page, the same in the page's <head> and in the API's ``seo`` field."""

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from pyld import jsonld
from wagtail.models import Site

from cms.models import NewsPage

SCHEMA = "https://schema.org/"
#: schema.org's context, as far as these tests read it: the vocabulary, with
#: URLs as IRIs. Served locally: the suite fetches nothing from the network.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "url": {"@type": "@id"},
        "mainEntityOfPage": {"@type": "@id"},
        "image": {"@type": "@id"},
        "eventStatus": {"@type": "@id"},
    }
}


def load_document(url, options=None):
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def head(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld_of(soup):
    scripts = soup.select('script[type="application/ld+json"]')
    return [json.loads(script.string) for script in scripts]


def expanded(node):
    """The node as a JSON-LD processor reads it: a well-formed JSON-LD document."""
    [result] = jsonld.expand(node, {"documentLoader": load_document})
    return result


def value(node, name):
    [entry] = node[SCHEMA + name]
    return entry.get("@value", entry.get("@id"))


def site_name():
    """The name the site's frame shows: its Site's, else WAGTAIL_SITE_NAME."""
    return Site.objects.get(is_default_site=True).site_name or settings.WAGTAIL_SITE_NAME


def api_seo(client, page, version):
    if version == "v2":
        data = client.get(f"/api/v2/pages/{page.pk}/").json()
    else:
        data = client.get(f"/api/v3/pages/{page.pk}/").json()
    return data["seo"]


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_news_with_event_dates_is_a_news_article_and_an_event(client, website, version):
    news = website["news"]
    nodes = json_ld_of(head(client, news))
    assert nodes == api_seo(client, news, version)["json_ld"]
    article, event = (expanded(node) for node in nodes)

    assert article["@type"] == [SCHEMA + "NewsArticle"]
    assert value(article, "headline") == "Cluster conference in Berlin"
    assert value(article, "datePublished") == "2007-06-13"
    assert value(article, "dateModified") == news.last_published_at.isoformat()
    image = value(article, "image")
    assert image.startswith("http://") and image.endswith(".png")
    [publisher] = article[SCHEMA + "publisher"]
    assert publisher["@type"] == [SCHEMA + "Organization"]
    assert value(publisher, "name") == site_name()
    assert value(article, "url") == news.full_url

    assert event["@type"] == [SCHEMA + "Event"]
    assert value(event, "name") == "Cluster conference in Berlin"
    assert value(event, "startDate") == "2007-06-13"
    assert value(event, "endDate") == "2007-06-15"
    assert value(event, "eventStatus") == SCHEMA + "EventScheduled"
    [place] = event[SCHEMA + "location"]
    assert value(place, "name") == "Berlin"


def test_news_without_event_dates_is_a_news_article_only(client, make_news):
    news = make_news("Plain news", summary="Nothing happens.")
    [node] = json_ld_of(head(client, news))
    assert expanded(node)["@type"] == [SCHEMA + "NewsArticle"]
    assert "image" not in node


def test_a_work_package_is_a_project(client, website):
    nodes = json_ld_of(head(client, website["work_package"]))
    [project] = (expanded(node) for node in nodes)
    assert project["@type"] == [SCHEMA + "Project"]
    assert value(project, "name") == "Work Package 2"
    assert value(project, "description") == "Marketing the metropolises."


KINDS = ["home", "news_index", "news", "work_package_index", "work_package", "part", "standard"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_has_open_graph_with_absolute_urls(client, website, kind):
    page = website[kind]
    soup = head(client, page)
    og = {meta["property"]: meta["content"] for meta in soup.select("meta[property^='og:']")}
    [canonical] = soup.select('link[rel="canonical"]')
    assert og["og:url"] == canonical["href"] == page.full_url
    assert og["og:title"] == page.title
    assert og["og:site_name"] == site_name()
    assert og["og:type"] == ("article" if kind == "news" else "website")
    if kind == "news":
        assert og["og:image"].startswith("http://")
        assert og["og:description"] == "Partners met in Berlin."
    else:
        assert "og:image" not in og
    seo = client.get(f"/api/v2/pages/{page.pk}/").json()["seo"]
    assert seo["open_graph"] == og
    assert seo["canonical_url"] == page.full_url


def test_a_headless_frontend_gets_the_frontends_urls(client, website, settings):
    settings.WAGTAIL_FRONTEND_BASE_URL = "https://www.example.org"
    news = website["news"]
    seo = client.get(f"/api/v2/pages/{news.pk}/").json()["seo"]
    assert seo["canonical_url"] == "https://www.example.org/news/cluster-conference-in-berlin/"
    assert seo["open_graph"]["og:url"] == seo["canonical_url"]
    article = seo["json_ld"][0]
    assert article["url"] == seo["canonical_url"]
    assert article["publisher"]["url"] == "https://www.example.org/"
    # Files stay where Wagtail serves them.
    assert not seo["image"].startswith("https://www.example.org")


def test_markup_in_a_title_cannot_end_the_script(client, make_news):
    news = make_news("</script><script>alert(1)</script> & more")
    response = client.get(news.url)
    assert b"</script><script>alert(1)" not in response.content
    [node] = json_ld_of(BeautifulSoup(response.content, "html.parser"))
    assert node["headline"] == "</script><script>alert(1)</script> & more"


def test_renaming_the_site_renames_the_publisher(client, website):
    news = website["news"]
    client.get(f"/api/v2/pages/{news.pk}/")  # caches the names
    site = Site.objects.get(is_default_site=True)
    site.site_name = "BaltMet Inno"
    site.save()
    seo = client.get(f"/api/v2/pages/{news.pk}/").json()["seo"]
    assert seo["json_ld"][0]["publisher"]["name"] == "BaltMet Inno"
    assert isinstance(NewsPage.objects.get(pk=news.pk).seo, dict)

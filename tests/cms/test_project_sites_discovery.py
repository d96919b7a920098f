"""Two project sites in one instance: each host's sitemap, robots.txt, search page,
the API's sitemap and headless previews hold only that host's pages."""

import pytest
from lxml import etree

from cms import preview
from cms.models import NewsPage, StandardPage
from tests.project_sites import INNO_HOST, PROMO_HOST, two_sites

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def sites(settings, publish):
    settings.ALLOWED_HOSTS = [INNO_HOST, PROMO_HOST, "testserver"]
    made = {}
    for project in two_sites():
        name = project.site.site_name.split()[-1]
        pages = [
            publish(project.tree.home, StandardPage(title=f"{name} marketing strategies",
                                                    body=f"<p>{name} partners agree.</p>")),
            publish(project.tree.news, NewsPage(title=f"{name} harbour conference",
                                                summary="Partners met.")),
        ]
        made[project.host] = (project, pages)
    return made


def own_urls(project, pages):
    """Every public page of ``project``'s site, at its full URL."""
    tree = project.tree
    return {page.full_url for page in (tree.home, tree.news, tree.work_packages, *pages)}


def locations(response, element="url"):
    assert response.status_code == 200, response.content[:300]
    document = etree.fromstring(response.content)
    return [item.findtext("s:loc", namespaces=NS) for item in document.findall(f"s:{element}", NS)]


def test_each_hosts_sitemap_lists_only_its_own_pages(client, sites):
    for host, (project, pages) in sites.items():
        listed = locations(client.get("/sitemap.xml", HTTP_HOST=host))
        assert set(listed) == own_urls(project, pages)
        assert all(url.startswith(f"http://{host}/") for url in listed), listed
        api = client.get("/api/v2/sitemap/", HTTP_HOST=host).json()["items"]
        assert {item["location"] for item in api} == set(listed)


def test_each_hosts_sitemap_index_names_its_own_files(client, sites, settings):
    settings.CMS_SITEMAP_LIMIT = 2
    for host, (project, pages) in sites.items():
        files = locations(client.get("/sitemap.xml", HTTP_HOST=host), "sitemap")
        assert files and all(loc.startswith(f"http://{host}/sitemap-pages.xml") for loc in files)
        listed = set()
        for loc in files:
            listed |= set(locations(client.get(loc.removeprefix(f"http://{host}"),
                                               HTTP_HOST=host)))
        assert listed == own_urls(project, pages)


def test_a_frontend_names_the_site_of_the_apis_sitemap(client, sites):
    project, pages = sites[PROMO_HOST]
    api = client.get("/api/v2/sitemap/", {"site": PROMO_HOST}, HTTP_HOST=INNO_HOST).json()
    assert {item["location"] for item in api["items"]} == own_urls(project, pages)


def test_each_hosts_robots_txt_names_its_own_sitemap(client, sites):
    for host in sites:
        lines = client.get("/robots.txt", HTTP_HOST=host).content.decode().splitlines()
        assert f"Sitemap: http://{host}/sitemap.xml" in lines


def search(client, host, words):
    from bs4 import BeautifulSoup

    response = client.get("/search/", {"q": words}, HTTP_HOST=host)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return {a.get_text(strip=True) for a in soup.select(".search-result h2 a")}


def test_each_hosts_search_finds_only_its_own_pages(client, sites):
    assert search(client, INNO_HOST, "strategies") == {"Inno marketing strategies"}
    assert search(client, PROMO_HOST, "strategies") == {"Promo marketing strategies"}
    assert search(client, INNO_HOST, "harbour") == {"Inno harbour conference"}
    assert search(client, INNO_HOST, "Promo") == set()


def draft_token(page):
    draft = page.specific
    draft.title = f"Draft of {page.title}"
    return preview.issue(draft)


def test_a_preview_token_of_one_site_shows_nothing_on_the_other(client, sites):
    for host, other in ((INNO_HOST, PROMO_HOST), (PROMO_HOST, INNO_HOST)):
        _project, pages = sites[host]
        token = draft_token(pages[0])
        own = client.get("/api/v2/page_preview/", {"token": token}, HTTP_HOST=host)
        assert own.status_code == 200 and own.json()["title"].startswith("Draft of")
        elsewhere = client.get("/api/v2/page_preview/", {"token": token}, HTTP_HOST=other)
        assert elsewhere.status_code == 404
        assert b"Draft of" not in elsewhere.content


def test_a_frontend_naming_the_other_site_reads_no_draft(client, sites, settings):
    settings.ALLOWED_HOSTS.append("cms.example.test")
    _project, pages = sites[PROMO_HOST]
    token = draft_token(pages[0])
    named = client.get("/api/v2/page_preview/", {"token": token, "site": INNO_HOST},
                       HTTP_HOST=PROMO_HOST)
    assert named.status_code == 404
    own = client.get("/api/v2/page_preview/", {"token": token, "site": PROMO_HOST},
                     HTTP_HOST=INNO_HOST)
    assert own.status_code == 200
    # The API's own host, no Site's: one frontend previews every site's drafts.
    api_host = client.get("/api/v2/page_preview/", {"token": token},
                          HTTP_HOST="cms.example.test")
    assert api_host.status_code == 200 and api_host.json()["title"].startswith("Draft of")

"""Two project sites in one instance: the redirects API answers for the requested site only.

Both sites have a redirect from the same legacy path, each to its own page;
``/api/v2/redirects/`` and ``/api/v3/redirects/`` on each host list only that
site's (and those for every site), and a frontend may name the site with
``?site=``.
"""

import pytest
from wagtail.contrib.redirects.models import Redirect

from cms.models import StandardPage
from cms.site_tree import add_project_site

pytestmark = pytest.mark.django_db

OLD_PATH = Redirect.normalise_path("/pub/index.php?id=209")
INNO, PROMO = "inno.example.test", "promo.example.test"


@pytest.fixture
def sites(settings, publish):
    settings.ALLOWED_HOSTS = [INNO, PROMO, "unknown.example.test", "testserver"]
    made = {}
    for host, name in ((INNO, "Inno"), (PROMO, "Promo")):
        site, tree = add_project_site(host, 80, site_name=name)
        page = publish(tree.home, StandardPage(title=f"{name} strategies"))
        made[host] = (site, page, Redirect.objects.create(
            old_path=OLD_PATH, site=site, redirect_page=page))
    everywhere = Redirect.objects.create(old_path="/old-everywhere", redirect_link="/")
    return made, everywhere


def listed(response):
    assert response.status_code == 200, response.content
    data = response.json()
    return {item["id"] for item in data.get("items", data)}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_each_host_lists_only_its_own_redirects(client, sites, version):
    made, everywhere = sites
    for host, (_site, _page, redirect) in made.items():
        ids = listed(client.get(f"/api/{version}/redirects/", HTTP_HOST=host))
        assert ids == {redirect.pk, everywhere.pk}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_a_frontend_names_the_site(client, sites, version):
    made, everywhere = sites
    promo = made[PROMO][2]
    for site in (PROMO, f"{PROMO}:80"):
        ids = listed(client.get(f"/api/{version}/redirects/", {"site": site}, HTTP_HOST=INNO))
        assert ids == {promo.pk, everywhere.pk}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_a_site_that_does_not_exist_is_not_found(client, sites, version):
    response = client.get(f"/api/{version}/redirects/", {"site": "nowhere.example.test"},
                          HTTP_HOST=INNO)
    assert response.status_code == 404


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_same_old_path_finds_each_sites_own_page(client, sites, version):
    made, _everywhere = sites
    for host, (_site, page, redirect) in made.items():
        response = client.get(f"/api/{version}/redirects/find/", {"html_path": OLD_PATH},
                              HTTP_HOST=host)
        assert response.status_code == 302
        assert response["Location"].split("?")[0].endswith(f"/redirects/{redirect.pk}/")
        legacy = client.get("/pub/index.php", {"id": "209"}, HTTP_HOST=host)
        assert legacy.status_code == 301 and legacy["Location"].endswith(page.url)


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_find_looks_up_the_site_a_frontend_names_with_the_legacy_rule(client, sites, version):
    made, _everywhere = sites
    promo = made[PROMO][2]
    response = client.get(f"/api/{version}/redirects/find/",
                          {"html_path": "/pub/index.php?PHPSESSID=abc&id=209", "site": PROMO},
                          HTTP_HOST=INNO)
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith(f"/redirects/{promo.pk}/")
    detail = client.get(response["Location"], HTTP_HOST=INNO)
    assert detail.status_code == 200 and detail.json()["id"] == promo.pk

"""Editors per site: a group with rights on one site's home page works on that site alone.

Wagtail's permission API says what the group may do; the admin's listings, their
filters and the dashboard panels show it only that site's pages. Superusers see all.
"""

import pytest
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.editor_scope import editable_pages, editable_sites
from tests.project_sites import editors_work, site_editor, two_sites

TITLES = [f"{name} {what}" for name in ("Inno", "Promo")
          for what in ("seminar", "draft", "scheduled", "work package")]


@pytest.fixture
def sites(db):
    inno, promo = two_sites()
    return {"inno": (inno, editors_work(inno)), "promo": (promo, editors_work(promo))}


@pytest.fixture
def editor(sites):
    return site_editor(sites["promo"][0].site, "promo-editor")


def shown(client, url, **query):
    body = client.get(url, query).content.decode()
    return {title for title in TITLES if title in body}


def promo_only(titles):
    return {title for title in titles if title.startswith("Promo")}


def test_wagtails_permission_api_gives_the_group_its_own_site_alone(sites, editor):
    (inno, inno_pages), (promo, promo_pages) = sites["inno"], sites["promo"]
    policy = PagePermissionPolicy()
    changeable = set(policy.instances_user_has_permission_for(editor, "change").values_list(
        "pk", flat=True))
    assert changeable == set(Page.objects.descendant_of(promo.site.root_page, inclusive=True)
                             .values_list("pk", flat=True))
    for page in promo_pages.values():
        assert policy.user_has_permission_for_instance(editor, "change", page)
        assert page.permissions_for_user(editor).can_publish()
    for page in [*inno_pages.values(), inno.tree.home, inno.tree.news]:
        assert not policy.user_has_any_permission_for_instance(
            editor, ["add", "change", "publish"], page)
        assert not page.permissions_for_user(editor).can_edit()
    assert set(editable_pages(editor)) == set(policy.instances_user_has_permission_for(
        editor, "change"))
    assert list(editable_sites(editor)) == [promo.site]


def test_a_superuser_may_edit_every_site(sites, admin_user):
    assert set(editable_sites(admin_user)) == {sites["inno"][0].site, sites["promo"][0].site}


def test_the_dashboard_shows_the_editor_its_sites_news_alone(sites, editor, client,
                                                             admin_client):
    client.force_login(editor)
    assert shown(client, "/admin/") == {"Promo draft", "Promo scheduled"}
    assert shown(admin_client, "/admin/") == {"Inno draft", "Inno scheduled",
                                              "Promo draft", "Promo scheduled"}


@pytest.mark.parametrize("url", ["/admin/news_listing/", "/admin/work_package_listing/"])
def test_the_listings_show_the_editor_its_sites_pages_alone(sites, editor, client,
                                                            admin_client, url):
    client.force_login(editor)
    everything = shown(admin_client, url)
    assert {title.split()[0] for title in everything} == {"Inno", "Promo"}
    assert shown(client, url) == promo_only(everything)


def test_the_listings_filters_offer_the_editor_its_sites_choices_alone(sites, editor,
                                                                       client, admin_client):
    client.force_login(editor)
    body = client.get("/admin/news_listing/").content.decode()
    assert "promo-meetings" in body and "inno-meetings" not in body
    assert "promo.example.test" in body and "inno.example.test" not in body
    everyone = admin_client.get("/admin/news_listing/").content.decode()
    assert "inno-meetings" in everyone and "inno.example.test" in everyone
    inno_site = sites["inno"][0].site
    # another site is no choice: the filter is not applied, and still nothing of Inno shows
    assert client.get("/admin/news_listing/", {"site": inno_site.pk}).status_code == 200
    assert shown(client, "/admin/news_listing/", site=inno_site.pk) == {
        "Promo seminar", "Promo draft", "Promo scheduled"}


def test_the_editor_cannot_open_another_sites_page_for_editing(sites, editor, client):
    client.force_login(editor)
    promo_seminar = sites["promo"][1]["seminar"]
    inno_seminar = sites["inno"][1]["seminar"]
    assert client.get(f"/admin/pages/{promo_seminar.pk}/edit/").status_code == 200
    denied = client.get(f"/admin/pages/{inno_seminar.pk}/edit/")
    assert denied.status_code in (302, 403)
    assert "/edit/" not in denied.get("Location", "")

"""Several project sites in one instance: ``create_project_site`` adds a Site, never renames one."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from cms.models import NewsIndexPage, ProjectHomePage, WorkPackageIndexPage
from cms.site_tree import add_project_site, ensure_site_tree


def create(*args):
    out = io.StringIO()
    call_command("create_project_site", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_second_hostname_adds_a_site_and_keeps_the_first(db):
    create("--hostname", "a.example.test", "--port", "8000")
    first = Site.objects.get()
    first_home = first.root_page_id
    out = create("--hostname", "b.example.test", "--port", "8000", "--site-name", "Promo")
    assert "b.example.test:8000/" in out
    a = Site.objects.get(hostname="a.example.test", port=8000)
    b = Site.objects.get(hostname="b.example.test", port=8000)
    assert a.pk == first.pk and a.is_default_site and a.root_page_id == first_home
    assert not b.is_default_site and b.site_name == "Promo"
    home = b.root_page.specific
    assert isinstance(home, ProjectHomePage) and home.title == "Promo" and home.live
    assert home.get_parent().depth == 1  # its own home, beside the first one under the root
    assert [type(p.specific) for p in home.get_children()] == [
        NewsIndexPage, WorkPackageIndexPage
    ]
    assert {p.pk for p in Page.objects.get(pk=first_home).get_descendants()}.isdisjoint(
        p.pk for p in home.get_descendants()
    )


def test_the_first_call_on_a_fresh_database_fills_the_default_site(db):
    create("--hostname", "a.example.test", "--port", "8000", "--site-name", "Inno")
    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site, site.site_name) == (
        "a.example.test", 8000, True, "Inno"
    )


def test_it_is_idempotent_for_every_site(db):
    create("--hostname", "a.example.test", "--port", "8000")
    create("--hostname", "b.example.test", "--port", "8000")
    pages = set(Page.objects.values_list("pk", flat=True))
    create("--hostname", "a.example.test", "--port", "8000")
    create("--hostname", "b.example.test")  # the one Site with this hostname: its port
    assert Site.objects.count() == 2
    assert set(Page.objects.values_list("pk", flat=True)) == pages


def test_the_same_hostname_on_another_port_is_another_site(db):
    create("--hostname", "a.example.test", "--port", "8000")
    create("--hostname", "a.example.test", "--port", "8001")
    assert sorted(Site.objects.values_list("port", flat=True)) == [8000, 8001]


def test_a_port_without_a_hostname_names_no_site(db):
    with pytest.raises(CommandError, match="--port needs --hostname"):
        create("--port", "8000")


def test_each_sites_tree_is_its_own(db):
    a, tree_a = add_project_site("a.example.test", 80)
    b, tree_b = add_project_site("b.example.test", 80, site_name="Promo")
    assert ensure_site_tree(site=b) == tree_b
    assert ensure_site_tree() == tree_a  # without a Site: the default one
    assert tree_b.news.get_parent().pk == b.root_page_id
    assert ProjectHomePage.objects.count() == 2


def test_a_group_with_rights_on_one_site_cannot_edit_the_other(db, django_user_model, client):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    _inno, inno_tree = add_project_site("a.example.test", 80, site_name="Inno")
    promo, promo_tree = add_project_site("b.example.test", 80, site_name="Promo")
    group = Group.objects.create(name="Promo editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=promo.root_page, permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename))
    editor = django_user_model.objects.create_user("promo-editor", password="x")
    editor.groups.add(group)
    for page in (promo_tree.home, promo_tree.news, promo_tree.work_packages):
        rights = page.permissions_for_user(editor)
        assert rights.can_edit() and rights.can_publish() and rights.can_add_subpage()
    for page in (inno_tree.home, inno_tree.news, inno_tree.work_packages):
        rights = page.permissions_for_user(editor)
        assert not (rights.can_edit() or rights.can_publish() or rights.can_add_subpage())
    client.force_login(editor)
    assert client.get(f"/admin/pages/{promo_tree.news.pk}/edit/").status_code == 200
    denied = client.get(f"/admin/pages/{inno_tree.news.pk}/edit/")
    assert denied.status_code in (302, 403)
    assert "/edit/" not in denied.get("Location", "")


def test_each_site_names_itself_on_its_own_host(db, client, settings):
    settings.ALLOWED_HOSTS = ["a.example.test", "b.example.test"]
    add_project_site("a.example.test", 80, site_name="BaltMet Inno")
    add_project_site("b.example.test", 80, site_name="BaltMet Promo")
    inno = client.get("/", HTTP_HOST="a.example.test").content.decode()
    promo = client.get("/", HTTP_HOST="b.example.test").content.decode()
    assert 'class="site-name"' in inno and "BaltMet Inno" in inno and "Promo" not in inno
    assert "BaltMet Promo" in promo and "Inno" not in promo

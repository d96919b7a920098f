import threading

import pytest
from django.db import connection, connections
from wagtail.models import Locale, Page, Site

from cms.models import NewsIndexPage, ProjectHomePage, WorkPackageIndexPage
from cms.site_tree import WAGTAIL_WELCOME_TITLE, ensure_site_tree


def test_replaces_wagtails_welcome_page(db):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.title == WAGTAIL_WELCOME_TITLE
    tree = ensure_site_tree()
    site.refresh_from_db()
    assert site.root_page_id == tree.home.pk
    assert not Page.objects.filter(title=WAGTAIL_WELCOME_TITLE).exists()
    assert tree.home.slug == "home"
    assert [p.specific_class for p in tree.home.get_children()] == [
        NewsIndexPage,
        WorkPackageIndexPage,
    ]


def test_is_idempotent(db):
    first = ensure_site_tree()
    second = ensure_site_tree()
    assert (first.home.pk, first.news.pk, first.work_packages.pk) == (
        second.home.pk,
        second.news.pk,
        second.work_packages.pk,
    )
    assert ProjectHomePage.objects.count() == 1


def test_keeps_a_home_page_an_editor_made_their_own(db):
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    welcome.title = "Our project"
    welcome.save_revision().publish()
    tree = ensure_site_tree()
    # An edited page is not Wagtail's welcome page: it stays the home, and
    # the indexes go under it.
    site.refresh_from_db()
    assert site.root_page_id == welcome.pk == tree.home.pk
    assert tree.news.get_parent().pk == welcome.pk
    assert not ProjectHomePage.objects.exists()


def wagtail_fresh_install():
    """What Wagtail's first migration leaves: a root, a welcome page and a site."""
    Locale.objects.get_or_create(language_code="en")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    welcome = root.add_child(instance=Page(title=WAGTAIL_WELCOME_TITLE, slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("empty", [False, True], ids=["fresh-wagtail", "empty-database"])
def test_two_processes_setting_up_at_once_make_one_tree(empty):
    if connection.vendor == "sqlite":
        pytest.skip("needs concurrent writers: runs on PostgreSQL")
    Site.objects.all().delete()
    Page.objects.all().delete()
    if not empty:
        wagtail_fresh_install()
    barrier = threading.Barrier(2)
    errors = []

    def setup():
        try:
            barrier.wait(timeout=10)
            ensure_site_tree()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection, or teardown waits on it

    threads = [threading.Thread(target=setup) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert ProjectHomePage.objects.count() == 1
    assert NewsIndexPage.objects.count() == 1
    assert WorkPackageIndexPage.objects.count() == 1


def test_builds_the_whole_tree_on_an_empty_database(db):
    Site.objects.all().delete()
    Page.objects.all().delete()
    tree = ensure_site_tree()
    assert Page.get_first_root_node().depth == 1
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == tree.home.pk
    assert tree.news.get_parent().pk == tree.home.pk


def test_the_command_prints_the_urls_of_the_site_it_set(db):
    """On a fresh install, every page's URL uses the hostname and port just given."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_project_site", "--hostname", "cms.example.org", "--port", "8080",
                 stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("BaltMet Inno: http://cms.example.org:8080/ (id ")
    assert lines[1].startswith("News: http://cms.example.org:8080/news/ (id ")
    assert "localhost" not in out.getvalue()


def test_a_new_home_page_is_titled_with_the_sites_name_and_has_an_intro(db, client, settings):
    """Its heading reads as the site's, not "Home", and an editor changes the intro."""
    settings.WAGTAIL_SITE_NAME = "BaltMet Inno"
    tree = ensure_site_tree()
    assert tree.home.title == "BaltMet Inno"
    assert "Welcome to BaltMet Inno" in tree.home.specific.intro
    html = client.get(tree.home.url).content.decode()
    assert "<h1>BaltMet Inno</h1>" in html and "Welcome to BaltMet Inno" in html

"""No feed ever shows news an anonymous visitor may not see."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import NewsIndexPage, NewsPage, ProjectHomePage
from tests.syndication.conftest import FEED_URLS


def titles(client, fmt="json", **extra):
    response = client.get(FEED_URLS[fmt], **extra)
    assert response.status_code == 200
    if fmt == "json":
        return [item["title"] for item in json.loads(response.content)["items"]]
    return [t for t in ("Visible", "Hidden") if f"<title>{t}</title>" in response.content.decode()]


def restrict(page, kind, **fields):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **fields)
    return restriction


def make_draft(tree):
    draft = NewsPage(title="Hidden", date=datetime.date(2024, 6, 2), live=False)
    tree.news.add_child(instance=draft)
    draft.save_revision()
    return draft


def make_private(tree, make_news):
    restrict(make_news("Hidden", day=2), PageViewRestriction.LOGIN)


def make_password(tree, make_news):
    restrict(make_news("Hidden", day=2), PageViewRestriction.PASSWORD, password="secret")


def make_groups(tree, make_news):
    restriction = restrict(make_news("Hidden", day=2), PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Partners"))


def make_expired(tree, make_news):
    page = make_news("Hidden", day=2)
    # Expired, but publish_scheduled has not run yet: still live in the database.
    NewsPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(1))


def make_scheduled(tree, make_news):
    page = make_news("Hidden", day=2)
    NewsPage.objects.filter(pk=page.pk).update(go_live_at=timezone.now() + datetime.timedelta(1))


CASES = {
    "draft": lambda tree, make_news: make_draft(tree),
    "private": make_private,
    "password": make_password,
    "groups": make_groups,
    "expired": make_expired,
    "scheduled": make_scheduled,
}


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_hidden_news_never_leaks(client, tree, make_news, case, fmt):
    make_news("Visible", day=1)
    CASES[case](tree, make_news)
    assert titles(client, fmt) == ["Visible"]
    assert "Hidden" not in client.get(FEED_URLS[fmt]).content.decode()


def test_restriction_on_the_news_index_hides_everything_below(client, tree, make_news, committed):
    make_news("Visible", day=1)
    assert titles(client) == ["Visible"]
    with committed():
        restrict(tree.news, PageViewRestriction.LOGIN)
    assert titles(client) == []


def test_restricted_news_stays_hidden_from_logged_in_users(
    client, tree, make_news, django_user_model
):
    """The feed is shared by everyone through the cache: never personalised."""
    make_news("Visible", day=1)
    make_private(tree, make_news)
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    assert titles(client) == ["Visible"]


def test_unpublished_news_disappears_at_once(client, make_news, committed):
    make_news("Visible", day=1)
    hidden = make_news("Hidden", day=2)
    assert titles(client) == ["Hidden", "Visible"]
    with committed():
        hidden.unpublish()
    assert titles(client) == ["Visible"]


def test_deleted_news_disappears_at_once(client, make_news, committed):
    make_news("Visible", day=1)
    hidden = make_news("Hidden", day=2)
    assert titles(client) == ["Hidden", "Visible"]
    with committed():
        Page.objects.get(pk=hidden.pk).delete()
    assert titles(client) == ["Visible"]


def test_news_moved_to_another_site_leaves_this_sites_feed(
    client, tree, make_news, committed, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    make_news("Visible", day=1)
    hidden = make_news("Hidden", day=2)
    other_home = Page.get_first_root_node().add_child(
        instance=ProjectHomePage(title="Other", slug="other")
    )
    other_news = other_home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    assert titles(client) == ["Hidden", "Visible"]
    assert titles(client, HTTP_HOST="other.example") == []

    with committed():
        hidden.move(other_news, pos="last-child")
    assert titles(client) == ["Visible"]
    assert titles(client, HTTP_HOST="other.example") == ["Hidden"]


def test_publish_shows_the_item_on_the_next_request(client, tree, make_news, publish):
    make_news("Visible", day=1)
    assert titles(client) == ["Visible"]
    publish(tree.news, NewsPage(title="Fresh", date=datetime.date(2024, 6, 9)))
    assert titles(client) == ["Fresh", "Visible"]


def test_title_fix_shows_on_the_next_request_with_the_same_id(client, make_news, committed):
    page = make_news("Typo", day=1)
    before = json.loads(client.get(FEED_URLS["json"]).content)["items"]
    page.title = "Fixed"
    with committed():
        page.save_revision().publish()
    after = json.loads(client.get(FEED_URLS["json"]).content)["items"]
    assert [i["title"] for i in after] == ["Fixed"]
    assert [i["id"] for i in after] == [i["id"] for i in before]


def test_a_page_created_live_is_in_the_feed_from_that_commit(client, tree, make_news, committed):
    """Wagtail's admin adds a new page live (``add_child``) and commits, then
    saves its revision and publishes it in later transactions: from the first
    commit the page is public everywhere, so the feeds are stale from then,
    not from the publication (which may come much later, or fail)."""
    make_news("Visible", day=1)
    assert titles(client) == ["Visible"]
    with committed():
        tree.news.add_child(instance=NewsPage(title="Fresh", date=datetime.date(2024, 6, 9)))
    assert titles(client) == ["Fresh", "Visible"]

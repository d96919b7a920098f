import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from cms.models import NewsPage, StandardPage, WorkPackagePage


@pytest.fixture
def make_news(tree, publish):
    def _make(title="News item", day=1, **fields):
        fields.setdefault("date", datetime.date(2007, 6, day))
        return publish(tree.news, NewsPage(title=title, **fields))

    return _make


@pytest.fixture
def hidden_news(tree, make_news):
    """One news page for each way a page must stay out of public view."""
    now = datetime.datetime.now(datetime.UTC)
    pages = {}

    draft = NewsPage(title="Draft item", date=datetime.date(2007, 1, 1))
    tree.news.add_child(instance=draft)
    draft.save_revision()
    draft.unpublish()
    pages["draft"] = draft

    unpublished = make_news("Unpublished item")
    unpublished.unpublish()
    pages["unpublished"] = unpublished

    private = make_news("Private item")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    pages["private"] = private

    password = make_news("Password item")
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    pages["password"] = password

    groups = make_news("Group item")
    restriction = PageViewRestriction.objects.create(
        page=groups, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Partners"))
    pages["groups"] = groups

    expired = make_news("Expired item")
    expired.expire_at = now - datetime.timedelta(minutes=1)
    expired.save()
    pages["expired"] = expired

    scheduled = NewsPage(title="Scheduled item", date=datetime.date(2007, 2, 1))
    tree.news.add_child(instance=scheduled)
    scheduled.go_live_at = now + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    pages["scheduled"] = scheduled

    # A live page whose go-live time lies ahead (written by code, not the admin).
    early = make_news("Early item")
    early.go_live_at = now + datetime.timedelta(days=1)
    early.save()
    pages["live_but_scheduled"] = early
    return pages


@pytest.fixture
def work_package(tree, publish):
    return publish(tree.work_packages, WorkPackagePage(title="Work Package 2", number=2))


@pytest.fixture
def standard_page(tree, publish):
    return publish(tree.home, StandardPage(title="Riga", body="<p>Capital of Latvia.</p>"))

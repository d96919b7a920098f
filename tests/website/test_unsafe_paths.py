"""Paths with a backslash and control characters, as schemathesis probes a
server's URL decoding, answer the site's 404 on the demo site with pages the
public cannot see beside it (a draft, a restricted and an expired page)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import NewsPage, StandardPage
from cms.site_tree import ensure_site_tree

#: schemathesis's unsafe-path probe first, then its parts and neighbours.
UNSAFE = [
    "/schemathesis-probe%5C%1B%01", "/schemathesis-probe%5C", "/schemathesis-probe%1B",
    "/schemathesis-probe%01", "/%5C%1B%01/", "/news/%5C%1B%01", "/%5C%5Cexample.org/",
    "/pub/index.php%5C%1B%01?id=209",
]


@pytest.fixture
def hidden_pages(demo):
    tree = ensure_site_tree()
    draft = NewsPage(title="Draft", live=False)
    tree.news.add_child(instance=draft)
    draft.save_revision()
    members = StandardPage(title="Members")
    tree.home.add_child(instance=members)
    members.save_revision().publish()
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    expired = NewsPage(title="Expired", date=datetime.date(2008, 1, 1),
                       expire_at=timezone.now() - datetime.timedelta(days=1))
    tree.news.add_child(instance=expired)
    expired.save_revision().publish()


@pytest.mark.parametrize("path", UNSAFE)
def test_an_unsafe_path_is_the_sites_404(client, settings, hidden_pages, path):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 404, response.content[:500]
    assert b"Page not found" in response.content

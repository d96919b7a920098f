"""A page of 20 news items costs the same queries however many are stored."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import NewsPage

LISTING = {"type": "cms.NewsPage", "fields": "*", "order": "-date", "limit": 20}


def add_news(tree, count, start):
    for n in range(start, start + count):
        page = NewsPage(
            title=f"Item {n}",
            date=datetime.date(2007, 1, 1) + datetime.timedelta(days=n),
            summary="Teaser",
            body="<p>Body</p>",
        )
        tree.news.add_child(instance=page)
        page.save_revision().publish()
        page.tags.add(f"tag-{n % 3}", "all")
        page.save()


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v2/pages/", LISTING)
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 20
    assert all(item["tags"] for item in items)
    return len(queries)


@pytest.mark.django_db
def test_news_listing_query_count_is_fixed(client, tree, django_assert_num_queries):
    add_news(tree, 25, 0)
    client.get("/api/v2/pages/", LISTING)  # warms the site-root cache
    with django_assert_num_queries(6):
        client.get("/api/v2/pages/", LISTING)
    small = count_queries(client)

    add_news(tree, 40, 25)
    assert count_queries(client) == small

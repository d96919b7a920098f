"""A page of 20 news items renders with the same queries however many are stored."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cms.test_query_count import add_news

#: Site; route (home, news index and its specific row); Wagtail's view
#: restriction check (ancestors, restrictions); the restricted paths, read once
#: for the listing, the menu and the breadcrumbs; the listing's count and rows;
#: the frame: menu pages, breadcrumbs.
NEWS_INDEX_QUERIES = 11


def render_news_index(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b'class="news-item"') == 20
    return [query["sql"] for query in queries]


@pytest.mark.django_db
def test_news_index_query_count_is_fixed(client, tree):
    add_news(tree, 25, 0)
    client.get(tree.news.url)  # warms the site-root cache
    few = render_news_index(client, tree.news.url)
    assert len(few) == NEWS_INDEX_QUERIES, "\n".join(few)

    add_news(tree, 40, 25)
    assert len(render_news_index(client, tree.news.url)) == NEWS_INDEX_QUERIES
    assert len(render_news_index(client, f"{tree.news.url}?page=3")) == NEWS_INDEX_QUERIES
    assert len(render_news_index(client, f"{tree.news.url}?tag=all")) == NEWS_INDEX_QUERIES + 1

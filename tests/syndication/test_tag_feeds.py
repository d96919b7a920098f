"""A tag feed lives as long as its tag: a reader drops a subscription on a
404, so a tag whose last item leaves keeps an empty feed (200), and a
deleted tag answers 410 Gone, which tells readers to stop polling."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from syndication.models import ServedTag
from tests.syndication.conftest import FEED_URLS
from tests.syndication.test_formats import parsed


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_tag_feed_whose_last_item_leaves_is_empty_not_missing(
    client, make_news, committed, fmt
):
    page = make_news("Tagged", tags=["Smart Cities"])
    make_news("Other", day=2, tags=["Energy"])
    _response, result = parsed(client, fmt, "?tag=smart-cities")
    assert [e.title for e in result.entries] == ["Tagged"]
    with committed():
        page.unpublish()
    for tag in ("smart-cities", "Smart%20Cities"):
        _response, result = parsed(client, fmt, "?tag=" + tag)
        assert result.entries == []
        assert result.feed.title == "BaltMet Inno: Smart Cities"


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_deleted_tag_is_gone(client, make_news, committed, fmt):
    page = make_news("Tagged", tags=["Smart Cities"])
    assert client.get(FEED_URLS[fmt] + "?tag=smart-cities").status_code == 200
    with committed():
        page.unpublish()
        Tag.objects.filter(slug="smart-cities").delete()
    for tag in ("smart-cities", "Smart%20Cities"):
        response = client.get(FEED_URLS[fmt] + "?tag=" + tag)
        assert response.status_code == 410
    assert client.get(FEED_URLS[fmt] + "?tag=never-was").status_code == 404


def test_a_deleted_tags_answer_is_kept_until_the_tag_returns(client, make_news, committed):
    """The 410 is cached like any answer (it was asked for again on every request),
    and a tag made again under the same name makes its feed live again."""
    url = FEED_URLS["rss"] + "?tag=smart-cities"
    page = make_news("Tagged", tags=["Smart Cities"])
    assert client.get(url).status_code == 200
    with committed():
        page.unpublish()
        Tag.objects.filter(slug="smart-cities").delete()
    assert client.get(url).status_code == 410
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 410
    served = ServedTag._meta.db_table
    assert not [q for q in queries.captured_queries if served in q["sql"]]
    with committed():
        Tag.objects.create(name="Smart Cities", slug="smart-cities")
    response = client.get(url)
    assert response.status_code == 200 and b"<item>" not in response.content


def test_a_tag_never_served_stays_unknown(client, make_news, committed):
    """Only a tag whose feed listed public news is remembered: a draft's tag
    cannot be probed, before or after deletion."""
    page = make_news("Hidden", tags=["Secret plans"])
    with committed():
        page.unpublish()
    assert client.get(FEED_URLS["rss"] + "?tag=secret-plans").status_code == 404
    with committed():
        Tag.objects.filter(slug="secret-plans").delete()
    assert client.get(FEED_URLS["rss"] + "?tag=secret-plans").status_code == 404


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_tag_feed_names_the_publisher_not_the_tag(client, make_news, fmt):
    make_news("Tagged", tags=["Smart Cities"])
    _response, result = parsed(client, fmt, "?tag=smart-cities")
    assert result.feed.author == "BaltMet Inno"


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_every_item_names_its_publisher(client, make_news, tree, fmt):
    make_news("First", tags=["Energy"])
    make_news("Second", day=2)
    for query in ("", "?tag=energy"):
        _response, result = parsed(client, fmt, query)
        assert [e.author for e in result.entries] == ["BaltMet Inno"] * len(result.entries)
    body = client.get(FEED_URLS[fmt]).content.decode()
    if fmt == "rss":
        assert body.count("<dc:creator>BaltMet Inno</dc:creator>") == 3  # channel + 2 items
    if fmt == "atom":
        assert body.count("<author><name>BaltMet Inno</name></author>") == 3

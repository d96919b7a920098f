"""HTTP: content types, validators, 304, HEAD, Cache-Control, gzip, paging."""

import datetime
import gzip

import pytest
import time_machine
from django.utils.http import http_date, parse_http_date

from syndication.cache import current_generation, generation_changed_at
from tests.syndication.conftest import FEED_URLS, set_feed_settings

TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


@pytest.fixture
def news(make_news):
    return [make_news(f"Item {day}", day=day) for day in (1, 2)]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_content_type_validators_and_cache_control(client, news, fmt, settings):
    settings.SYNDICATION_MAX_AGE = 123
    response = client.get(FEED_URLS[fmt])
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES[fmt]
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 10
    # The newest item's change, or the last invalidation if that came later
    # (it may have removed an item).
    newest = max(page.last_published_at for page in news)
    changed_at = generation_changed_at(current_generation(news[0].get_site().pk))
    assert parse_http_date(response["Last-Modified"]) == int(
        max(newest.timestamp(), changed_at)
    )
    assert "max-age=123" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_if_none_match_gives_304_until_the_feed_changes(client, news, fmt, make_news):
    etag = client.get(FEED_URLS[fmt])["ETag"]
    not_modified = client.get(FEED_URLS[fmt], HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert "max-age" in not_modified["Cache-Control"]
    assert client.get(FEED_URLS[fmt], HTTP_IF_NONE_MATCH='"other"').status_code == 200

    make_news("Newer", day=3)
    changed = client.get(FEED_URLS[fmt], HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_gives_304(client, news):
    last_modified = client.get(FEED_URLS["atom"])["Last-Modified"]
    assert client.get(
        FEED_URLS["atom"], HTTP_IF_MODIFIED_SINCE=last_modified
    ).status_code == 304
    earlier = http_date(parse_http_date(last_modified) - 60)
    assert client.get(FEED_URLS["atom"], HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_removal_never_moves_last_modified_back(client, news, committed):
    """Unpublishing the newest item makes the newest change older; a reader
    asking If-Modified-Since must still get the new feed."""
    last_modified = client.get(FEED_URLS["rss"])["Last-Modified"]
    # HTTP dates have whole seconds; a removal within the same second as a
    # burst of earlier changes is only told apart by the ETag.
    with time_machine.travel(datetime.timedelta(seconds=5)):
        with committed():
            news[1].unpublish()
        response = client.get(FEED_URLS["rss"], HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert "Item 2" not in response.content.decode()
    assert parse_http_date(response["Last-Modified"]) >= parse_http_date(last_modified)


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_head_has_headers_without_body(client, news, fmt):
    get = client.get(FEED_URLS[fmt])
    head = client.head(FEED_URLS[fmt])
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == TYPES[fmt]


def test_post_is_not_allowed(client, news):
    assert client.post(FEED_URLS["rss"]).status_code == 405


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_gzip_for_clients_that_accept_it(client, news, fmt):
    plain = client.get(FEED_URLS[fmt])
    compressed = client.get(FEED_URLS[fmt], HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    # A compressed response's validator still revalidates.
    etag = compressed["ETag"]
    assert client.get(
        FEED_URLS[fmt], HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag
    ).status_code == 304


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True), ("deflate, gzip;q=0.5", True), ("*", True), ("GZIP", True),
        ("gzip;q=0", False), ("gzip; q=0.0, deflate", False), ("*;q=0", False),
        ("identity", False), ("", False), ("gzip;q=0, *", False), ("gzipped", False),
        ("br, *;q=0.1", True),
    ],
)
def test_gzip_only_for_a_quality_above_zero(client, news, accept_encoding, gzipped):
    response = client.get(FEED_URLS["atom"], HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response.has_header("Content-Encoding") is gzipped
    assert "Accept-Encoding" in response["Vary"]


def test_paging_links_and_pages(client, make_news, tree):

    set_feed_settings(tree, item_count=2)
    for day in range(1, 6):
        make_news(f"Item {day}", day=day)
    import json

    page1 = json.loads(client.get(FEED_URLS["json"]).content)
    page2 = json.loads(client.get(FEED_URLS["json"] + "?page=2").content)
    page3 = json.loads(client.get(FEED_URLS["json"] + "?page=3").content)
    assert [i["title"] for i in page1["items"]] == ["Item 5", "Item 4"]
    assert [i["title"] for i in page2["items"]] == ["Item 3", "Item 2"]
    assert [i["title"] for i in page3["items"]] == ["Item 1"]
    assert page1["next_url"] == "http://testserver/feeds/news.json?page=2"
    assert page2["feed_url"] == "http://testserver/feeds/news.json?page=2"
    assert page2["_paging"]["previous"] == "http://testserver/feeds/news.json"
    assert "next_url" not in page3
    assert client.get(FEED_URLS["json"] + "?page=4").status_code == 404


def test_paging_keeps_the_tag_in_every_link(client, make_news, tree):
    from tests.syndication.feedxml import ATOM, xml

    set_feed_settings(tree, item_count=1)
    for day in range(1, 4):
        make_news(f"Item {day}", day=day, tags=["Energy"])
    feed = xml(client.get(FEED_URLS["atom"] + "?tag=energy&page=2"))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{{{ATOM}}}link")}
    base = "http://testserver/feeds/news.atom?tag=energy"
    assert links["self"] == base + "&page=2"
    assert links["first"] == base
    assert links["next"] == base + "&page=3"
    assert links["previous"] == base


@pytest.mark.parametrize("fmt", ["rss", "atom", "json", "ics"])
@pytest.mark.parametrize(
    "query",
    [
        "?page=0", "?page=-1", "?page=x", "?page=1.5", "?page=%C2%B2", "?page=%EF%BC%91",
        "?page=10000000000000000000", "?page=1000001", "?tag=" + "x" * 101, "?tag=a%00b",
        "?tag=%01", "?tag=a%1b[31m", "?page=1%00", "?milestones=yes", "?x%00=1",
    ],
)
def test_malformed_query_is_a_400_with_a_message(client, news, fmt, query):
    path = FEED_URLS[fmt] if fmt != "ics" else "/feeds/events.ics"
    response = client.get(path + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert 0 < len(response.content.strip()) < 100


@pytest.mark.parametrize("query", ["?page=3", "?tag=no-such-tag", "?tag=Item%201"])
def test_a_feed_that_does_not_exist_is_a_404(client, news, query):
    response = client.get(FEED_URLS["rss"] + query)
    assert response.status_code == 404
    assert response.content == b"No such feed.\n"

"""Reading a feed's address: once per process for each raw request, bounded,
and never keeping what a host or a setting no longer allows."""

import pytest

from syndication.address import READ, ReadAddresses
from tests.syndication.conftest import FEED_URLS


@pytest.fixture(autouse=True)
def nothing_read():
    READ.clear()
    yield
    READ.clear()


def test_a_repeated_request_is_not_parsed_again(client, make_news):
    """Feed readers poll the same address: its query string is parsed once."""
    make_news("Item", tags=["Energy"])
    first = client.get(FEED_URLS["rss"] + "?tag=energy")
    again = client.get(FEED_URLS["rss"] + "?tag=energy")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    # Django parses the query string on first reading of request.GET and keeps it.
    assert "GET" in first.wsgi_request.__dict__
    assert "GET" not in again.wsgi_request.__dict__


def test_a_repeated_malformed_request_is_refused_each_time(client, make_news):
    make_news("Item")
    for _ in range(2):
        response = client.get(FEED_URLS["rss"] + "?page=0")
        assert response.status_code == 400
        assert b"page must be a whole number" in response.content


def test_each_host_and_query_reads_its_own_address(client, make_news, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    make_news("Item", tags=["Energy"])
    other = client.get(FEED_URLS["rss"], HTTP_HOST="127.0.0.1").content
    assert b"http://127.0.0.1/" in other
    assert b"http://127.0.0.1/" not in client.get(FEED_URLS["rss"]).content
    assert client.get(FEED_URLS["rss"] + "?page=2").status_code == 404


def test_a_host_no_longer_allowed_is_refused(client, make_news, settings):
    settings.ALLOWED_HOSTS = ["testserver", "feeds.example.org"]
    make_news("Item")
    assert client.get(FEED_URLS["rss"], HTTP_HOST="feeds.example.org").status_code == 200
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get(FEED_URLS["rss"], HTTP_HOST="feeds.example.org").status_code == 400


def test_a_changed_base_url_is_followed(client, make_news, settings):
    make_news("Item")
    assert b"http://testserver/feeds/news.rss" in client.get(FEED_URLS["rss"]).content
    settings.SYNDICATION_BASE_URL = "https://news.example.org"
    assert b"https://news.example.org/feeds/news.rss" in client.get(FEED_URLS["rss"]).content


def test_the_read_addresses_are_bounded():
    read = ReadAddresses(3)
    for n in range(5):
        read.put(n, f"reason {n}")
    assert read.get(0) is None and read.get(1) is None
    assert [read.get(n) for n in (2, 3, 4)] == ["reason 2", "reason 3", "reason 4"]

"""WebSub: feeds advertise the hub; publishing pings it in the background,
retrying a failing hub and never failing the publication.

The hub is a real HTTP server on 127.0.0.1.
"""

import http.server
import json
import logging
import socket
import threading
from urllib.parse import parse_qs

import pytest
from django_tasks import TaskResultStatus

from cms.models import NewsPage
from syndication.tasks import HubPingFailed, ping_hub, topic_urls
from tests.syndication.conftest import FEED_URLS, set_feed_settings
from tests.syndication.feedxml import ATOM, NS, xml


class Hub:
    """A tiny hub: answers each ping with the next status of ``statuses``."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.pings = []
        self.received = threading.Condition()
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = parse_qs(self.rfile.read(length).decode())
                status = hub.statuses.pop(0) if len(hub.statuses) > 1 else hub.statuses[0]
                with hub.received:
                    hub.pings.append(form)
                    hub.received.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10):
        with self.received:
            self.received.wait_for(lambda: len(self.pings) >= count, timeout)
        return self.pings

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub_factory():
    hubs = []

    def make(*statuses):
        hubs.append(Hub(statuses))
        return hubs[-1]

    yield make
    for hub in hubs:
        hub.close()


@pytest.fixture
def down_hub_url():
    """A port on 127.0.0.1 with nothing listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.SYNDICATION_WEBSUB_BACKOFF = 0.05
    settings.SYNDICATION_WEBSUB_TIMEOUT = 2


def test_ping_is_a_websub_publish_notification(hub_factory):
    hub = hub_factory(204)
    result = ping_hub.enqueue(hub.url, ["http://a.example/feeds/news.rss"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert hub.pings == [
        {"hub.mode": ["publish"], "hub.url": ["http://a.example/feeds/news.rss"]}
    ]


def test_failing_hub_is_retried_until_it_accepts(hub_factory, caplog):
    hub = hub_factory(503, 500, 202)
    with caplog.at_level(logging.WARNING, logger="syndication.tasks"):
        result = ping_hub.enqueue(hub.url, ["http://a.example/feeds/news.atom"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 3
    assert len(hub.pings) == 3
    warnings = [r for r in caplog.records if r.name == "syndication.tasks"]
    assert len(warnings) == 2
    assert "HTTP 503" in warnings[0].getMessage()


def test_down_hub_is_given_up_and_logged(down_hub_url, caplog, settings):
    settings.SYNDICATION_WEBSUB_ATTEMPTS = 2
    with caplog.at_level(logging.WARNING, logger="syndication.tasks"):
        result = ping_hub.enqueue(down_hub_url, ["http://a.example/feeds/news.rss"])
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is HubPingFailed
    ours = [r.levelno for r in caplog.records if r.name == "syndication.tasks"]
    assert ours == [logging.WARNING] * 2 + [logging.ERROR]


def test_topics_are_every_format_and_the_pages_tag_feeds(tree, settings):
    site = tree.home.get_site()
    assert topic_urls(site, ["energy"]) == [
        "http://localhost/feeds/news.rss",
        "http://localhost/feeds/news.atom",
        "http://localhost/feeds/news.json",
        "http://localhost/feeds/news.rss?tag=energy",
        "http://localhost/feeds/news.atom?tag=energy",
        "http://localhost/feeds/news.json?tag=energy",
    ]
    settings.SYNDICATION_BASE_URL = "https://api.example.org/"
    assert topic_urls(site)[0] == "https://api.example.org/feeds/news.rss"


def test_publishing_news_pings_the_hub_in_the_background(tree, publish, hub_factory):
    hub = hub_factory(204)
    set_feed_settings(tree, websub_hub=hub.url)
    page = NewsPage(title="Hello hub")
    page.tags.add("Energy")
    publish(tree.news, page)
    pings = hub.wait_for(1)
    assert len(pings) == 1
    assert "http://localhost/feeds/news.atom" in pings[0]["hub.url"]
    assert "http://localhost/feeds/news.json?tag=energy" in pings[0]["hub.url"]


def test_publishing_succeeds_with_a_down_hub(client, tree, publish, down_hub_url, caplog):
    set_feed_settings(tree, websub_hub=down_hub_url)
    with caplog.at_level(logging.WARNING, logger="syndication.tasks"):
        page = publish(tree.news, NewsPage(title="Published anyway"))
    assert page.live
    assert b"Published anyway" in client.get(FEED_URLS["rss"]).content


def test_no_hub_configured_means_no_ping(tree, publish, hub_factory):
    hub = hub_factory(204)
    publish(tree.news, NewsPage(title="Quiet"))
    assert hub.wait_for(1, timeout=0.5) == []


def test_feeds_advertise_the_hub(client, tree, make_news):
    set_feed_settings(tree, websub_hub="https://hub.example/")
    make_news("Item")
    rss = xml(client.get(FEED_URLS["rss"]))
    assert rss.find("channel/atom:link[@rel='hub']", NS).get("href") == "https://hub.example/"
    atom = xml(client.get(FEED_URLS["atom"]))
    assert atom.find(f"{{{ATOM}}}link[@rel='hub']").get("href") == "https://hub.example/"
    data = json.loads(client.get(FEED_URLS["json"]).content)
    assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]


def test_without_hub_feeds_advertise_none(client, tree, make_news):
    make_news("Item")
    assert b'rel="hub"' not in client.get(FEED_URLS["rss"]).content
    assert "hubs" not in json.loads(client.get(FEED_URLS["json"]).content)

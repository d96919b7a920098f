"""WebSub: feeds advertise the hub; publishing queues a ping that the task
worker sends, retrying a failing hub later and never failing the publication.

The hub is a real HTTP server on 127.0.0.1; the worker is django-tasks-db's
``db_worker``, run in the test's process.
"""

import http.server
import json
import logging
import socket
import threading
from urllib.parse import parse_qs

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.models import NewsPage
from syndication.tasks import ping_hub, topic_urls
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
def quick_timeouts(settings):
    settings.SYNDICATION_WEBSUB_TIMEOUT = 2


def ping_tasks():
    return DBTaskResult.objects.filter(task_path="syndication.tasks.ping_hub")


def test_ping_is_a_websub_publish_notification(hub_factory, run_worker):
    hub = hub_factory(204)
    result = ping_hub.enqueue(hub.url, ["http://a.example/feeds/news.rss"])
    assert result.status == TaskResultStatus.READY and hub.pings == []
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"attempt": 1, "delivered": True}
    assert hub.pings == [
        {"hub.mode": ["publish"], "hub.url": ["http://a.example/feeds/news.rss"]}
    ]


def test_failing_hub_is_retried_later_with_a_growing_pause(
    hub_factory, run_worker, settings, caplog
):
    """A refused ping is queued again for after the pause (doubling each
    time), so the worker is free in between; time-machine stands in for the wait."""
    settings.SYNDICATION_WEBSUB_BACKOFF = 60
    hub = hub_factory(503, 500, 202)
    with time_machine.travel(timezone.now(), tick=True) as clock, caplog.at_level(
        logging.WARNING, logger="syndication.tasks"
    ):
        ping_hub.enqueue(hub.url, ["http://a.example/feeds/news.atom"])
        run_worker()
        assert len(hub.pings) == 1
        [retry] = ping_tasks().filter(status="READY")
        assert retry.args_kwargs["kwargs"] == {"attempt": 2}
        assert 59 <= (retry.run_after - timezone.now()).total_seconds() <= 60

        run_worker()  # not due yet: the worker does not wait for it
        assert len(hub.pings) == 1
        clock.shift(61)
        run_worker()
        assert len(hub.pings) == 2
        [retry] = ping_tasks().filter(status="READY")
        assert 119 <= (retry.run_after - timezone.now()).total_seconds() <= 120

        clock.shift(121)
        run_worker()
    assert len(hub.pings) == 3
    [last] = ping_tasks().filter(args_kwargs__kwargs__attempt=3)
    assert last.status == "SUCCESSFUL"
    assert last.return_value == {"attempt": 3, "delivered": True}
    warnings = [r for r in caplog.records if r.name == "syndication.tasks"]
    assert [r.levelno for r in warnings] == [logging.WARNING, logging.WARNING]
    assert "HTTP 503" in warnings[0].getMessage()
    assert warnings[1].attempt == 2


def test_down_hub_is_given_up_and_logged(down_hub_url, run_worker, caplog, settings):
    settings.SYNDICATION_WEBSUB_ATTEMPTS = 2
    settings.SYNDICATION_WEBSUB_BACKOFF = 30
    with time_machine.travel(timezone.now(), tick=True) as clock, caplog.at_level(
        logging.WARNING, logger="syndication.tasks"
    ):
        result = ping_hub.enqueue(down_hub_url, ["http://a.example/feeds/news.rss"])
        run_worker()
        clock.shift(31)
        run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL  # the first attempt queued a retry
    [retry] = ping_tasks().exclude(pk=result.id)
    assert retry.status == "FAILED"
    assert retry.exception_class_path == "syndication.tasks.HubPingFailed"
    assert ping_tasks().filter(status="READY").count() == 0
    ours = [r.levelno for r in caplog.records if r.name == "syndication.tasks"]
    assert ours == [logging.WARNING] * 2 + [logging.ERROR]


def test_a_backend_that_cannot_wait_tries_once(hub_factory, settings, caplog):
    """Django's immediate backend runs the ping inside the publishing request:
    one attempt, so the editor never waits for retries."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SYNDICATION_WEBSUB_BACKOFF = 60
    hub = hub_factory(503)
    with caplog.at_level(logging.WARNING, logger="syndication.tasks"):
        result = ping_hub.enqueue(hub.url, ["http://a.example/feeds/news.rss"])
    assert result.status == TaskResultStatus.FAILED
    assert len(hub.pings) == 1
    ours = [r.levelno for r in caplog.records if r.name == "syndication.tasks"]
    assert ours == [logging.WARNING, logging.ERROR]


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


def test_publishing_news_queues_the_ping_for_the_worker(tree, publish, hub_factory, run_worker):
    hub = hub_factory(204)
    set_feed_settings(tree, websub_hub=hub.url)
    page = NewsPage(title="Hello hub")
    page.tags.add("Energy")
    publish(tree.news, page)
    # Publishing only queued it: nothing reached the hub from this process.
    assert ping_tasks().get().status == "READY"
    assert hub.pings == []
    run_worker()
    pings = hub.wait_for(1)
    assert len(pings) == 1
    assert "http://localhost/feeds/news.atom" in pings[0]["hub.url"]
    assert "http://localhost/feeds/news.json?tag=energy" in pings[0]["hub.url"]


def test_publishing_succeeds_with_a_down_hub(client, tree, publish, down_hub_url, run_worker):
    set_feed_settings(tree, websub_hub=down_hub_url)
    page = publish(tree.news, NewsPage(title="Published anyway"))
    run_worker()
    assert page.live
    assert b"Published anyway" in client.get(FEED_URLS["rss"]).content


def test_no_hub_configured_means_no_ping(tree, publish, tasks_in_database):
    publish(tree.news, NewsPage(title="Quiet"))
    assert not ping_tasks().exists()


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

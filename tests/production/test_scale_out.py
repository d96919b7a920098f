"""Scale-out, end to end: two gunicorn instances (two machines, as far as
the site can tell) share one PostgreSQL and one Redis, and one task worker
runs the background work.

- A news page an editor publishes through instance A is in the feeds and
  the API that instance B serves on the very next request.
- The WebSub hub (a real HTTP server of this test) gets the ping from the
  worker, not from a web process.
- A page scheduled a few seconds ahead goes live on both instances once the
  worker has run at its time.
"""

import datetime
import os

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.site_tree import ensure_site_tree
from syndication.models import FeedSettings
from tests.production.editor import Editor
from tests.production.servers import (
    Gunicorn,
    TaskWorker,
    committed_database_url,
    production_env,
    wait_until,
)
from tests.syndication.test_websub import Hub

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="several processes share PostgreSQL and Redis: runs in CI's PostgreSQL leg",
)
WORKER_ID = "scale-out-worker"
FEED, API = "/feeds/news.rss", "/api/v2/pages/?type=cms.NewsPage&fields=title&limit=50"


@pytest.fixture
def hub():
    server = Hub([204])
    yield server
    server.close()


@pytest.fixture
def deployment(transactional_db, settings, static_root, hub, tmp_path):
    """The site's data, committed where the processes see it; then A, B and
    the worker, stopped (whatever happens) at the end."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    tree = ensure_site_tree()
    get_user_model().objects.create_superuser("editor", "e@example.org", "editor-pw")
    FeedSettings.objects.create(site=tree.home.get_site(), websub_hub=hub.url)

    env = production_env(
        DATABASE_URL=committed_database_url(),
        REDIS_URL=os.environ["REDIS_URL"],
        CACHE_KEY_PREFIX=django_settings.CACHES["default"]["KEY_PREFIX"],
        STATIC_ROOT=static_root,
        # Plain HTTP between this test and the instances.
        SECURE_SSL_REDIRECT=0,
        SECURE_COOKIES=0,
    )
    processes = []
    try:
        for name in ("a", "b"):
            processes.append(Gunicorn(env, tmp_path / f"{name}.log", workers=2))
        processes.append(TaskWorker(env, tmp_path / "worker.log", WORKER_ID))
        yield tree, *processes
    finally:
        for process in processes:
            process.stop()
    for process in processes:
        assert "Traceback" not in process.output(), process.output()


def titles(response):
    return {item["title"] for item in response.json()["items"]}


def shows(instance, title):
    """Whether both the feed and the API of the instance list the title."""
    feed = requests.get(instance.url + FEED, timeout=30)
    api = requests.get(instance.url + API, timeout=30)
    return title in feed.text and title in titles(api)


def finished(task_path):
    return list(DBTaskResult.objects.filter(task_path=task_path).finished())


def test_two_instances_and_a_worker(deployment, hub):
    tree, a, b, worker = deployment
    editor = Editor(a.url, "editor", "editor-pw")
    assert requests.get(b.url + "/healthz", timeout=30).json() == {"status": "ok"}

    # B has served (and cached) its feeds and API before the change.
    for _ in range(4):
        assert not shows(b, "Published on A")

    editor.publish_news(tree.news.pk, "Published on A", "published-on-a")
    # The next requests to B, whichever of its workers answers, show it.
    for _ in range(4):
        assert shows(b, "Published on A")
    feed = requests.get(b.url + FEED, timeout=30)
    assert feed.headers["Cache-Control"].startswith("public, max-age=")
    assert feed.headers["ETag"] and "Accept-Encoding" in feed.headers["Vary"]
    revalidated = requests.get(
        b.url + FEED, headers={"If-None-Match": feed.headers["ETag"]}, timeout=30
    )
    assert revalidated.status_code == 304

    # The worker, and no web process, pinged the hub.
    [ping] = hub.wait_for(1, timeout=30)
    assert "/feeds/news.atom" in ping["hub.url"][1]
    [ping_task] = wait_until(
        lambda: finished("syndication.tasks.ping_hub"),
        timeout=30, message="the ping task never finished",
    )
    assert ping_task.status == "SUCCESSFUL" and ping_task.worker_ids == [WORKER_ID]

    go_live = timezone.now() + datetime.timedelta(seconds=4)
    editor.publish_news(tree.news.pk, "Scheduled on A", "scheduled-on-a", go_live_at=go_live)
    assert not shows(a, "Scheduled on A") and not shows(b, "Scheduled on A")
    wait_until(
        lambda: shows(a, "Scheduled on A") and shows(b, "Scheduled on A"),
        timeout=60, message="the scheduled page never went live on both instances",
        interval=0.2,
    )
    assert timezone.now() >= go_live.replace(microsecond=0)
    [run] = wait_until(
        lambda: finished("cms.tasks.publish_scheduled_pages"),
        timeout=30, message="the publish_scheduled task never finished",
    )
    assert run.status == "SUCCESSFUL" and run.worker_ids == [WORKER_ID]

"""A cache outage is a slowdown, not an outage.

In one process: with Redis at a closed port every kind of URL answers 200
from the database. End to end: two gunicorn instances and the task worker
on PostgreSQL and a Redis of the test's own; Redis stops, requests go on,
news is published from another process, Redis starts again (with the data
it held before), and one second later no instance serves a feed or an API
answer without that news.
"""

import time

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection

from cms.models import NewsPage
from cms.site_tree import ensure_site_tree
from tests.production.servers import (
    Gunicorn,
    TaskWorker,
    committed_database_url,
    free_port,
    manage,
    production_env,
    wait_until,
)
from tests.serving import RedisServer

FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json", "/feeds/events.ics"]
API = "/api/v2/pages/?type=cms.NewsPage&fields=title&limit=50"
API_V3 = "/api/v3/pages/?type=cms.NewsPage&limit=50"


@pytest.fixture
def cache_down(settings):
    """The site's cache (the fail-soft Redis backend) at a port nothing listens on."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "cms.fail_soft_cache.FailSoftRedisCache", "LOCATION": location,
    }}
    yield location
    caches["default"].close()


def test_every_kind_of_url_answers_200_without_redis(client, tree, publish, cache_down):
    news = publish(tree.news, NewsPage(title="Served from the database"))
    paths = [
        "/", news.url, "/feeds/", *FEEDS, "/api/v2/pages/", f"/api/v2/pages/{news.pk}/",
        "/api/v3/pages/", f"/api/v3/pages/{news.pk}/", "/api/v3/pages/?child_of=root",
    ]
    port = cache_down.rsplit(":", 1)[1].split("/")[0]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:300])
        body = response.content.decode()
        assert port not in body and "Connection refused" not in body, path
    assert "Served from the database" in client.get(FEEDS[0]).content.decode()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "failed": ["cache"]}


# -- end to end -------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several processes share the test's database: runs in CI's PostgreSQL leg",
)


@pytest.fixture
def deployment(transactional_db, settings, static_root, tmp_path):
    """A and B (two workers each) and the task worker, on the test's
    database and a Redis of its own; all stopped at the end."""
    tree = ensure_site_tree()
    get_user_model().objects.create_superuser("editor", "e@example.org", "editor-pw")
    redis = RedisServer(tmp_path / "redis")
    env = production_env(
        DATABASE_URL=committed_database_url(),
        REDIS_URL=redis.url,
        CACHE_KEY_PREFIX=django_settings.CACHES["default"]["KEY_PREFIX"],
        STATIC_ROOT=static_root,
        SECURE_SSL_REDIRECT=0,
        SECURE_COOKIES=0,
    )
    processes = []
    try:
        for name in ("a", "b"):
            processes.append(Gunicorn(env, tmp_path / f"{name}.log", workers=2))
        processes.append(TaskWorker(env, tmp_path / "worker.log", "outage-worker"))
        yield tree, env, redis, processes[:2]
    finally:
        for process in processes:
            process.stop()
        redis.stop()
    for process in processes:
        assert "Traceback" not in process.output(), process.output()


def answers(instance):
    """Every answer that carries the news list: the feeds and both APIs."""
    return [requests.get(instance.url + path, timeout=30) for path in [*FEEDS[:3], API, API_V3]]


def shows(instance, title):
    found = []
    for response in answers(instance):
        assert response.status_code == 200, (response.url, response.status_code)
        found.append(title in response.text)
    return all(found)


def health(instance):
    response = requests.get(instance.url + "/healthz", timeout=30)
    return response.status_code, response.json()


def publish_from_another_process(env, tree, title, slug):
    code = (
        "from cms.models import NewsIndexPage, NewsPage\n"
        f"index = NewsIndexPage.objects.get(pk={tree.news.pk})\n"
        f"page = index.add_child(instance=NewsPage(title={title!r}, slug={slug!r}))\n"
        "page.save_revision().publish()\n"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr


@needs_postgres
def test_redis_stops_and_starts_again_under_two_instances(deployment):
    tree, env, redis, instances = deployment
    publish_from_another_process(env, tree, "Before the outage", "before")
    for instance in instances:
        assert health(instance) == (200, {"status": "ok"})
        for _ in range(4):  # every worker of each instance has the feeds cached
            assert shows(instance, "Before the outage")

    redis.stop()
    for instance in instances:
        for _ in range(4):
            assert health(instance) == (200, {"status": "degraded", "failed": ["cache"]})
            assert shows(instance, "Before the outage")
    publish_from_another_process(env, tree, "During the outage", "during")
    wait_until(
        lambda: all(shows(instance, "During the outage") for instance in instances),
        timeout=10, message="news published during the outage never showed",
    )

    redis.start()  # with the generation and the feeds it held before the outage
    back = time.monotonic()
    wait_until(
        lambda: all(health(instance) == (200, {"status": "ok"}) for instance in instances),
        timeout=10, message="the instances never found Redis back",
    )
    wait_until(lambda: time.monotonic() - back >= 1, timeout=2, message="the clock stopped")
    stale = [
        (instance.url, response.url)
        for _ in range(10)
        for instance in instances
        for response in answers(instance)
        if "During the outage" not in response.text
    ]
    assert stale == []
    # Back to caching: a second request for a feed is served from the cache.
    wait_until(
        lambda: redis_keys(redis, "*syndication:feed:*"), timeout=10,
        message="no feed was cached in Redis after it came back",
    )


def redis_keys(redis, pattern):
    import redis as redis_client

    client = redis_client.Redis.from_url(redis.url)
    try:
        return client.keys(pattern)
    finally:
        client.close()

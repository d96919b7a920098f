"""WebSub: tell the site's hub that its feeds changed, in the background.

A hub that is slow, failing or down must never block or fail publishing:
the ping runs as a task, retries with a growing pause, and logs what
happened. django_tasks' ImmediateBackend runs a task inline; it is then
started from a thread, so the editor's publish does not wait for the hub.
"""

import logging
import threading
import time

import requests
from django.urls import reverse
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from syndication import conf
from syndication.document import FORMATS, NEWS_FORMATS

logger = logging.getLogger(__name__)


class HubPingFailed(Exception):
    """The hub did not accept the ping after every attempt."""


@task()
def ping_hub(hub_url, topic_urls):
    """POST a WebSub publish notification (``hub.mode=publish``) for the topics."""
    attempts = max(1, conf.websub_attempts())
    pause = conf.websub_backoff()
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(
                hub_url,
                data={"hub.mode": "publish", "hub.url": topic_urls},
                timeout=conf.websub_timeout(),
            )
            if 200 <= response.status_code < 300:
                logger.info("WebSub hub %s notified (attempt %d)", hub_url, attempt)
                return attempt
            problem = f"HTTP {response.status_code}"
        except requests.RequestException as error:
            problem = str(error)
        logger.warning(
            "WebSub hub %s refused the ping, attempt %d of %d: %s",
            hub_url, attempt, attempts, problem,
        )
        if attempt < attempts:
            time.sleep(pause)
            pause *= 2
    logger.error("WebSub hub %s not notified after %d attempts", hub_url, attempts)
    raise HubPingFailed(hub_url)


def topic_urls(site, tags=()):
    """The feed URLs a hub knows the site's feeds by: each format, and the
    tag feeds of the page that changed."""
    origin = conf.base_url() or site.root_url
    urls = []
    for query in ["", *(f"?tag={tag}" for tag in tags)]:
        urls.extend(origin + reverse(FORMATS[fmt][1]) + query for fmt in NEWS_FORMATS)
    return urls


def notify_hub(hub_url, topics):
    """Queue the ping; never raise into the caller (publishing)."""

    def enqueue():
        try:
            ping_hub.enqueue(hub_url, topics)
        except Exception:
            logger.exception("WebSub ping to %s could not be queued", hub_url)

    if isinstance(task_backends[ping_hub.backend], ImmediateBackend):
        threading.Thread(target=enqueue, name="websub-ping", daemon=True).start()
    else:
        enqueue()

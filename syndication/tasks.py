"""WebSub: tell the site's hub that its feeds changed, from the task worker.

A hub that is slow, failing or down must never block or fail publishing:
publishing only queues the ping (once its transaction commits), and the
task worker sends it. A refused ping is queued again to run after a pause
that doubles each time (``SYNDICATION_WEBSUB_BACKOFF``), so a waiting retry
holds up no other task, until ``SYNDICATION_WEBSUB_ATTEMPTS`` attempts are
spent; every attempt is logged. A backend that cannot run a task later
(Django's immediate backend, which runs it inside the publishing request)
gets one attempt: retrying there would make the editor wait.
"""

import datetime
import logging

import requests
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from syndication import conf
from syndication.address import FORMATS, NEWS_FORMATS

logger = logging.getLogger(__name__)


class HubPingFailed(Exception):
    """The hub did not accept the ping after every attempt."""


def post_ping(hub_url, topic_urls):
    """POST a WebSub publish notification; the problem, or None when accepted."""
    try:
        response = requests.post(
            hub_url,
            data={"hub.mode": "publish", "hub.url": topic_urls},
            timeout=conf.websub_timeout(),
        )
    except requests.RequestException as error:
        return str(error)
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


def retry_delay(attempt):
    """Seconds between attempt ``attempt`` and the next one."""
    return conf.websub_backoff() * 2 ** (attempt - 1)


@task()
def ping_hub(hub_url, topic_urls, attempt=1):
    """Notify the hub (``hub.mode=publish``) that the topics changed."""
    attempts = max(1, conf.websub_attempts())
    fields = {"hub": hub_url, "attempt": attempt}
    problem = post_ping(hub_url, topic_urls)
    if problem is None:
        logger.info("WebSub hub %s notified (attempt %d)", hub_url, attempt, extra=fields)
        return {"attempt": attempt, "delivered": True}
    logger.warning(
        "WebSub hub %s refused the ping, attempt %d of %d: %s",
        hub_url, attempt, attempts, problem, extra=fields,
    )
    if attempt < attempts and ping_hub.get_backend().supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=retry_delay(attempt))
        retry = ping_hub.using(run_after=run_after).enqueue(
            hub_url, topic_urls, attempt=attempt + 1
        )
        return {"attempt": attempt, "delivered": False, "retry": str(retry.id)}
    logger.error("WebSub hub %s not notified after %d attempts", hub_url, attempt, extra=fields)
    raise HubPingFailed(f"{hub_url}: {problem}")


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
    try:
        ping_hub.enqueue(hub_url, topics)
    except Exception:
        logger.exception("WebSub ping to %s could not be queued", hub_url)

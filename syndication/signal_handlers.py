"""Keep feeds current: invalidate on every change that can alter one, and
ping the WebSub hub when news is published.

Any page's publication, unpublication, move or deletion invalidates: besides
news itself, a moved or renamed ancestor changes item URLs and visibility.
Invalidation waits for the commit, or a reader could re-cache the old state
before the change is visible.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import fail_soft_cache
from cms.models import NewsPage
from syndication import cache
from syndication.models import FeedSettings
from syndication.tasks import notify_hub, topic_urls

logger = logging.getLogger(__name__)


def invalidate_feeds(**kwargs):
    # robust: a cache or Redis outage is logged, never fails the change itself.
    transaction.on_commit(cache.invalidate, robust=True)


def invalidate_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_feeds()


def announce_news(sender, instance, **kwargs):
    """Queue a hub ping for the feeds of the site the published news is on."""
    if not isinstance(instance, NewsPage):
        return
    try:
        site = instance.get_site()
        options = FeedSettings.for_site(site) if site else None
        if options is None or not options.websub_hub:
            return
        tags = [tag.slug for tag in instance.tags.all()]
        hub, topics = options.websub_hub, topic_urls(site, tags)
        transaction.on_commit(lambda: notify_hub(hub, topics))
    except Exception:
        # Publishing must succeed whatever happens to the announcement.
        logger.exception("WebSub ping for page %s not queued", instance.pk)


def register():
    fail_soft_cache.recovered.connect(cache.outage_over, dispatch_uid="syndication-outage")
    page_published.connect(invalidate_feeds, dispatch_uid="syndication-published")
    page_published.connect(announce_news, dispatch_uid="syndication-websub")
    page_unpublished.connect(invalidate_feeds, dispatch_uid="syndication-unpublished")
    post_page_move.connect(invalidate_feeds, dispatch_uid="syndication-moved")
    post_delete.connect(invalidate_on_page_delete, dispatch_uid="syndication-deleted")
    for model in (PageViewRestriction, Site, FeedSettings, Tag):
        post_save.connect(invalidate_feeds, sender=model, dispatch_uid=f"syndication-{model}")
        post_delete.connect(
            invalidate_feeds, sender=model, dispatch_uid=f"syndication-del-{model}"
        )

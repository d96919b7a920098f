"""Keep feeds current: invalidate on every change that can alter one, and
ping the WebSub hub when news is published.

Any page's publication, unpublication, move or deletion invalidates the
feeds of the Site(s) it is on (both, for a move between sites): besides
news itself, a moved or renamed ancestor changes item URLs and visibility.
So does a page *created* live: Wagtail's admin adds a new page live and
commits before it saves the revision and publishes it (in later
transactions, after queueing its index updates), and the page is public
from that first commit.
A Site's or a tag's change invalidates every site's feeds, a site's feed
settings its own. Invalidation waits for the commit, or a reader could
re-cache the old state before the change is visible.
"""

import logging
from functools import partial

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


def invalidate_feeds(site_ids=None, **kwargs):
    """After the commit, make the feeds of ``site_ids`` (None: every site) stale."""
    if site_ids is not None and not site_ids:
        return  # under no Site: in no feed
    # robust: a cache or Redis outage is logged, never fails the change itself.
    transaction.on_commit(partial(cache.invalidate, site_ids), robust=True)


def sites_of(*url_paths):
    """The Sites whose tree holds a page at any of ``url_paths`` (Wagtail's cached
    root paths: no query once cached)."""
    return sorted({root.site_id for root in Site.get_site_root_paths()
                   for path in url_paths if path and path.startswith(root.root_path)})


def invalidate_page_sites(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_feeds(sites_of(instance.url_path))


def invalidate_created_live(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw and isinstance(instance, Page) and instance.live:
        invalidate_feeds(sites_of(instance.url_path))


def invalidate_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    invalidate_feeds(sites_of(url_path_before, url_path_after))


def invalidate_restricted(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).only("url_path").first()
    invalidate_feeds(sites_of(page.url_path) if page is not None else None)


def invalidate_site_settings(sender, instance, **kwargs):
    invalidate_feeds([instance.site_id])


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
    page_published.connect(invalidate_page_sites, dispatch_uid="syndication-published")
    page_published.connect(announce_news, dispatch_uid="syndication-websub")
    post_save.connect(invalidate_created_live, dispatch_uid="syndication-created-live")
    page_unpublished.connect(invalidate_page_sites, dispatch_uid="syndication-unpublished")
    post_page_move.connect(invalidate_moved, dispatch_uid="syndication-moved")
    post_delete.connect(invalidate_page_sites, dispatch_uid="syndication-deleted")
    handlers = {PageViewRestriction: invalidate_restricted, Site: invalidate_feeds,
                FeedSettings: invalidate_site_settings, Tag: invalidate_feeds}
    for model, handler in handlers.items():
        post_save.connect(handler, sender=model, dispatch_uid=f"syndication-{model}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"syndication-del-{model}")

"""Queue scheduled publishing when an editor sets a schedule; keep a deleted page's old paths.

A go-live time is stored on the revision Wagtail approves for it
(``approved_go_live_at``); an expiry time on the object when it is
published. Either queues a ``publish_scheduled`` run for that time, once
the transaction that set it commits. Saving or deleting a Site forgets the
cached site names structured data reads.

And make up for what a cache outage dropped (see :mod:`cms.fail_soft_cache`).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from wagtail.models import Revision, Site
from wagtail.signals import post_page_move, published

from cms import fail_soft_cache
from cms.models import NewsPage
from cms.redirects import keep_gone, mark_gone
from cms.structured_data import forget_site_names
from cms.tasks import run_publish_scheduled_at
from cms.visibility import page_model


def queue_go_live(sender, instance, **kwargs):
    when = instance.approved_go_live_at
    if when is not None and when > timezone.now():
        transaction.on_commit(partial(run_publish_scheduled_at, when))


def queue_expiry(sender, instance, **kwargs):
    when = getattr(instance, "expire_at", None)
    if when is not None and when > timezone.now():
        transaction.on_commit(partial(run_publish_scheduled_at, when))


def forget_site_root_paths(**kwargs):
    """Wagtail's cached site roots may have outlived a Site's change made
    while the cache was away (its delete was dropped)."""
    Site.clear_site_root_paths_cache()


def rehome_news(sender, instance, **kwargs):
    NewsPage.moved(instance)


def register():
    # Before the feeds app's handler (cms comes first in INSTALLED_APPS):
    # the feed it invalidates is read again from the news' new home.
    post_page_move.connect(rehome_news, dispatch_uid="cms-news-rehome")
    fail_soft_cache.recovered.connect(forget_site_root_paths, dispatch_uid="cms-site-roots")
    post_save.connect(queue_go_live, sender=Revision, dispatch_uid="cms-schedule-go-live")
    # Sent for pages (after page_published) and for snippets with drafts alike.
    published.connect(queue_expiry, dispatch_uid="cms-schedule-expiry")
    # Every page deletion deletes a row of the base model, whatever the page's type.
    pre_delete.connect(keep_gone, sender=page_model(), dispatch_uid="cms-redirects-keep-gone")
    post_delete.connect(mark_gone, sender=page_model(), dispatch_uid="cms-redirects-mark-gone")
    # Structured data names the publisher after its Site.
    post_save.connect(forget_site_names, sender=Site, dispatch_uid="cms-site-names-saved")
    post_delete.connect(forget_site_names, sender=Site, dispatch_uid="cms-site-names-deleted")

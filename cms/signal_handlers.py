"""Queue scheduled publishing when an editor sets a schedule.

A go-live time is stored on the revision Wagtail approves for it
(``approved_go_live_at``); an expiry time on the object when it is
published. Either queues a ``publish_scheduled`` run for that time, once
the transaction that set it commits. Saving or deleting a Site forgets the
cached site names structured data reads.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Revision, Site
from wagtail.signals import published

from cms.structured_data import forget_site_names
from cms.tasks import run_publish_scheduled_at


def queue_go_live(sender, instance, **kwargs):
    when = instance.approved_go_live_at
    if when is not None and when > timezone.now():
        transaction.on_commit(partial(run_publish_scheduled_at, when))


def queue_expiry(sender, instance, **kwargs):
    when = getattr(instance, "expire_at", None)
    if when is not None and when > timezone.now():
        transaction.on_commit(partial(run_publish_scheduled_at, when))


def register():
    post_save.connect(queue_go_live, sender=Revision, dispatch_uid="cms-schedule-go-live")
    # Sent for pages (after page_published) and for snippets with drafts alike.
    published.connect(queue_expiry, dispatch_uid="cms-schedule-expiry")
    # Structured data names the publisher after its Site.
    post_save.connect(forget_site_names, sender=Site, dispatch_uid="cms-site-names-saved")
    post_delete.connect(forget_site_names, sender=Site, dispatch_uid="cms-site-names-deleted")

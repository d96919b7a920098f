"""Scheduled publishing, run by the task worker at the moment it is due.

Wagtail makes a scheduled revision live, and unpublishes an expired page,
only when its ``publish_scheduled`` command runs. Instead of a cron line
polling for that, every schedule an editor sets queues one run of the
command for its own time (see :mod:`cms.signal_handlers`), on a tasks
backend that can run a task later (the runnable site's database backend
and its ``db_worker``). The command is idempotent: a run with nothing due,
because the editor moved or cancelled the schedule, changes nothing.
"""

import logging

from django.core.management import call_command
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def publish_scheduled_pages():
    """Publish the revisions whose go-live time has come; unpublish what expired.

    In one transaction: Wagtail clears a revision's go-live time before it
    saves the page live, so a run killed in between would lose the
    publication for good. Rolled back instead, the next run (a retry, or any
    later one) still finds every page whose time has passed."""
    with transaction.atomic():
        call_command("publish_scheduled")
    return True


def can_schedule():
    """Whether the tasks backend runs tasks at a given time. Without it (e.g.
    Django's immediate backend) ``publish_scheduled`` needs a timer of its own."""
    return publish_scheduled_pages.get_backend().supports_defer


def run_publish_scheduled_at(when):
    """Queue a run of ``publish_scheduled`` for ``when``; never raise into an
    editor's publish: at worst the page waits for the next run."""
    try:
        if can_schedule():
            publish_scheduled_pages.using(run_after=when).enqueue()
    except Exception:
        logger.exception("Scheduled publishing at %s could not be queued", when)

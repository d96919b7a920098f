"""When a published page is out of its schedule: expired, or going live later.

Until ``publish_scheduled`` next runs, Wagtail still counts such a page as
live; readers must not see it in between, in the API, the feeds or the HTML.
Both the query and the check on one page derive from :data:`OUT_OF_SCHEDULE`.
"""

import operator

from django.db.models import Q
from django.utils import timezone

#: A page is out of schedule at ``now`` when either holds: ``field lookup now``.
OUT_OF_SCHEDULE = {"expire_at": "lte", "go_live_at": "gt"}
COMPARISONS = {"lte": operator.le, "gt": operator.gt}


def out_of_schedule_q(now=None):
    """Pages that are expired, or scheduled for later, at ``now``."""
    now = now or timezone.now()
    q = Q()
    for field, lookup in OUT_OF_SCHEDULE.items():
        q |= Q(**{f"{field}__{lookup}": now})
    return q


def is_out_of_schedule(page, now=None):
    """Whether one page is out of schedule at ``now``, as :func:`out_of_schedule_q` says."""
    now = now or timezone.now()
    return any(
        (moment := getattr(page, field)) is not None and COMPARISONS[lookup](moment, now)
        for field, lookup in OUT_OF_SCHEDULE.items()
    )

"""The project's panels on the admin dashboard: news needing attention, what goes live next.

Each lists only the pages its reader may edit (:mod:`cms.editor_scope`): an editor of one
project site sees that site's news, not another's.
"""

from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Revision

from cms.editor_scope import editable_revisions, only_editable
from cms.models import NewsPage

#: Rows per panel: the dashboard is a summary, the listings have the rest.
ROWS = 5


class EditorsPanel(Component):
    """A panel for the user of ``request``."""

    def __init__(self, request):
        self.request = request


class NewsDraftsPanel(EditorsPanel):
    """News items with changes nobody published: new drafts and edited live items."""

    name = "news_drafts"
    order = 110
    template_name = "cms/dashboard/news_drafts.html"

    def get_context_data(self, parent_context=None):
        drafts = (
            only_editable(NewsPage.objects.filter(has_unpublished_changes=True),
                          self.request.user)
            .annotate_approved_schedule()  # the status the page listing shows
            .select_related("latest_revision__user")
            .order_by("-latest_revision_created_at")[:ROWS]
        )
        return {"drafts": list(drafts)}


class ScheduledPanel(EditorsPanel):
    """Pages scheduled to go live, soonest first."""

    name = "next_scheduled"
    order = 120
    template_name = "cms/dashboard/next_scheduled.html"

    def get_context_data(self, parent_context=None):
        revisions = (
            editable_revisions(Revision.page_revisions.filter(
                approved_go_live_at__gt=timezone.now()), self.request.user)
            .order_by("approved_go_live_at")[:ROWS]
        )
        return {"scheduled": [(r, r.content_object) for r in revisions]}


def panels_for(request, panels) -> None:
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.extend([NewsDraftsPanel(request), ScheduledPanel(request)])

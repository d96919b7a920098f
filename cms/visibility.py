"""What the public may see: pages, and the files they use.

Wagtail's public queryset already drops drafts and pages under a view
restriction. It still returns a page whose expiry time has passed, or whose
go-live time is ahead, until ``publish_scheduled`` next runs; readers must
never see those in between, so both are excluded here on every request.

Images and documents are public when something public uses them, as
Wagtail's reference index records it: a live, public page within its
schedule, or an object that is not a page (a snippet, a site setting). A
file used only by drafts, private, expired or scheduled pages, or by
nothing, stays out of public listings; confidential files belong in a
private collection (see the README).
"""

import swapper
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from wagtail.api import querysets as public_querysets
from wagtail.models import PageViewRestriction, ReferenceIndex

from cms.schedule import out_of_schedule_q

Page = swapper.load_model("wagtailcore", "Page")


def restricted_paths():
    """Tree paths of the pages with a view restriction (login, password or
    groups): one small query. Filtering on these paths, rather than joining
    the restrictions to every page, keeps the query plan the same whether or
    not the database has planner statistics yet."""
    return tuple(
        PageViewRestriction.objects.order_by("page__path")
        .values_list("page__path", flat=True)
        .distinct()
    )


def publicly_visible(queryset, now=None, restricted=None):
    """The pages of ``queryset`` an anonymous visitor may see, on any site:
    live, within their schedule, under no page of ``restricted``
    (:func:`restricted_paths` when not given)."""
    queryset = queryset.live().exclude(out_of_schedule_q(now))
    for path in restricted_paths() if restricted is None else restricted:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def public_pages(request, model=Page):
    """Live, public pages of the request's site that are within their schedule."""
    queryset = public_querysets.get_public_pages_queryset(request, model)
    # A subquery on the primary key, because search backends only filter on
    # indexed fields and the schedule fields are not indexed.
    out_of_schedule = Page.objects.filter(out_of_schedule_q()).values("pk")
    return queryset.exclude(pk__in=out_of_schedule)


def publicly_used(queryset):
    """The images or documents of ``queryset`` that something public uses."""
    page_type = ContentType.objects.get_for_model(Page)
    public_page_keys = publicly_visible(Page.objects.all()).values_list(
        Cast("pk", output_field=CharField()), flat=True
    )
    uses = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(queryset.model),
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).filter(~Q(base_content_type=page_type) | Q(object_id__in=public_page_keys))
    # A subquery on the primary key: search backends filter on nothing else.
    return queryset.filter(pk__in=queryset.model.objects.filter(Exists(uses)).values("pk"))

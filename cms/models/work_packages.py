"""Work packages, their parts and their milestones."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from cms import listings
from cms.models.base import RICH_TEXT_FEATURES, IntroPage, ProjectPage
from cms.models.fields import MonthField

MILESTONE_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class WorkPackageIndexPage(IntroPage):
    # Under any page that allows it: a host project's own home page included.
    subpage_types = ["cms.WorkPackagePage"]
    max_count_per_parent = 1


    class Meta:
        verbose_name = "work package index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["work_packages"] = listings.children(self, WorkPackagePage, request)
        return context


class WorkPackagePage(ProjectPage):
    """A work package, or a part of one when it sits under a work package."""

    number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The work package's number, e.g. 2. Leave empty for a part of a work package.",
    )
    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    status = models.CharField(
        max_length=500,
        blank=True,
        help_text='How the work stands, e.g. "Actual implementation of actions is delayed."',
    )
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    parent_page_types = ["cms.WorkPackageIndexPage", "cms.WorkPackagePage"]
    subpage_types = ["cms.WorkPackagePage"]
    # A planned piece of work with an aim of its own, within the site's project.
    schema_org_type = "Project"

    content_panels = ProjectPage.content_panels + [
        FieldPanel("number"),
        FieldPanel("intro"),
        InlinePanel("milestones", heading="Milestones", label="Milestone"),
        FieldPanel("status"),
        FieldPanel("body"),
    ]
    search_fields = ProjectPage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("status"),
        index.SearchField("body"),
        index.FilterField("number"),
        index.RelatedFields("milestones", [index.SearchField("description")]),
    ]
    api_fields = ProjectPage.api_fields + [
        APIField("number"),
        APIField("intro"),
        APIField("milestones"),
        APIField("status"),
        APIField("body"),
    ]
    api_prefetch_related = ["milestones"]

    class Meta:
        verbose_name = "work package page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["timeline"] = self.timeline()
        context["parts"] = listings.children(self, WorkPackagePage, request)
        return context

    def number_prefix(self, label="Work Package"):
        """"Work Package 2:" to put before the title, unless the title names
        its number already ("Work Package 2", "WP 2 – Marketing")."""
        if not self.number:
            return ""
        title = " ".join(self.title.split()).casefold()
        for named in (f"{label} {self.number}", f"WP {self.number}", f"WP{self.number}"):
            named = named.casefold()
            if title == named or title.startswith((f"{named} ", f"{named}:")):
                return ""
        return f"{label} {self.number}:"

    @property
    def heading_prefix(self):
        return self.number_prefix()

    @property
    def listing_prefix(self):
        return self.number_prefix("WP")

    def timeline(self, today=None):
        """Milestones by period (undated ones last, in the editor's order),
        each with whether it is under way in ``today``'s month."""
        month = (today or timezone.localdate()).replace(day=1)
        milestones = sorted(
            self.milestones.all(),
            key=lambda m: (m.period_start is None, m.period_start or datetime.date.min),
        )
        return [(milestone, milestone.covers(month)) for milestone in milestones]

    @classmethod
    def can_create_at(cls, parent):
        # Parts belong to a work package; a part has no parts of its own.
        if not super().can_create_at(parent):
            return False
        parent = parent.specific
        if isinstance(parent, WorkPackagePage):
            return not isinstance(parent.get_parent().specific, WorkPackagePage)
        return True


class MonthSerializer(serializers.DateField):
    """Milestone periods are months: "YYYY-MM"."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class Milestone(Orderable):
    page = ParentalKey(WorkPackagePage, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    period_start = MonthField("from", null=True, blank=True, help_text="First month.")
    period_end = MonthField("until", null=True, blank=True, help_text="Last month.")
    description = RichTextField(blank=True, features=MILESTONE_FEATURES)

    panels = [
        FieldRowPanel(
            [FieldPanel("number"), FieldPanel("period_start"), FieldPanel("period_end")]
        ),
        FieldPanel("description"),
    ]
    api_fields = [
        APIField("number"),
        APIField("period_start", serializer=MonthSerializer(read_only=True)),
        APIField("period_end", serializer=MonthSerializer(read_only=True)),
        APIField("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "milestone"

    def __str__(self):
        return f"Milestone {self.number}" if self.number else "Milestone"

    def covers(self, month):
        """Whether ``month`` (a date on the 1st) lies within this milestone's period."""
        if self.period_start is None and self.period_end is None:
            return False
        return (self.period_start or month) <= month <= (self.period_end or month)

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "A milestone cannot end before it starts."})

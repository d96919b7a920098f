"""News: the list page and the items editors write or the importer brings in."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from cms import conf, listings
from cms.models.base import RICH_TEXT_FEATURES, IntroPage, ProjectPage
from cms.visibility import is_public, restricted_paths


class NewsIndexPage(IntroPage):
    # Under any page that allows it: a host project's own home page included.
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    api_fields = IntroPage.api_fields + [APIField("feeds")]

    class Meta:
        verbose_name = "news index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listings.news_index_page(NewsPage, self, request))
        return context

    @property
    def feeds(self):
        """Absolute URLs of the news feeds and the events calendar (``ics``),
        keyed by format; {} without a feeds app."""
        try:
            site = self.get_site()
        except Site.DoesNotExist:  # Wagtail's cached root paths outlived the Site
            return {}
        return {feed.format: feed.url for feed in (*news_feeds(site), *events_calendar(site))}


@dataclass(frozen=True)
class NewsFeed:
    format: str
    media_type: str
    title: str
    url: str


#: The news feeds a site advertises, by format: media type and title.
NEWS_FEED_FORMATS = {
    "rss": ("application/rss+xml", "News (RSS)"),
    "atom": ("application/atom+xml", "News (Atom)"),
    "json": ("application/feed+json", "News (JSON Feed)"),
}


def feeds_base_url(site):
    """Origin of the feeds: ``WAGTAILAPI_BASE_URL`` when set, else the Site,
    because a reader or frontend needs URLs it can follow."""
    return conf.api_base_url() or (site.root_url if site else "")


def news_feeds(site):
    """The site's news feeds with absolute URLs; none without a feeds app.

    Resolved by URL name so that ``cms`` works with or without the feeds app
    installed.
    """
    base = feeds_base_url(site)
    try:
        return [
            NewsFeed(fmt, media_type, title, base + reverse(f"syndication:news_{fmt}"))
            for fmt, (media_type, title) in NEWS_FEED_FORMATS.items()
        ]
    except NoReverseMatch:
        return []


def events_calendar(site):
    """The site's events calendar (iCalendar), as a one-item list; none
    without a feeds app."""
    try:
        url = feeds_base_url(site) + reverse("syndication:events_ics")
    except NoReverseMatch:
        return []
    return [NewsFeed("ics", "text/calendar", "Events (iCalendar)", url)]


class TagNamesSerializer(serializers.Field):
    """Tag names, read from prefetched tagged items so a listing adds no query per page."""

    def to_representation(self, tagged_items):
        return sorted(item.tag.name for item in tagged_items.all())


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


#: Length of the path of a page right under the tree's root (depth 2): a site's home page.
HOME_PATH_LENGTH = Page.steplen * 2


class NewsPage(ProjectPage):
    date = models.DateField(
        "news date",
        null=True,
        blank=True,
        db_index=True,
        help_text="The date readers see. Left empty, it becomes the date of first publication.",
    )
    summary = models.TextField(
        blank=True, help_text="A short plain-text teaser for lists and feeds."
    )
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown with the news item in lists and feeds.",
    )
    event_start = models.DateField("event starts", null=True, blank=True)
    event_end = models.DateField("event ends", null=True, blank=True)
    location = models.CharField(max_length=255, blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)
    #: The path of the page under the tree's root that this news is in: its
    #: site's home page as Wagtail lays sites out. With the date in one index,
    #: a site's newest news are read from its own part of that index; a path
    #: prefix and the date alone walked every other site's newer news first.
    #: Kept by :meth:`save` and, when a page above moves, :meth:`moved`.
    home_path = models.CharField(max_length=HOME_PATH_LENGTH, blank=True, editable=False)

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    # With an Event beside it when the news has event dates.
    schema_org_type = "NewsArticle"

    content_panels = ProjectPage.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("event_start"), FieldPanel("event_end")]),
                FieldPanel("location"),
            ],
            heading="Event",
            help_text="Only for news about an event.",
        ),
        FieldPanel("tags"),
    ]
    search_fields = ProjectPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("location"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = ProjectPage.api_fields + [
        APIField("date"),
        APIField("summary"),
        APIField("body"),
        APIField("image"),
        APIField("event_start"),
        APIField("event_end"),
        APIField("location"),
        APIField("tags", serializer=TagNamesSerializer(source="tagged_items", read_only=True)),
    ]
    #: Related rows the API loads in one query per listing, not one per item.
    api_prefetch_related = ["tagged_items__tag", "image"]

    class Meta:
        verbose_name = "news page"
        indexes = [
            models.Index(fields=["home_path", "-date", "-page_ptr"], name="cms_news_home_date"),
        ]

    @classmethod
    def below(cls, path, depth):
        """News below the page at ``path`` and ``depth`` (a site's root page),
        filtered so that the database reads them from their home page's part
        of the date index."""
        if depth == 2:  # a home page: exactly its news, and the planner counts them right
            return cls.objects.filter(home_path=path)
        return cls.narrowed_to(cls.objects.filter(path__startswith=path, depth__gt=depth), [path])

    @classmethod
    def narrowed_to(cls, news, root_paths):
        """``news``, already of pages below ``root_paths``, filtered on their home
        pages too: the database then reads only those homes' rows, not every site's."""
        if any(len(path) < HOME_PATH_LENGTH for path in root_paths):
            return news  # a Site rooted at the tree's root: every home is its
        return news.filter(home_path__in=sorted({path[:HOME_PATH_LENGTH] for path in root_paths}))

    @classmethod
    def moved(cls, page):
        """``page`` has moved in the tree: its news (and itself) are under its new home.

        Wagtail moves a subtree by rewriting paths in SQL, saving only the
        moved page, as a plain page: no news below it is saved."""
        cls.objects.filter(path__startswith=page.path).update(
            home_path=page.path[:HOME_PATH_LENGTH]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tags"] = sorted(self.tags.all(), key=lambda tag: tag.name.lower())
        # Tags link to the news index's listing of them, unless it is hidden.
        index = self.get_parent()
        context["news_index"] = index if is_public(index, restricted_paths(request)) else None
        return context

    @property
    def is_event(self):
        return bool(self.event_start or self.event_end or self.location)

    def clean(self):
        super().clean()
        if self.event_start and self.event_end and self.event_end < self.event_start:
            raise ValidationError({"event_end": "An event cannot end before it starts."})

    def save(self, *args, **kwargs):
        # The news date defaults to the day the item was first published.
        if self.date is None and self.first_published_at:
            self.date = timezone.localdate(self.first_published_at)
        self.home_path = self.path[:HOME_PATH_LENGTH]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "path" in update_fields:
            kwargs["update_fields"] = {*update_fields, "home_path"}
        super().save(*args, **kwargs)

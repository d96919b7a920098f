"""What editors may change about a site's feeds, in the Wagtail admin."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

#: Feeds list at most this many items per document, whatever an editor types.
MAX_ITEMS = 100


@register_setting(icon="globe")
class FeedSettings(BaseSiteSetting):
    """Per-site feed options. Every field has a safe default, so a site that
    never opened this screen still serves valid feeds."""

    title = models.CharField(
        max_length=255,
        blank=True,
        help_text="Feed title. Left empty, the site name is used.",
    )
    description = models.TextField(
        blank=True,
        help_text='Feed description. Left empty, "Latest news from <title>" is used.',
    )
    author = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who publishes the feed. Left empty, the feed title is used.",
    )
    logo_url = models.URLField(
        "logo URL",
        blank=True,
        help_text="Absolute URL of an image readers show next to the feed.",
    )
    tag_authority = models.CharField(
        "tag authority",
        max_length=255,
        blank=True,
        help_text="Authority of the items' tag: ids (a domain or e-mail address the project "
        "owned on the tag date), so each site's feeds and items have ids of their own. Set it "
        "once and never change it: readers would show every item again. Left empty, the "
        "SYNDICATION_TAG_AUTHORITY setting is used.",
    )
    item_count = models.PositiveSmallIntegerField(
        "items per feed",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ITEMS)],
        help_text="How many news items each feed document lists; older ones are on further pages.",
    )
    full_text = models.BooleanField(
        "full text",
        default=True,
        help_text="Include the whole news text, not just the summary.",
    )
    websub_hub = models.URLField(
        "WebSub hub",
        blank=True,
        help_text="A WebSub hub (e.g. https://pubsubhubbub.appspot.com/) that is told "
        "when news is published, so subscribers get it at once. Leave empty for none.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("description"), FieldPanel("author"),
             FieldPanel("logo_url"), FieldPanel("tag_authority")],
            heading="Feed",
        ),
        MultiFieldPanel([FieldPanel("item_count"), FieldPanel("full_text")], heading="Items"),
        FieldPanel("websub_hub"),
    ]

    class Meta:
        verbose_name = "news feeds"



class ServedTag(models.Model):
    """A tag whose feed has listed public news.

    Feed readers drop a subscription on a 404, so a tag feed that once had
    news stays a feed, empty, while its tag exists, and answers 410 Gone once
    the tag is deleted. A tag never served stays unknown (404), so a tag of a
    draft or private page cannot be probed.
    """

    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = "served tag"

    def __str__(self):
        return self.name

"""What every page type of a project site shares."""

import re

from django.db import models
from django.shortcuts import redirect
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms import conf, preview, structured_data
from cms.models.fields import LegacyURLField
from cms.provenance import provenance_panel

#: Rich text features editors get, and that imported legacy HTML is reduced to.
RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "image",
    "embed",
    "blockquote",
]

class ProjectPage(Page):
    """Base of the project's page types.

    On a headless site the public pages live on the frontend's domain, so when
    ``WAGTAIL_FRONTEND_BASE_URL`` is set every page's public URL (``full_url``,
    the API's ``html_url``, feed links) is built on that base instead of the
    Wagtail Site's hostname, Wagtail's own routes send visitors there, and the
    admin's preview shows the frontend's rendering of the draft. Otherwise the
    templates in ``cms/templates/cms/`` render every page and its preview.
    """

    # Named after app and class, so that installing our page types beside a
    # host project's own HomePage or NewsPage adds no clashing reverse accessor
    # (Django's default would be ``Page.homepage``).
    page_ptr = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        parent_link=True,
        auto_created=True,
        primary_key=True,
        serialize=False,
        related_name="%(app_label)s_%(class)s",
    )
    legacy_url = LegacyURLField()

    # Where a page came from is the first thing an editor of an imported page sees.
    content_panels = Page.content_panels + [provenance_panel]

    # Editors find an imported page by any part of its old address ("id=209").
    search_fields = Page.search_fields + [
        index.FilterField("legacy_url"),
        index.SearchField("legacy_url_terms"),
        index.AutocompleteField("legacy_url_terms"),
    ]
    api_fields = [APIField("legacy_url"), APIField("seo")]
    #: The schema.org type of the page's JSON-LD (see :mod:`cms.structured_data`); None: none.
    schema_org_type = None

    class Meta:
        abstract = True

    @property
    def seo(self):
        """Canonical URL, description, image, Open Graph and JSON-LD: what the
        website's ``<head>`` shows, for a headless frontend to show the same."""
        return structured_data.page_seo(self)

    def legacy_url_terms(self) -> str:
        """The legacy URL as words for the search index.

        PostgreSQL reads a whole URL as one token and SQLite splits it at
        every mark; the URL, its path segments and its bare words give both
        backends the words an editor types: "id=209", "209", "index.php?id=209".
        """
        url = self.legacy_url
        if not url:
            return ""
        segments = [part for part in url.split("/") if part and not part.endswith(":")]
        return " ".join([url, *segments, *re.split(r"[\W_]+", url)]).strip()

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        frontend = conf.frontend_base_url()
        if parts is None or not frontend:
            return parts
        site_id, _root_url, page_path = parts
        return site_id, frontend, page_path

    def get_url(self, request=None, current_site=None):
        # Wagtail drops the root URL of a single-site setup, which would make
        # "View live" and every link a path on Wagtail's host, not the frontend.
        if conf.frontend_base_url():
            return self.get_full_url(request)
        return super().get_url(request, current_site)

    url = property(get_url)  # Wagtail's property is bound to Page.get_url

    def serve(self, request, *args, **kwargs):
        frontend = conf.frontend_base_url()
        # One public address per page: the frontend's. Not permanent, so that
        # a site can go back to its own templates; never to itself, which
        # would loop (a frontend address that is Wagtail's own).
        if frontend and request.build_absolute_uri("/") != frontend + "/":
            return redirect(self.get_full_url(request))
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        if conf.frontend_base_url():
            return redirect(preview.frontend_preview_url(self, preview.issue(self)))
        return super().serve_preview(request, mode_name)


class IntroPage(ProjectPage):
    """A page whose own text is an introduction to what lies below it: the
    home page and the news and work-package indexes."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = ProjectPage.content_panels + [FieldPanel("intro")]
    search_fields = ProjectPage.search_fields + [index.SearchField("intro")]
    api_fields = ProjectPage.api_fields + [APIField("intro")]

    class Meta:
        abstract = True

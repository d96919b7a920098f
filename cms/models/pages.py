"""The site's home and any other legacy page (partner cities and the like)."""

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from cms import listings
from cms.models.base import RICH_TEXT_FEATURES, IntroPage, ProjectPage


class ProjectHomePage(IntroPage):
    """The home page of a site that runs on its own. A host project keeps its
    own home page and puts the indexes under it instead."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.NewsIndexPage", "cms.WorkPackageIndexPage", "cms.StandardPage"]

    class Meta:
        verbose_name = "project home page"

    def get_context(self, request, *args, **kwargs):
        # Imported here: the home page sits above the news and work packages.
        from cms.models.news import NewsIndexPage, NewsPage
        from cms.models.work_packages import WorkPackageIndexPage, WorkPackagePage

        context = super().get_context(request, *args, **kwargs)
        index = listings.visible(WorkPackageIndexPage, request).child_of(self).first()
        context["latest_news"] = listings.latest_news(NewsPage, self, request)
        context["news_index"] = listings.visible(NewsIndexPage, request).child_of(self).first()
        context["work_package_index"] = index
        context["work_packages"] = (
            list(listings.children(index, WorkPackagePage, request)) if index else []
        )
        return context


class StandardPage(ProjectPage):
    """Any page that is neither news nor a work package."""

    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    subpage_types = ["cms.StandardPage"]

    content_panels = ProjectPage.content_panels + [
        FieldPanel("body"),
    ]
    search_fields = ProjectPage.search_fields + [index.SearchField("body")]
    api_fields = ProjectPage.api_fields + [APIField("body")]

    class Meta:
        verbose_name = "standard page"

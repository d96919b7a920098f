"""Page types of a project website: news, work packages and plain pages; the site icon."""

from cms.models.base import ProjectPage
from cms.models.news import NewsIndexPage, NewsPage, NewsPageTag
from cms.models.pages import ProjectHomePage, StandardPage
from cms.models.site_icon import SiteIcon
from cms.models.work_packages import Milestone, WorkPackageIndexPage, WorkPackagePage

__all__ = [
    "Milestone",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "ProjectHomePage",
    "ProjectPage",
    "SiteIcon",
    "StandardPage",
    "WorkPackageIndexPage",
    "WorkPackagePage",
]

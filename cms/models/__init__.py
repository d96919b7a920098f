"""Page types of a project website: news, work packages and plain pages."""

from cms.models.base import ProjectPage
from cms.models.news import NewsIndexPage, NewsPage, NewsPageTag
from cms.models.pages import ProjectHomePage, StandardPage
from cms.models.work_packages import Milestone, WorkPackageIndexPage, WorkPackagePage

__all__ = [
    "Milestone",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "ProjectHomePage",
    "ProjectPage",
    "StandardPage",
    "WorkPackageIndexPage",
    "WorkPackagePage",
]

"""Page types of a project website: news, work packages and plain pages."""

from cms.models.base import ProjectPage
from cms.models.news import NewsIndexPage, NewsPage, NewsPageTag
from cms.models.pages import HomePage, StandardPage
from cms.models.work_packages import Milestone, WorkPackageIndexPage, WorkPackagePage

__all__ = [
    "HomePage",
    "Milestone",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "ProjectPage",
    "StandardPage",
    "WorkPackageIndexPage",
    "WorkPackagePage",
]

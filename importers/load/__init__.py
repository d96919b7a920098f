"""The load stage: extracted records → Wagtail pages, images and redirects.

The only part of the importer that touches the ORM.  :class:`Plan` merges the
records (news items by URL), :class:`Loader` writes them page by page.
"""

from importers.load.loader import Loader
from importers.load.plan import LegacyPage, Plan

__all__ = ["LegacyPage", "Loader", "Plan"]

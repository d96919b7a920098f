"""The load stage: the pages of a :class:`~importers.plan.Plan` → Wagtail pages, images,
documents and redirects.

It writes to the database and does nothing else: every byte it stores was
read by the read stage (:mod:`importers.files`).
"""

from importers.load.loader import Loader
from importers.load.stage import PageLoad

__all__ = ["Loader", "PageLoad"]

"""The load stage: the pages of a :class:`~importers.plan.Plan` → Wagtail pages, images,
documents and redirects.

It writes to the database and does nothing else: every byte it stores was
read by the read stage (:mod:`importers.files`).
"""

from importers.load.loader import Loader

__all__ = ["Loader"]

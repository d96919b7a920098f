"""The import run's three stages, each behind one interface (Drupal Migrate's source,
process and destination).

The pipeline builds one of each from the command's options, once, and data
flows forward: the read stage turns the legacy site into a :class:`Plan`, the
file stage reads the bytes of the images and documents its pages need, and the
load stage writes what it is handed.  Each stage takes only what it needs, so a
test or a benchmark can run or replace one of them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from importers.files import Files
from importers.plan import LegacyPage, Plan
from importers.report import Report


class ReadStage(Protocol):
    def read(self, report: Report, progress=None,
             settled: Callable[[LegacyPage, Plan], None] | None = None) -> Plan:
        """Crawl, decode and extract the site into a plan; fetch problems go to ``report``;
        ``settled`` is handed each page (and the plan so far) as soon as its kind, title
        and place are known."""
        ...


class FileStage(Protocol):
    def read(self, pages: list[LegacyPage]) -> Files:
        """The images and documents ``pages`` need; each page learns its document links."""
        ...


class Loading(Protocol):
    """One run's load: its first step may begin while the read stage still reads."""

    def place_read(self, page: LegacyPage, plan: Plan) -> None:
        """A page the read stage settled: it may be written now (or at the end)."""
        ...

    def load(self, pages: list[LegacyPage], plan: Plan, files: Files) -> Report:
        """Write ``pages`` (in write order) and what ``files`` holds; results go to the report."""
        ...


class LoadStage(Protocol):
    def start(self, report: Report, progress=None) -> Loading:
        """The run's load, before anything is read."""
        ...

"""The load stage as the pipeline composes it (:class:`~importers.stages.LoadStage`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.models import Site

from importers.load.loader import Loader
from importers.report import Report


@dataclass(frozen=True)
class PageLoad:
    """What the load stage is told once per run; the pages and their files come as data."""

    force: bool = False
    dry_run: bool = False
    imported: dict[str, tuple[int, str]] | None = None  # images of earlier runs, by URL
    run_id: int | None = None  # named in the history entries of the pages written
    check_lock: Callable[[], None] | None = None  # before each page: the run still holds its lock
    site: Site | None = None  # the Site whose tree the pages go into; None: the default

    def start(self, report: Report, progress=None) -> Loader:
        """The run's loader: it places pages as the read settles them, then writes them all."""
        return Loader(report, force=self.force, dry_run=self.dry_run, imported=self.imported,
                      progress=progress, run_id=self.run_id, check_lock=self.check_lock,
                      site=self.site)

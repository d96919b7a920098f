"""What a crawl keeps of each URL it asked for, and where: the frontier's memory.

The crawl (:class:`importers.crawl.Frontier`) keeps each URL's
:class:`Answer` in a :class:`CrawlMemory` and asks it first for what an
earlier, killed run of the same crawl read there.  The pipeline hands in the
run's records (:class:`importers.load.frontier.KeptFrontier`); without it,
nothing is kept.  Plain data: no Django, no source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Answer:
    """What one URL of a crawl gave, as a run keeps it so that a later run need not ask again.

    ``kind``: "page" (``snapshot`` holds what extraction made of it, as the ID
    map keeps it), "unreadable" (its content failed: ``reason``), "landed" (a
    redirect to a page read before it), "dead" or "failed" (no answer: ``reason``).
    """

    kind: str
    source_url: str = ""  # where the page was read from, redirects followed
    reason: str = ""
    page_hash: str = ""
    snapshot: dict | None = None


class CrawlMemory(Protocol):
    """Where a crawl's answers are kept (the run's records), and the answers a killed run kept."""

    def recall(self, url: str) -> Answer | None: ...

    def keep(self, url: str, answer: Answer) -> None:
        """Keep ``url``'s answer (soon: answers are written in batches)."""
        ...

    def flush(self) -> None:
        """Write what is kept but not yet written."""
        ...


class Forgetful:
    """The memory of a crawl that keeps nothing: what a crawl has when none is handed in."""

    def recall(self, url: str) -> Answer | None:
        return None

    def keep(self, url: str, answer: Answer) -> None:
        pass

    def flush(self) -> None:
        pass

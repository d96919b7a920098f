"""What one run knows about the pages it writes: the ID map as read, and what the run added.

The import records are read once, as the run starts (one query, with the
"edited since the import" rule). As the run goes on it adds to what it read:
the stubs it makes, the page IDs its links resolve to, and which stubs it made
itself (a stub whose content fails is removed again).

These maps are kept in memory and put back by hand when a page's transaction
rolls back, rather than read again from the database, because the database
cannot give them back: a page's other legacy URLs (its aliases, which its
links resolve through) and the News page standing for a news list are not
import records, and which records this run created is nowhere stored.  Each
page's step is its own transaction, so exactly what that step added is
undone (:meth:`IdMap.forget`), and nothing of the pages committed before.
"""

from __future__ import annotations

from importers.load.editors import Known, edited, newest_entry_of_page
from importers.models import ImportRecord
from importers.plan import LegacyPage
from importers.records import Kind


class IdMap:
    def __init__(self) -> None:
        self.known: dict[str, Known] = {}
        self.page_ids: dict[str, int] = {}  # legacy URL (and alias) → page ID, for links
        # legacy URL → whether its import record is new, for each page this run made a stub for
        self.stubbed: dict[str, bool] = {}
        self._added: list[tuple[LegacyPage, Known | None]] = []  # by the step under way

    def read(self, urls: list[str] | None = None) -> None:
        """The records (of ``urls`` only, if given) as they are now."""
        records = ImportRecord.objects.filter(legacy_url__in=urls) if urls else ImportRecord.objects
        rows = records.annotate(
            newest_entry=newest_entry_of_page(), edited=edited()
        ).values_list(
            "pk", "legacy_url", "page_id", "revision_id", "page__latest_revision_id",
            "log_entry", "newest_entry", "written_hash", "source_hash", "page_hash", "kind",
            "edited",
        )
        for pk, url, page_id, *state in rows:  # the rest in the order Known names them
            self.known[url] = Known(pk, page_id, *state)
            if page_id is not None:
                self.page_ids[url] = page_id

    def begin(self) -> None:
        """A page's step starts: what it adds is undone if it rolls back."""
        self._added = []

    def stubbed_page(self, page: LegacyPage, record_id: int, page_id: int, created: int | None,
                     previous: Known | None) -> None:
        """``page`` has its stub (``created``: the history entry of its creation)."""
        self.known[page.url] = Known(
            record_id, page_id, None, None, created or 0, created, "", "", "", Kind(page.kind)
        )
        self._added.append((page, previous))
        self.stubbed[page.url] = previous is None
        for url in [page.url, *page.aliases]:
            self.page_ids.setdefault(url, page_id)

    def forget(self) -> list[str]:
        """Undo what the step under way added; says the URLs of the stubs it had made."""
        urls = []
        for stub, previous in reversed(self._added):
            self.stubbed.pop(stub.url, None)
            stub_id = self.known[stub.url].page_id
            if previous is None:
                del self.known[stub.url]
            else:
                self.known[stub.url] = previous
            self._drop_ids(stub, stub_id)
            urls.append(stub.url)
        self._added = []
        return urls

    def removed_stub(self, page: LegacyPage) -> None:
        """``page``'s stub was deleted (its content failed): the run knows it no more."""
        self.stubbed.pop(page.url, None)
        known = self.known.pop(page.url)
        self._drop_ids(page, known.page_id)

    def _drop_ids(self, page: LegacyPage, page_id: int | None) -> None:
        for url in [page.url, *page.aliases]:
            if self.page_ids.get(url) == page_id:
                del self.page_ids[url]

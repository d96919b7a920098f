"""What the load stage writes before the crawl ends, and how it is checked at the end.

A distant server keeps the crawl waiting; the pages it has read meanwhile are
written in that time (:meth:`~importers.load.loader.Loader.place_read`).  Each
page's stub is made as soon as the plan knows what the page is and where it
goes, and its content as soon as the plan forecasts it finished and every
link in it has its page (a page that lacks one waits until it is placed).  A
forecast can be wrong (a news list read later may show a page as one of its
items), so what was written is remembered by its shape and content, and
compared with the whole site's plan at the end: a page that differs is placed
or written anew then.

:class:`WritingAhead` is the part of :class:`~importers.load.loader.Loader`
that does this; it uses the loader's steps (``_place``, ``_guarded``,
``_writer``) as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from importers.load.content import resolve
from importers.load.writing import ContentWriter
from importers.plan import LegacyPage, Plan, add_unique
from importers.records import Kind
from importers.rich_text import RichText


def stub_shape(page: LegacyPage) -> tuple:
    """What a page's stub is made of: a page that changes any of it needs another."""
    return page.kind, page.title, page.number, page.parent_url


def written_content(page: LegacyPage, writer: ContentWriter, page_ids: Mapping[str, int]) -> tuple:
    """What a page's content is written as: its values, its source and whether it is live."""
    resolved = resolve(page, page_ids, writer.image_refs, writer.documents.ids_for(page))
    return resolved.written_hash(), page.source_hash(), page.publish


#: What a news item waits for when no dated entry of a news list showed it yet.
NEWS_LIST = "a news list"


def lacking(page: LegacyPage, finished: LegacyPage | None,
            page_ids: Mapping[str, int]) -> str | None:
    """What ``page`` waits for before its content is written: the URL of the first link
    into its own site that has no page yet (a link to a page not read yet would be
    written as it stands, and again at the end), :data:`NEWS_LIST`, or ``""``: nothing.
    None: it waits for the end (:meth:`~importers.plan.Plan.finished` said so)."""
    if finished is None:
        return NEWS_LIST if page.kind == Kind.NEWS else None
    host = urlsplit(page.url).netloc
    for value in [*page.fields.values(), *(m.description for m in page.milestones)]:
        for link in value.links if isinstance(value, RichText) else ():
            if link.url not in page_ids and urlsplit(link.url).netloc == host:
                return link.url
    return ""


class WritingAhead:
    """The loader's writing while the crawl reads, and its check at the end."""

    early: dict[str, tuple | None]  # legacy URL → the shape its stub was made in (None: failed)
    written_early: dict[str, tuple]  # legacy URL → (content, aliases) written then
    waiting: dict[str, list[LegacyPage]]  # what they lack → pages placed, content not written

    def place_read(self, page: LegacyPage, plan: Plan) -> None:
        """Both steps for a new page the read stage has settled (:meth:`Plan.settled`),
        while the crawl reads on: its stub, and its content when the plan forecasts
        it finished (:meth:`Plan.finished`) and each of its links has its page.

        Only pages the ID map has never seen (and parts whose work package is
        placed); the rest wait for the end, where what was written early is
        compared with the whole site's plan.  A dry run writes nothing early.
        """
        if self.dry_run or page.url in self.early:
            return
        self.begin()
        if page.kind == Kind.NEWS_INDEX:  # its links go to the News page (see map_news_index)
            self.page_ids[page.url] = self.tree.news.pk
            self._release([page.url, NEWS_LIST], plan)
            return
        if page.url in self.known or (page.is_part and page.parent_url not in self.page_ids):
            return
        self.early[page.url] = stub_shape(page)
        if not self._guarded(page, lambda: self._place(page, [])):
            self.early[page.url] = None
            return
        self._write_ahead(page, plan)
        self._release([page.url, *page.aliases], plan)

    def _write_ahead(self, page: LegacyPage, plan: Plan) -> None:
        """``page``'s content now if it is finished and linked; else it waits for what it
        lacks (:attr:`waiting`), or for the end."""
        if page.images or self.early.get(page.url) is None or page.url in self.written_early:
            return
        lacks = lacking(page, plan.finished(page), self.page_ids)
        if lacks:
            self.waiting.setdefault(lacks, []).append(page)
            return
        if lacks is None:
            return
        writer = self._writer(plan)
        written = written_content(page, writer, self.page_ids)
        if self._guarded(page, lambda: writer.write(page)):
            self.written_early[page.url] = (written, list(page.aliases))
        else:
            self.early[page.url] = None

    def _release(self, keys: list[str], plan: Plan) -> None:
        """The pages that waited for one of ``keys`` (a page now placed, a news list read)."""
        for key in keys:
            for page in self.waiting.pop(key, []):
                if plan.pages.get(page.url) is page:  # not made another page meanwhile
                    self._write_ahead(page, plan)

    def _placed_early(self, page: LegacyPage) -> bool | None:
        """Whether ``page`` was placed while the crawl read (False: it failed, as reported);
        None if it is to be placed now.  A stub the whole site no longer fits (a news list
        showed the page as an item, another title) is removed and placed anew."""
        if page.url not in self.early:
            return None
        made = self.early.pop(page.url)
        if made is None:
            return False
        if made != stub_shape(page):  # this run's own page: made anew, as now forecast
            self.written_early.pop(page.url, None)
            self._remove_stub(page)
            return None
        for url in page.aliases:  # an item's own page read at another URL
            self.page_ids.setdefault(url, self.known[page.url].page_id)
        return True

    def _written_early(self, page: LegacyPage) -> bool:
        """Whether ``page``'s content, written while the crawl read, is what the whole site
        gives; if not, the ID map's entry is read again so that it is written anew (as an
        editor's change since then is kept)."""
        written = self.written_early.get(page.url)
        if written is None:
            return False
        was, aliases = written
        result = self.report.pages[page.url]
        if was == written_content(page, self.writer, self.page_ids):
            add_unique(result.warnings, page.warnings)  # the whole site's reads may add some
            more = [url for url in page.aliases if url not in aliases]
            if more:
                self._guarded(page, lambda: self.writer.point_aliases(page, more, result))
            return True
        self.ids.read(urls=[page.url])
        known = self.known[page.url]
        if known.edited and not self.force:
            self._skip(page, known.page_id, known.reasons())
            return True
        self._guarded(page, lambda: self.writer.write(page))
        return True

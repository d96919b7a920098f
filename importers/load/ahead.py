"""What the load stage writes before the crawl ends, and how it is checked at the end.

A distant server keeps the crawl waiting; the pages it has read meanwhile are
written in that time (:meth:`~importers.load.loader.Loader.place_read`).  Each
page's stub is made as soon as the plan knows what the page is and where it
goes, and its content as soon as the plan forecasts it finished and every
link in it has its page.  A forecast can be wrong (a news list read later may
show a page as one of its items), so what was written is remembered here by
its shape and content, and compared with the whole site's plan at the end:
a page that differs is placed or written anew then.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from importers.load.content import resolve
from importers.load.writing import ContentWriter
from importers.plan import LegacyPage
from importers.rich_text import RichText


def shape(page: LegacyPage) -> tuple:
    """What a page's stub is made of: a page that changes any of it needs another."""
    return page.kind, page.title, page.number, page.parent_url


def content(page: LegacyPage, writer: ContentWriter, page_ids: Mapping[str, int]) -> tuple:
    """What a page's content is written as: its values, its source and whether it is live."""
    resolved = resolve(page, page_ids, writer.image_refs, writer.documents.ids_for(page))
    return resolved.written_hash(), page.source_hash(), page.publish


def linked(page: LegacyPage, page_ids: Mapping[str, int]) -> bool:
    """Every link of ``page`` into its own site has its page already (a link to a
    page not read yet would be written as it stands, and again at the end)."""
    host = urlsplit(page.url).netloc
    return all(
        link.url in page_ids or urlsplit(link.url).netloc != host
        for value in [*page.fields.values(), *(m.description for m in page.milestones)]
        if isinstance(value, RichText) for link in value.links
    )


def add_unique(target: list[str], items: list[str]) -> None:
    target.extend(item for item in items if item not in target)

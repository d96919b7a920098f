"""The site's News page stands for the legacy news list, and says so in its legacy URL.

The News page is the site's own (made by ``ensure_site_tree``), never
rewritten by an import; only its empty ``legacy_url`` is filled once, through
a revision like every other change, so the next publish by an editor keeps it.
"""

from __future__ import annotations

from django.db import transaction

from cms.models import NewsIndexPage


def carry_legacy_url(news: NewsIndexPage, legacy_url: str) -> str | None:
    """Give the News page the news list's legacy URL if it has none; a warning if it cannot."""
    if news.legacy_url:
        return None
    news = NewsIndexPage.objects.get(pk=news.pk)  # as stored: the tree's copy may be stale
    if news.legacy_url:
        return None
    if news.live and news.has_unpublished_changes:
        return ("the News page has unpublished changes: its legacy URL was left empty "
                "(an editor may set it)")
    with transaction.atomic():
        news.legacy_url = legacy_url
        revision = news.save_revision(log_action=True)
        if news.live:
            revision.publish()
    return None

"""The site's News page stands for the legacy news list, and says so in its legacy URL.

The News page is the site's own (made by ``ensure_site_tree``), never
rewritten by an import; only its empty ``legacy_url`` is filled once, through
a revision like every other change, so the next publish by an editor keeps it.
That revision and its publication are the run's entries in the page's
history, as an imported page's are.
"""

from __future__ import annotations

from django.db import transaction

from cms.models import NewsIndexPage
from importers.history import record_in_history


def carry_legacy_url(news: NewsIndexPage, legacy_url: str, run_id: int | None) -> str | None:
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
        revision = news.save_revision(log_action=False)
        if news.live:
            revision.publish(log_action=False)
        record_in_history(news, revision, run_id, published=news.live)
    return None

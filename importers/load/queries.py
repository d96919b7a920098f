"""What the other stages may ask the ID map (read-only)."""

from importers.models import ContentFailure, ImportRecord
from importers.records import Kind


def news_list_urls() -> list[str]:
    """Legacy URLs of the news lists imported so far (they give news items their teasers)."""
    return list(
        ImportRecord.objects.filter(kind=Kind.NEWS_INDEX)
        .order_by("legacy_url")
        .values_list("legacy_url", flat=True)
    )


def snapshots() -> dict[str, tuple[str, dict]]:
    """Legacy URL → (page hash, snapshot) of every page whose extraction was kept."""
    return {
        url: (page_hash, snapshot)
        for url, page_hash, snapshot in ImportRecord.objects.exclude(page_hash="").values_list(
            "legacy_url", "page_hash", "snapshot"
        )
    }


def content_failures() -> dict[str, tuple[str, str]]:
    """Legacy URL → (page hash, reason) of every page whose content could not be read."""
    return {
        url: (page_hash, reason)
        for url, page_hash, reason in ContentFailure.objects.values_list(
            "legacy_url", "page_hash", "reason"
        )
    }

"""What the other stages may ask the ID map (read-only)."""

from importers.models import (
    ContentFailure,
    ImportedDocument,
    ImportedImage,
    ImportRecord,
    LegacySiteSettings,
)
from importers.records import Kind


def legacy_origin(site) -> str | None:
    """The legacy origin set for ``site`` (Settings → Legacy site), or None: none set, or no
    Site yet. Read, never made: a run leaves the settings as editors left them."""
    if site is None:
        return None
    setting = LegacySiteSettings.objects.filter(site=site).values_list("origin", flat=True)
    return setting.first() or None


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


def imported_images() -> dict[str, tuple[int, str]]:
    """URL → (image ID, title) of the images imported before (their bytes are not read again)."""
    return {
        url: (image_id, title or "")
        for url, image_id, title in ImportedImage.objects.filter(image__isnull=False)
        .values_list("legacy_url", "image_id", "image__title")
    }


def imported_documents(*, force: bool) -> dict[str, tuple[str, str] | None]:
    """Origin URL → (ETag, Last-Modified) the server sent for each file imported before.

    A file whose document an editor deleted is ``None`` (not read again),
    unless ``force`` imports it anew.
    """
    found = {}
    for url, document, etag, modified in ImportedDocument.objects.values_list(
        "legacy_url", "document_id", "etag", "last_modified"
    ):
        if document is None:
            if not force:
                found[url] = None
        else:
            found[url] = (etag, modified)
    return found

"""Remember pages whose content could not be read, and forget them once they read again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from importers.models import ContentFailure


def remember_content_failures(
    failed: Mapping[str, tuple[str, str]], read: Iterable[str]
) -> None:
    """Store ``failed`` (URL → (page hash, reason)); drop records of pages ``read`` fine."""
    with transaction.atomic():
        ContentFailure.objects.filter(legacy_url__in=list(read)).delete()
        for url, (page_hash, reason) in failed.items():
            ContentFailure.objects.update_or_create(
                legacy_url=url, defaults={"page_hash": page_hash, "reason": reason}
            )

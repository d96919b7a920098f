"""The importer's ID map: which legacy URL became which Wagtail page, and in what state.

Modelled on Drupal Migrate's ID map.  One :class:`ImportRecord` per canonical
legacy URL (a database unique constraint, so two runs at once cannot both
create a page for the same URL), holding the hash of the source the page was
last built from, the hash of what the importer wrote, the revision it wrote
and the page's last log entry then.  A later revision or log entry is an
editor's (see ``importers.load.editors``): the page is left alone unless the
run is forced.  The snapshot of the page as last extracted lets a re-run
over an unchanged page skip parsing it.
"""

from django.db import models
from wagtail.documents import get_document_model_string

from importers.records import Action, Kind


def _link_that_may_empty(to: str, help_text: str = "") -> models.ForeignKey:
    """A reference an editor may delete the target of: the record stays, the link empties."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text=help_text
    )


class ByLegacyUrl(models.Model):
    """Kept per legacy URL, so listed and named by it (in the admin, the shell, reports)."""

    class Meta:
        abstract = True
        ordering = ["legacy_url"]

    def __str__(self):
        return self.legacy_url


class ImportRecord(ByLegacyUrl):
    legacy_url = models.CharField(
        "legacy URL",
        max_length=500,
        unique=True,
        help_text="Canonical URL of the page on the legacy site (under the origin).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices())
    page = _link_that_may_empty(
        "wagtailcore.Page", "Empty when the page was deleted in Wagtail after the import."
    )
    revision = _link_that_may_empty(
        "wagtailcore.Revision", "The revision the importer wrote last; a later one is an editor's."
    )
    source_hash = models.CharField(max_length=64, help_text="SHA-256 of the extracted source.")
    written_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the field values the importer wrote."
    )
    page_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="SHA-256 of the fetched page (and extractor) the snapshot was made from.",
    )
    snapshot = models.JSONField(
        default=dict,
        blank=True,
        help_text="What extraction made of that page, so an unchanged page is not parsed again.",
    )
    last_action = models.CharField(max_length=20, choices=Action.choices())
    log_entry = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The page's last history entry when the importer wrote it; a later one is an "
        "editor's (unpublish, move, view restriction, …).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ByLegacyUrl.Meta):
        verbose_name = "import record"


class ContentFailure(ByLegacyUrl):
    """A legacy page whose content could not be read, kept so its bytes are not parsed again.

    A page that stalls or crashes extraction would otherwise do so on every
    run; until its bytes (or the extractor) change, a re-run reports the
    remembered reason instead of parsing it.
    """

    legacy_url = models.CharField("legacy URL", max_length=500, unique=True)
    page_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the fetched page (and extractor) that failed."
    )
    reason = models.TextField()
    failed_at = models.DateTimeField(auto_now=True)

    class Meta(ByLegacyUrl.Meta):
        verbose_name = "page that could not be read"


class ImportedImage(ByLegacyUrl):
    """A legacy image URL and the Wagtail image it became (images are shared by content hash)."""

    legacy_url = models.CharField("legacy URL", max_length=500, unique=True)
    image = _link_that_may_empty("wagtailimages.Image")
    content_hash = models.CharField(
        max_length=40, help_text="SHA-1 of the file, as Wagtail keeps it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ByLegacyUrl.Meta):
        verbose_name = "imported image"


class RunningImport(models.Model):
    """Who holds the one-import-at-a-time lock, so a second run can name it.

    The lock itself is not this row: it is a PostgreSQL session advisory lock
    (or, on SQLite, an OS file lock), which the server or the kernel releases
    when its holder dies, even by ``kill -9``.  A row left by a killed run is
    stale and simply overwritten by the next run that gets the lock.
    """

    name = models.CharField(max_length=50, unique=True)
    started_at = models.DateTimeField()
    sources = models.JSONField(default=list)
    holder = models.CharField(max_length=255, help_text="host and process id of the run")

    class Meta:
        verbose_name = "running import"

    def __str__(self):
        return f"{self.name} since {self.started_at:%Y-%m-%d %H:%M:%S} UTC"


class ImportedDocument(ByLegacyUrl):
    """A legacy file URL and the Wagtail document it became (documents are shared by content).

    The validators the server sent with the file let a re-run ask whether it
    changed (a conditional GET) instead of downloading it again.
    """

    legacy_url = models.CharField("legacy URL", max_length=500, unique=True)
    document = _link_that_may_empty(get_document_model_string())
    content_hash = models.CharField(
        max_length=40, help_text="SHA-1 of the file, as Wagtail keeps it."
    )
    etag = models.CharField("ETag", max_length=255, blank=True, default="")
    last_modified = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ByLegacyUrl.Meta):
        verbose_name = "imported document"

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

from django.core.validators import URLValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
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


class ImportRun(models.Model):
    """One run of ``import_legacy``, kept so editors see in the admin what it did.

    Created when the run starts (its number goes into the history entries of
    the pages it writes) and completed from the finished :class:`~importers.report.Report`;
    the JSON ``--report`` is read back from here (:mod:`importers.run_records`).
    """

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    started_by = models.CharField(
        max_length=200, blank=True, help_text="Who or what started the run (--started-by, "
        "else the operating system user)."
    )
    origin = models.CharField(max_length=500, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The Site the run imported into (empty: the default Site of a database "
        "that had none yet, or a Site deleted since).",
    )
    sources = models.JSONField(default=list)
    options = models.JSONField(default=dict, help_text="The command's options for this run.")
    warnings = models.JSONField(default=list, help_text="Run-wide warnings (images, redirects).")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped_edited = models.PositiveIntegerField("skipped because edited", default=0)
    failed = models.PositiveIntegerField(default=0)
    dead_links = models.PositiveIntegerField(default=0)
    documents_created = models.PositiveIntegerField(default=0)
    documents_reused = models.PositiveIntegerField(default=0)
    documents_failed = models.PositiveIntegerField(default=0)
    continues = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The run that did not complete which this run continued (its crawl, its "
        "pages written).",
    )
    holder = models.CharField(
        max_length=255, blank=True, help_text="Host and process id of the run, so a second "
        "run started meanwhile can name it."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "import run"

    def __str__(self):
        kind = "dry run" if self.dry_run else "import run"
        return f"Legacy {kind} {self.pk}"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def took(self) -> str:
        """The duration as people read it (the admin's column and summary)."""
        if self.duration is None:
            return "did not finish"
        seconds = self.duration.total_seconds()
        # A quick re-run takes milliseconds; "0.0 s" would say it took none.
        return f"{seconds:.1f} s" if seconds >= 1 else f"{max(1, round(seconds * 1000))} ms"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class ImportRunPage(ByLegacyUrl):
    """What one run did with one legacy page (the admin filters and links by these columns)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveIntegerField(help_text="Order in the run's report.")
    legacy_url = models.CharField("legacy URL", max_length=500)
    kind = models.CharField(max_length=20, blank=True)
    action = models.CharField("outcome", max_length=20, choices=Action.choices())
    title = models.CharField(max_length=255, blank=True)
    page = _link_that_may_empty("wagtailcore.Page")
    details = models.JSONField(
        default=dict, help_text="The rest of the page's report entry: warnings, errors, …"
    )

    class Meta:
        ordering = ["run", "position"]
        verbose_name = "import run page"
        indexes = [models.Index(fields=["run", "action"])]

    @property
    def errors(self) -> list[str]:
        return self.details.get("errors", [])

    @property
    def warnings(self) -> list[str]:
        return self.details.get("warnings", [])


class ImportRunDeadLink(models.Model):
    """A link on the legacy site that led nowhere, with the pages that have it."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="dead_link_rows")
    position = models.PositiveIntegerField()
    url = models.CharField("URL", max_length=500)
    reason = models.CharField(max_length=500)
    linked_from = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "position"]
        verbose_name = "dead link"

    def __str__(self):
        return self.url


@register_setting(icon="history")
class LegacySiteSettings(BaseSiteSetting):
    """Each project site's legacy site, for ``import_legacy --site`` to import without
    ``--origin``. Left empty, a run takes its origin as without a site setting."""

    origin = models.URLField(
        "legacy origin", max_length=500, blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The legacy site's public base URL, e.g. http://inno.baltmet.org/pub/: "
        "its pages' identities and their redirects' old paths are under it. Left empty, each "
        "import names it (--origin) or takes it from the pages' <base href>. Change it only "
        "when the legacy site's address was wrong: its pages are known by their old URLs.",
    )

    panels = [FieldPanel("origin")]

    class Meta:
        verbose_name = "legacy site"


class ImportRunFrontier(models.Model):
    """One URL the run's crawl asked for, and what came of it: the crawl frontier, kept.

    Written as the crawl goes (in batches), so a run killed part-way is
    continued by the next run of the same site with the same sources and
    reading options: it takes these answers instead of fetching the pages
    again.  The queue itself is not kept: the crawl is breadth-first and
    deterministic, so replaying the kept answers rebuilds it exactly.
    Deleted when the run completes (a later run recrawls everything).
    """

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    url = models.CharField("URL", max_length=500, help_text="Canonical origin URL asked for.")
    answer = models.CharField(
        max_length=10, help_text="page, dead or failed (the page could not be read)."
    )
    source_url = models.CharField(
        max_length=500, blank=True, help_text="Where the page was read from, redirects followed."
    )
    reason = models.TextField(blank=True, help_text="Why it is dead, or failed.")
    page_hash = models.CharField(max_length=64, blank=True)
    snapshot = models.JSONField(
        null=True, blank=True,
        help_text="What extraction made of the page (as the ID map keeps it); empty for a "
        "redirect to a page read before, or a page whose content failed.",
    )

    class Meta:
        verbose_name = "crawl frontier URL"
        constraints = [models.UniqueConstraint(fields=["run", "url"], name="one_answer_per_url")]

    def __str__(self):
        return self.url


class UncommittedFile(models.Model):
    """A file the importer is about to store for an image or document not yet committed.

    Written (and committed) before the file is, deleted once the image or
    document row that names it commits: a run killed in between leaves this
    row, and the next run into the same Site (which holds the Site's import
    lock, so that run is over) removes the file if no row names it.
    """

    run = models.ForeignKey(ImportRun, null=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, help_text="image or document")
    name = models.CharField(max_length=255, help_text="The file's name in its storage.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "file not yet committed"

    def __str__(self):
        return self.name

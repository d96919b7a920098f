"""What editors did to an imported page since the importer last wrote it.

Decided from Wagtail's own records, not from one field: a revision newer than
the importer's (a published edit or a saved draft), and the page's log
entries newer than the last one the importer caused (unpublish, move,
rename, view restriction, scheduling …), which write no revision.  The ID
map keeps the importer's revision and its last log entry; anything after
them is an editor's.  Comments are conversation, not edits, and do not count.

The rule is written once, as SQL over import records (:func:`edited`), so
that the loader (one query for the whole ID map), the page's provenance
panel (:func:`edited_since_import`) and the admin listings (one subquery per
listing, :func:`annotate_edited_since_import`) give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision

from importers.history import IMPORTED
from importers.models import ImportRecord

DELETED = "deleted in Wagtail (re-created only with --force)"

#: Log actions that change a page without a revision, as the report names them.
LOGGED_ACTIONS = {
    "wagtail.unpublish": "unpublished by an editor",
    "wagtail.unpublish.scheduled": "unpublished when its expiry came",
    "wagtail.move": "moved",
    "wagtail.reorder": "moved",
    "wagtail.rename": "title changed",
    "wagtail.view_restriction.create": "view restriction added",
    "wagtail.view_restriction.edit": "view restriction changed",
    "wagtail.view_restriction.delete": "view restriction removed",
    "wagtail.publish.schedule": "publishing scheduled",
    "wagtail.schedule.cancel": "scheduled publishing cancelled",
    "wagtail.publish.scheduled": "a scheduled revision was published",
    "wagtail.revert": "reverted to an earlier revision",
    "wagtail.workflow.start": "submitted to a workflow",
    "wagtail.lock": "locked",
}
# Log actions an import writes itself alongside its revision, or that change no content.
_NOT_EDITS = Q(action__startswith="wagtail.comments.") | Q(action="wagtail.unlock")


def editor_entries():
    """Log entries that count as editor actions."""
    return PageLogEntry.objects.exclude(_NOT_EDITS)


def newest_entry_of_page():
    """A subquery: the id of the newest editor-relevant log entry of ``OuterRef("page_id")``."""
    return Subquery(
        editor_entries().filter(page_id=OuterRef("page_id")).order_by("-id").values("id")[:1]
    )


def newest_entry(page_id: int) -> int | None:
    return editor_entries().filter(page_id=page_id).aggregate(newest=Max("id"))["newest"]


def edited() -> Case:
    """An annotation of import records: has an editor changed the record's page since?

    Not edited only while the page exists, its latest revision is the
    importer's (or neither exists: a stub), and no editor log entry is newer
    than the importer's last (a record from before log entries were kept,
    ``log_entry`` None, is judged by its revisions alone).  Anything unknown
    (a NULL) counts as edited: the importer would rather leave a page alone.
    """
    newer_entries = editor_entries().filter(
        page_id=OuterRef("page_id"), pk__gt=OuterRef("log_entry")
    )
    as_written = (
        Q(page__isnull=False)
        & (Q(revision__isnull=True, page__latest_revision__isnull=True)
           | Q(revision=F("page__latest_revision")))
        & (Q(log_entry__isnull=True) | ~Exists(newer_entries))
    )
    return Case(When(as_written, then=Value(False)), default=Value(True),
                output_field=BooleanField())


def edited_records():
    """The import records whose page an editor changed since the importer wrote it."""
    return ImportRecord.objects.annotate(edited=edited()).filter(edited=True)


def edited_since_import(page_id: int) -> bool:
    """The rule for one page: an import record of it says an editor changed it since."""
    return edited_records().filter(page_id=page_id).exists()


def annotate_edited_since_import(pages: QuerySet) -> QuerySet:
    """The rule for many pages at once: a boolean ``edited_since_import``, one subquery.

    A page the importer holds no record of (written in Wagtail, or its
    record deleted) is not "edited since the import": there was none.
    """
    return pages.annotate(
        edited_since_import=Exists(edited_records().filter(page_id=OuterRef("pk")))
    )


def _user_name(user) -> str:
    if user is None:
        return "a script"
    return user.get_full_name() or user.get_username()


def editor_actions(
    page_id: int | None, revision_id: int | None, log_entry: int | None
) -> list[str]:
    """Why a page counts as edited: one reason per kind of thing editors did, oldest first."""
    if page_id is None:
        return [DELETED]
    reasons: list[str] = []
    newer = Revision.objects.page_revisions().filter(object_id=str(page_id))
    if revision_id is not None:
        newer = newer.filter(pk__gt=revision_id)
    newer = list(newer.select_related("user").order_by("pk"))
    # An import run's revision is the importer's, even one another run wrote meanwhile.
    by_runs = dict(
        PageLogEntry.objects.filter(action=IMPORTED, revision__in=newer)
        .values_list("revision_id", "data")
    )
    for revision in newer:
        if revision.pk in by_runs:
            run = (by_runs[revision.pk] or {}).get("run")
            reasons.append(f"written by legacy import run {run}" if run else
                           "written by a legacy import run")
        else:
            reasons.append(f"newer revision by {_user_name(revision.user)}")
    entries = editor_entries().filter(page_id=page_id)
    # a record kept before log entries were (None): its revisions decide alone
    entries = entries.filter(pk__gt=log_entry) if log_entry is not None else entries.none()
    for action in entries.order_by("pk").values_list("action", flat=True):
        if action in LOGGED_ACTIONS:
            reasons.append(LOGGED_ACTIONS[action])
    reasons.extend(_state_changes(page_id, revision_id))
    return list(dict.fromkeys(reasons)) or ["changed in Wagtail"]


def _state_changes(page_id: int, revision_id: int | None) -> list[str]:
    """What the page row shows now against what the importer's revision set."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return [DELETED]
    reasons = []
    revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
    if revision is not None:
        content = revision.content
        if content.get("slug") not in (None, page.slug):
            reasons.append("slug changed")
        if content.get("title") not in (None, page.title):
            reasons.append("title changed")
        if revision.approved_go_live_at is None and content.get("live") and not page.live:
            reasons.append("unpublished by an editor")
    if page.expire_at is not None:
        reasons.append("expiry scheduled")
    if page.go_live_at is not None and not page.live:
        reasons.append("publishing scheduled")
    if PageViewRestriction.objects.filter(page__in=page.get_ancestors(inclusive=True)).exists():
        reasons.append("view restriction added")
    return reasons


class EditedMeanwhile(Exception):
    """An editor changed the page after the run read its state: the editor wins."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Known:
    """What the ID map and the page's history say about one legacy URL, as the run read them."""

    record_id: int
    page_id: int | None
    revision_id: int | None  # the importer's last revision (None: a stub, never written)
    latest_revision_id: int | None
    log_entry: int | None  # the page's last log entry when the importer wrote it
    newest_entry: int | None  # the page's newest log entry now
    written_hash: str
    source_hash: str
    page_hash: str
    kind: str
    edited: bool = False  # :func:`edited` as the run read it (a stub the run just made: no)

    def reasons(self) -> list[str]:
        return editor_actions(self.page_id, self.revision_id, self.log_entry)


class WrittenByAnotherRun(Exception):
    """Another import run wrote the page after this run read it: no editor's change."""


def lock_as_read(known: Known) -> None:
    """Lock the page row; if anyone changed the page since the run read it, they win.

    Who changed it is decided by the import record as it is now: if the rule
    says the page is as an importer last wrote it, another run wrote it (its
    lock lost or taken meanwhile), which is not reported as an editor's edit.
    """
    row = Page.objects.select_for_update().filter(pk=known.page_id)
    now = row.values("latest_revision_id").first()
    if now is None:
        raise EditedMeanwhile([DELETED])
    if (now["latest_revision_id"] != known.latest_revision_id
            or newest_entry(known.page_id) != known.newest_entry):
        record = ImportRecord.objects.filter(pk=known.record_id).annotate(edited=edited())
        record = record.values("edited", "revision_id", "log_entry").first()
        if record is not None and not record["edited"]:
            raise WrittenByAnotherRun(
                "another import run wrote this page after this run read it; left as it wrote it"
            )
        if record is None:
            raise EditedMeanwhile(known.reasons())
        raise EditedMeanwhile(
            editor_actions(known.page_id, record["revision_id"], record["log_entry"])
        )

"""What the importer tells about an imported page in its edit view.

The last run that dealt with the page (and when), whether an editor changed
it since the import by the importer's own rule (then the next run leaves it
alone unless forced) and what they did, and the command that re-imports
just this page. Shown in the cms provenance panel through its
``describe_page_provenance`` hook.
"""

from __future__ import annotations

import shlex

from django.template.loader import render_to_string

from importers.load.editors import edited_since_import, editor_actions
from importers.models import ImportRecord, ImportRunPage


def reimport_command(run, legacy_url: str, *, force: bool) -> str:
    words = ["python", "manage.py", "import_legacy", *(run.sources if run else ["SOURCE"])]
    if run is not None and run.origin:
        words += ["--origin", run.origin]
    words += ["--only", legacy_url]
    if force:
        words.append("--force")
    return shlex.join(words)


def describe(page, request) -> str | None:
    record = (
        ImportRecord.objects.filter(page_id=page.pk, revision__isnull=False)
        .order_by("-updated_at").first()
    )
    if record is None:
        return None
    last = (
        ImportRunPage.objects.filter(legacy_url=record.legacy_url, run__dry_run=False)
        .select_related("run").order_by("-run__started_at", "-run_id").first()
    )
    run = last.run if last else None
    # the importer's own rule, as the next run (and the admin listings) will apply it
    edited = edited_since_import(page.pk)
    reasons = editor_actions(page.pk, record.revision_id, record.log_entry) if edited else []
    return render_to_string("projectsite_importers/provenance.html", {
        "record": record, "last": last, "run": run, "edited": edited, "reasons": reasons,
        "command": reimport_command(run, record.legacy_url, force=edited),
    }, request=request)

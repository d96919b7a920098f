"""What the importer tells about an imported page in its edit view.

The last run that dealt with the page (and when), whether an editor changed
it since the importer's revision (then the next run leaves it alone unless
forced), and the command that re-imports just this page. Shown in the cms
provenance panel through its ``describe_page_provenance`` hook.
"""

from __future__ import annotations

import shlex

from django.template.loader import render_to_string

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
    # The edit view's page is its latest revision as an object: ask the database.
    latest = type(page).objects.filter(pk=page.pk).values_list("latest_revision_id", flat=True)
    edited = record.revision_id != latest.first()
    return render_to_string("projectsite_importers/provenance.html", {
        "record": record, "last": last, "run": run, "edited": edited,
        "command": reimport_command(run, record.legacy_url, force=edited),
    }, request=request)

"""Fresh planner statistics after a bulk import, so the site's first requests plan well.

PostgreSQL's autovacuum analyses a table only after enough changes and some
time; right after an import of hundreds of pages the planner still believes
the page tables are nearly empty, and a feed query once took 18 s on such a
stale plan.  ``ANALYZE`` on the tables the import wrote costs well under a
second (it samples), so a large run ends with it.  SQLite keeps no such
statistics worth refreshing here.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from cms.models import Milestone
from importers.models import ImportedImage, ImportRecord
from importers.page_types import model_of
from importers.records import Kind

BULK_PAGES = 200  # pages created or updated in one run above which statistics are refreshed


def written_tables() -> list[str]:
    """The tables an import writes: the page tree, the cms page tables, the importer's own."""
    pages = [model_of(kind) for kind in Kind if kind.spec.model]
    models = [Page, Revision, Redirect, *pages, Milestone, ImportRecord, ImportedImage]
    return list(dict.fromkeys(model._meta.db_table for model in models))


def refresh_statistics(written: int, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``ANALYZE`` the written tables after more than :data:`BULK_PAGES` pages; says which."""
    connection = connections[using]
    if written <= BULK_PAGES or connection.vendor != "postgresql":
        return []
    tables = written_tables()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables

"""The indexes migration cms.0004 adds to Wagtail's tables serve the queries
they were made for (the plans are PostgreSQL's, the production database).

Each plan is asked for with sequential scans discouraged: PostgreSQL then
takes an index wherever one can answer the condition, so an index missing
from the plan is one that cannot serve the query (the expression or the
condition no longer matches), whatever the size of the test's tables.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.compat.search_index import SEARCH_INDEX
from cms.models import StandardPage

#: How Wagtail's PostgreSQL search matches a page (cms.compat.search_index).
MATCH = re.compile(r'\("wagtailsearch_indexentry"\."title" \|\| '
                   r'"wagtailsearch_indexentry"\."body"\) @@ \(to_tsquery\([^()]*\)\)')
PAGE_INDEXES = {"cms_page_expire_at", "cms_page_go_live_at", "cms_page_depth"}


def plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def queries_of(client, url, query=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_indexes_exist_on_wagtails_page_table(db):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "wagtailcore_page"))
    assert names >= PAGE_INDEXES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_schedule_rule_reads_its_indexes_not_every_page(client, website):
    queries = queries_of(client, "/")
    schedule = [sql for sql in queries if '"expire_at" <=' in sql]
    assert schedule, queries
    for sql in schedule:
        shown = plan(sql)
        assert "cms_page_expire_at" in shown and "cms_page_go_live_at" in shown, shown


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_the_site_search_reads_the_index_on_what_wagtail_matches(client, tree, publish):
    publish(tree.home, StandardPage(title="Partners", body="<p>The partners were meeting.</p>"))
    queries = queries_of(client, "/search/", {"q": "meetings"})
    [search] = [sql for sql in queries if "@@" in sql]
    # The search's match, asked alone: on the small test tables the whole
    # query would rather join through the entries' other indexes.
    match = MATCH.search(search)
    assert match, f"the search no longer matches title || body: {search}"
    shown = plan(f'SELECT 1 FROM "wagtailsearch_indexentry" WHERE {match[0]}')
    assert SEARCH_INDEX in shown, shown

"""Wagtail's PostgreSQL search (the ``modelsearch`` backend it ships) matches
``title || body`` of its index entries, an expression that the index's own
GIN indexes on ``title`` and on ``body`` do not serve: every search read the
whole index. Migration ``cms.0004`` adds a GIN index on that expression; it
serves the search only while the backend builds the same expression, which
no setting or hook controls.
"""

from cms.compat.reliance import Reliance

#: The index migration ``cms.0004_indexes_for_public_queries`` makes (PostgreSQL).
SEARCH_INDEX = "cms_search_title_body"

RELIES_ON = Reliance(
    check_id="cms.W015",
    names=(
        "modelsearch.backends.database.postgres.postgres.PostgresSearchQueryCompiler.search",
        "modelsearch.backends.database.postgres.postgres.PostgresSearchQueryCompiler"
        ".get_index_vectors",
    ),
    fingerprint="ef903c3421b9ac57",
    recheck="cms.compat.search_index: whether the search still filters on title || body "
    "of its index entries (tests/cms/test_public_query_indexes.py shows the plan); "
    "if not, index what it matches now in a new migration.",
    risk="Searches on PostgreSQL may read the whole search index again (slower, not wrong).",
)

"""Every workaround around Wagtail (and a few around Django and django-tasks-db) in one place.

Each module works around one missing hook and names, in its ``RELIES_ON``
(:class:`cms.compat.reliance.Reliance`), the code it copies or replaces, with
a fingerprint of that code as last checked. :mod:`cms.compat.checks` reports
a change at ``manage.py check`` time (an error where it could leak hidden
pages), and ``tests/cms/test_compat.py`` fails on it, saying what to re-check.

- :mod:`~cms.compat.v3_querysets` (``cms.E003``): API v3's public pages come
  from :func:`cms.visibility.public_pages`, set as a module global of
  ``wagtail.api.v3.querysets``.
- :mod:`~cms.compat.v3_routes` (``cms.E004``): Wagtail's v3 URL patterns,
  each behind the guard of :mod:`cms.api.v3`, which knows their routes.
- :mod:`~cms.compat.url_patterns` (``cms.E011``): URL patterns rebuilt with
  every view wrapped (the v3 guard, the API's caching headers).
- :mod:`~cms.compat.redirect_lookup` (``cms.E010``): the redirect Wagtail's
  middleware and v3 ``redirects/find/`` answer with, looked up as they do.
- :mod:`~cms.compat.v3_listings` (``cms.W010``): Wagtail's v3 listings of
  images, documents and redirects over our querysets.
- :mod:`~cms.compat.relabel` (``cms.W011``): apps moved to a new label keep
  their tables; the former label's migration records go.
- :mod:`~cms.compat.task_leases` (``cms.W012``): a task whose worker died
  mid-run is queued again when a worker starts (django-tasks-db only).
- :mod:`~cms.compat.page_search_names` (``cms.W013``): the admin's page search
  names its results "pages" (Wagtail's says "None").
- :mod:`~cms.compat.log_actors` (``cms.W014``): a ``name_log_actor`` hook
  names who acted on an entry without a user (Wagtail says "system").
- :mod:`~cms.compat.api_markdown` (``cms.E012``): the API's ``markdown`` rich
  text shows links to pages that are not public as text, as every surface does.
- :mod:`~cms.compat.search_index` (``cms.W015``): the index migration
  ``cms.0004`` adds for the expression Wagtail's PostgreSQL search matches.
"""

"""URL patterns rebuilt with every view wrapped.

Django offers no way to decorate every view of an included urlconf (the
API's routers, Wagtail's v3 API): each ``URLPattern`` and ``URLResolver`` is
built again from its parts, with the view wrapped. The API's caching headers
(:mod:`cms.api.http_cache`) and the v3 guard (:mod:`cms.api.v3`) depend on it.
"""

from django.urls import URLPattern, URLResolver

from cms.compat.reliance import Reliance

RELIES_ON = Reliance(
    check_id="cms.E011",
    names=(
        "django.urls.resolvers.URLPattern.__init__",
        "django.urls.resolvers.URLResolver.__init__",
    ),
    fingerprint="630ae7e67db2135a",
    recheck="that wrap_views in cms.compat.url_patterns still passes every argument "
    "these constructors keep (a new one would be dropped from the API's URLs).",
    risk="The API's views could lose the v3 guard or their caching headers.",
)


def wrap_views(urlconf, wrap):
    """The same URL patterns (or ``include()`` tuple), each view ``wrap(route, view)``,
    ``route`` being its pattern's own text (``"pages/<page_id>/"``)."""
    if isinstance(urlconf, tuple):
        patterns, *names = urlconf
        return (wrap_patterns(patterns, wrap), *names)
    return wrap_patterns(urlconf, wrap)


def wrap_patterns(patterns, wrap):
    wrapped = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            entry = URLResolver(
                entry.pattern,
                wrap_patterns(entry.url_patterns, wrap),
                entry.default_kwargs,
                entry.app_name,
                entry.namespace,
            )
        elif isinstance(entry, URLPattern):
            entry = URLPattern(
                entry.pattern,
                wrap(str(entry.pattern), entry.callback),
                entry.default_args,
                entry.name,
            )
        wrapped.append(entry)
    return wrapped

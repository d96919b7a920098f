"""The one spelling of a legacy URL's query, for the importer and the redirects alike.

The legacy site reaches one page under many queries: its own links carry
session ids, TYPO3 adds ``cHash`` and ``no_cache``, ``L=0`` names the default
language every page has anyway, and newsletters and other sites add
``utm_*``.  None of them names a page.  The importer keys each page by its
URL with :func:`canonical_query` (``importers.urls.canonicalize``), and a
request for an old link with any of them redirects where the clean URL does
(:mod:`cms.redirects`), so the two cannot disagree.
"""

from urllib.parse import parse_qsl, quote, urlencode

#: Parameters (compared lowercased) that identify a visitor's session or a cache entry.
SESSION_PARAMS = frozenset(
    {
        "phpsessid",
        "sid",
        "session",
        "sessionid",
        "session_id",
        "sess",
        "jsessionid",
        "aspsessionid",
        "chash",
        "no_cache",
    }
)

#: Campaign tracking parameters (``utm_source``, ``utm_medium`` …), by prefix.
TRACKING_PREFIX = "utm_"

#: TYPO3's language parameter and the number it gives the site's default language.
LANGUAGE_PARAM = "l"
DEFAULT_LANGUAGE = "0"

#: TYPO3's page parameter: it leads, as the legacy site writes its own links.
PAGE_PARAM = "id"

_QUERY_SAFE = "[]/:,@!$'()*"


def names_no_page(name: str, value: str) -> bool:
    """Whether the parameter ``name=value`` leaves the page a URL names unchanged."""
    name = name.lower()
    return (
        name in SESSION_PARAMS
        or name.startswith(TRACKING_PREFIX)
        or (name == LANGUAGE_PARAM and value == DEFAULT_LANGUAGE)
    )


def canonical_query(query: str) -> str:
    """``query`` without the parameters that name no page, sorted (``id`` first, then by
    name and value) and encoded the same way every time, so the function is idempotent."""
    pairs = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not names_no_page(name, value)
    ]
    pairs.sort(key=_query_order)
    return urlencode(pairs, safe=_QUERY_SAFE, quote_via=quote)


def _query_order(pair: tuple[str, str]) -> tuple[bool, str, str]:
    name, value = pair
    return (name != PAGE_PARAM, name, value)

"""Wagtail rich text of many news pages, expanded for feeds in one pass.

All bodies of a feed are expanded together, so each kind of reference
(page links, documents, images) costs one query per feed, not one per item.
Page links get their URL from the generic page (one query) instead of
Wagtail's handler, which loads each linked page's specific type (a query per
page type); a relative result is later resolved against the item's URL.
"""

import threading
from functools import cache

from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text import features
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter

from cms.visibility import publicly_visible, restricted_paths
from syndication.content import clean_text

#: Separates the bodies expanded together; no stored text contains it.
BODY_SEPARATOR = "\x00"


#: The request the bodies being expanded in this thread are for: Wagtail
#: keeps what it learns about the sites on it, so every link's URL reuses it.
_current = threading.local()


def page_links(attrs_list):
    ids = [str(attrs.get("id")) for attrs in attrs_list]
    request = getattr(_current, "request", None)
    restricted = getattr(_current, "restricted", None)
    # A link to a page that is not public is its text (cms.page_links).
    pages = publicly_visible(
        Page.objects.filter(pk__in={i for i in ids if i.isascii() and i.isdigit()}),
        restricted=restricted_paths(request) if restricted is None else restricted,
    ).only("pk", "url_path", "path", "depth")
    # Each linked page's URL once (Wagtail reverses a URL for every call).
    urls = {str(page.pk): page.get_url(request=request) for page in pages}
    return [f'<a href="{escape(urls[i])}">' if urls.get(i) else "<a>" for i in ids]


@cache
def feed_rewriter():
    link_rules = {
        linktype: handler.expand_db_attributes_many
        for linktype, handler in features.get_link_types().items()
    }
    link_rules["page"] = page_links
    embed_rules = {
        embedtype: handler.expand_db_attributes_many
        for embedtype, handler in features.get_embed_types().items()
    }
    return MultiRuleRewriter(
        [LinkRewriter(bulk_rules=link_rules), EmbedRewriter(bulk_rules=embed_rules)]
    )


def expanded_bodies(pages, request=None, full_text=True, restricted=None):
    """Every page's body with Wagtail's internal links and embeds expanded
    (None for each without ``full_text``); ``restricted``: the restricted
    paths already read (else they are read)."""
    if not full_text:
        return [None] * len(pages)
    bodies = [clean_text(page.body) for page in pages]
    rewrite = feed_rewriter()
    _current.request, _current.restricted = request, restricted
    try:
        expanded = rewrite(BODY_SEPARATOR.join(bodies)).split(BODY_SEPARATOR)
        if len(expanded) != len(bodies):  # an expansion produced the separator
            expanded = [rewrite(body) for body in bodies]
    finally:
        _current.request = _current.restricted = None
    return expanded

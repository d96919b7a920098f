"""Rich-text links to pages, as the public gets them.

A link from a public page to a page that is not public (:mod:`cms.visibility`:
a draft, a private or restricted page, one expired or not yet due) would
give that page's address away. Everywhere rich text is shown, such a link is
its anchor text in an ``<a>`` without ``href``, as Wagtail shows a link to a
deleted page; the link itself stays in the stored text, so the admin's
editor shows it and it works again once the page is public.

:class:`PublicPageLinkHandler` replaces Wagtail's handler of ``linktype="page"``
for the website, the feeds and the API's ``html`` format;
:func:`without_hidden_page_links` is the same rule on stored rich text, for
what expands links without that handler (the API's ``markdown`` format). Both
look up the links of a text together: a fixed number of queries per text.
"""

from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import LinkRewriter

from cms.visibility import is_public, page_model, publicly_visible, restricted_paths


def public_link_targets(pages, request=None):
    """``pages`` (loaded, or None) with each page that is not public as None."""
    if not any(pages):
        return pages
    restricted = restricted_paths(request)
    return [page if page is not None and is_public(page, restricted) else None for page in pages]


class PublicPageLinkHandler(PageLinkHandler):
    """Wagtail's page links, with a link to a page that is not public as text."""

    @classmethod
    def get_many(cls, attrs_list):
        return public_link_targets(super().get_many(attrs_list))


def numeric_ids(attrs_list):
    return {str(attrs.get("id")) for attrs in attrs_list if str(attrs.get("id")).isdigit()}


class HiddenPageLinkRewriter(LinkRewriter):
    """Rewrites the opening tag of each page link to a page that is not
    public into ``<a>``; leaves every other tag as stored."""

    def get_tag_replacements(self, tag_type, attrs_list):
        if tag_type != "page":
            return []
        Page = page_model()
        public = {
            str(pk) for pk in publicly_visible(Page.objects.filter(pk__in=numeric_ids(attrs_list)))
            .values_list("pk", flat=True)
        }
        return [
            f'<a linktype="page" id="{escape(attrs["id"])}">' if str(attrs.get("id")) in public
            else "<a>"
            for attrs in attrs_list
        ]


def without_hidden_page_links(html):
    """Stored rich text with its links to pages that are not public as text."""
    return HiddenPageLinkRewriter()(html)

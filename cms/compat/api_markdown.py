"""The API's ``markdown`` rich text format (API v2 and v3,
``?rich_text_format=markdown``) resolves page links through the admin
editor's converter, which gives every linked page's URL, public or not; no
hook or setting reaches it (the website's page links have one,
:class:`cms.page_links.PublicPageLinkHandler`). :func:`install` has
``APIRichText.serialize`` drop links to pages that are not public
(:func:`cms.page_links.without_hidden_page_links`) before it converts to
``markdown``. The stored formats (``db_html``, ``db_markdown``) name a linked
page by its id only and stay as stored, so an API client can write them back
without losing an editor's link.
"""

from wagtail.api.rich_text import APIRichText

from cms.compat.reliance import Reliance, replaced_source
from cms.page_links import without_hidden_page_links

RELIES_ON = Reliance(
    check_id="cms.E012",
    names=(
        "wagtail.api.rich_text.APIRichText.serialize",
        "wagtail.api.rich_text.APIRichText._serialize_markdown",
        "wagtail.admin.rich_text.converters.html_to_contentstate.PageLinkElementHandler",
    ),
    fingerprint="59eed24d067a8fc9",
    recheck="cms.compat.api_markdown: that API v2 and v3 still serialize rich text through "
    "APIRichText.serialize, and whether the markdown format resolves page links through the "
    "registered link handler now (then drop the workaround).",
    risk="The API's markdown rich text may give the URL of a linked page that is not public.",
    read=replaced_source,
)


def mismatch():
    if not hasattr(APIRichText.serialize, "replaced"):
        return ("wagtail.api.rich_text.APIRichText.serialize is not the one "
                "cms.compat.api_markdown installed.")
    return None


def install():
    wagtails = APIRichText.serialize
    if hasattr(wagtails, "replaced"):
        return

    def serialize(value, *, format, features=None):  # noqa: A002 - Wagtail's name
        if value and format == APIRichText.FORMAT_MARKDOWN:
            value = without_hidden_page_links(value)
        return wagtails(value, format=format, features=features)

    serialize.replaced = wagtails.__func__
    APIRichText.serialize = staticmethod(serialize)

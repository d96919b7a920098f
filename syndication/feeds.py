"""RSS 2.0 and Atom 1.0 documents, written with feedgen.

feedgen 1.0.0 has traps (all in its tracker); each workaround is marked here
and guarded by a test in tests/syndication/test_feedgen_traps.py:

* entries are prepended unless added with ``order="append"``;
* naive datetimes raise, so every date given is aware;
* feed ``updated``/``lastBuildDate`` default to now: always set explicitly;
* ``content(type="CDATA")`` writes an invalid Atom ``type`` (#123): content
  is given as escaped ``type="html"`` instead;
* links added to Atom entries lose ``rel``/``type``/``length`` (#135), which
  turns an enclosure into a second alternate link: Atom enclosures are
  written by :class:`EntryExtras` instead;
* only the first ``rel="self"`` link reaches RSS and no other (#122): the
  hub and paging links are written into RSS by :class:`ChannelLinks`;
* RSS's channel ``<link>`` is the last link added: the alternate link is
  added last.
"""

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

ATOM_NS = "http://www.w3.org/2005/Atom"
EXTENSION = "syndication"


class ChannelLinks(BaseExtension):
    """Writes the hub and paging links into RSS, which feedgen drops (#122)."""

    def __init__(self):
        self.links = []

    def extend_ns(self):
        return {}  # feedgen's RSS already declares the atom prefix

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        for rel, href in self.links:
            xml_elem(f"{{{ATOM_NS}}}link", channel, href=href, rel=rel)
        return rss_feed

    def extend_atom(self, atom_feed):
        return atom_feed


class EntryExtras(BaseExtension):
    """Writes an Atom entry's enclosure with its rel, type and length (#135),
    and an RSS item's last change as ``atom:updated``, which RSS lacks."""

    def __init__(self):
        self.enclosure = None
        self.updated = None

    def extend_ns(self):
        return {}

    def extend_atom(self, entry):
        if self.enclosure is not None:
            image = self.enclosure
            # feedgen builds Atom without namespaces and declares one at the root.
            xml_elem(
                "link", entry, href=image.url, rel="enclosure",
                type=image.mime_type, length=str(image.length),
            )
        return entry

    def extend_rss(self, entry):
        if self.updated is not None:
            updated = xml_elem(f"{{{ATOM_NS}}}updated", entry)
            updated.text = self.updated.isoformat()
        return entry


def paging_links(document):
    """RFC 5005 links of the document, besides ``self``."""
    links = []
    if document.hub_url:
        links.append(("hub", document.hub_url))
    links.append(("first", document.first_url))
    if document.next_url:
        links.append(("next", document.next_url))
    if document.previous_url:
        links.append(("previous", document.previous_url))
    return links


def generator(document, fmt):
    fg = FeedGenerator()
    fg.register_extension(EXTENSION, ChannelLinks, EntryExtras, atom=True, rss=True)
    fg.id(document.id)
    fg.title(document.title)
    fg.subtitle(document.description)
    fg.author({"name": document.author})  # Atom; RSS wants an email there
    if fmt == "rss":
        fg.load_extension("dc", atom=False, rss=True)
        fg.dc.dc_creator(document.author)
    fg.language(document.language)
    fg.generator(generator="Wagtail project site feeds")
    if document.logo_url:
        fg.logo(document.logo_url)
    # Trap: updated/lastBuildDate default to now.
    fg.updated(document.updated)
    content_type = "application/rss+xml" if fmt == "rss" else "application/atom+xml"
    # Trap #122: only this first rel="self" link reaches RSS.
    fg.link(href=document.self_url, rel="self", type=content_type)
    links = paging_links(document)
    if fmt == "atom":
        for rel, href in links:
            fg.link(href=href, rel=rel)
    else:
        getattr(fg, EXTENSION).links = links
    # Trap: RSS's channel <link> is the last link added.
    fg.link(href=document.home_url, rel="alternate", type="text/html")
    for item in document.items:
        add_entry(fg, item, fmt)
    return fg


def add_entry(fg, item, fmt):
    # Trap: entries are prepended unless appended explicitly.
    fe = fg.add_entry(order="append")
    fe.id(item.id)  # also the RSS guid, isPermaLink="false"
    fe.title(item.title)
    fe.link(href=item.url)  # alternate; feedgen drops rel/type on Atom entries (#135)
    if fmt == "rss":
        fe.dc.dc_creator(item.author)  # RSS's own <author> must be an e-mail address
    else:
        fe.author({"name": item.author})
    fe.published(item.published)
    fe.updated(item.updated)
    getattr(fe, EXTENSION).updated = item.updated
    if item.summary:
        fe.summary(item.summary)
    if item.content_html:
        # Trap #123: type="CDATA" would be written into Atom; escaped html is valid.
        fe.content(item.content_html, type="html")
    for name in item.categories:
        fe.category(term=name)
    if item.image is not None:
        if fmt == "rss":
            fe.enclosure(item.image.url, str(item.image.length), item.image.mime_type)
        else:
            getattr(fe, EXTENSION).enclosure = item.image


def render_rss(document):
    return generator(document, "rss").rss_str(pretty=False)


def render_atom(document):
    return generator(document, "atom").atom_str(pretty=False)

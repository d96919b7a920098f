"""Reading feed documents in tests: parsed XML and namespaces."""

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS = {"atom": ATOM, "content": CONTENT}


def xml(response):
    """The response body as an lxml tree; raises if it is not well-formed."""
    return etree.fromstring(response.content)

"""Property tests: whatever editors or imports put in titles and bodies,
every feed stays well-formed, parseable and sanitised."""

import datetime
import json

import feedparser
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from cms.models import NewsPage
from syndication.content import URLResolver, clean_html, clean_text, clean_title
from syndication.document import Document, Item
from syndication.feeds import render_atom, render_rss
from syndication.jsonfeed import render_json
from tests.syndication.conftest import FEED_URLS, reset_cache

UTC = datetime.UTC
ATOM_TITLE = "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title"
HOSTILE = [
    "]]>", "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "\x00", "\x0b",
    "\x1b[31m", "\ufffe", "\ud800", '"', "'", "&", "&amp;", "<![CDATA[", "<!--", "-->",
    '<a href="javascript:alert(1)">', '<svg onload="x()">', "\u2028", "<p>", "</div>",
    '<iframe src="https://evil.example/">', "<style>body{}</style>", "&#0;", "&#x1;",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=8
).map("".join)

#: What a database can hold at all: no lone surrogates, no NUL (PostgreSQL).
storable_text = hostile_text.map(lambda t: t.replace("\ud800", "").replace("\x00", ""))


def item(title, summary, body, n=0):
    url = f"https://www.example.org/news/{n}/"
    return Item(
        id=f"tag:example.org,2025:news/{n}", title=clean_title(title), url=url,
        summary=clean_text(summary).strip(),
        content_html=clean_html(body, URLResolver(url, "https://api.example.org")) or None,
        published=datetime.datetime(2024, 6, 1, tzinfo=UTC),
        updated=datetime.datetime(2024, 6, 2, tzinfo=UTC),
        categories=sorted({clean_text(title)[:10] or "x"}), author="Team", image=None,
    )


def document(items, title="Feed"):
    return Document(
        id="tag:example.org,2025:news", title=clean_title(title, "Feed"),
        description="News", author="Team", language="en",
        home_url="https://www.example.org/news/", self_url="https://api.example.org/feeds/news",
        logo_url="", updated=datetime.datetime(2024, 6, 2, tzinfo=UTC), hub_url="",
        first_url="https://api.example.org/feeds/news", next_url=None, previous_url=None,
        items=items,
    )


def assert_safe_html(html):
    if not html:
        return
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in tree.iter():
        assert element.tag not in {"script", "style", "iframe", "svg"}
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on")
            assert not value.strip().lower().startswith("javascript:")
            if name in {"href", "src"}:
                assert value.startswith(("https://", "http://", "mailto:")), value


@settings(max_examples=150, deadline=None)
@given(title=hostile_text, summary=hostile_text, body=hostile_text, feed_title=hostile_text)
def test_xml_feeds_stay_well_formed_and_sanitised(title, summary, body, feed_title):
    doc = document([item(title, summary, body)], feed_title)
    for render, title_path in ((render_rss, "channel/item/title"), (render_atom, ATOM_TITLE)):
        raw = render(doc)
        tree = etree.fromstring(raw)  # well-formed, or this raises
        # The exact text: feedparser guesses at HTML in titles, XML does not.
        assert tree.findtext(title_path) == clean_title(title)
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.entries[0].id == "tag:example.org,2025:news/0"
        if doc.items[0].content_html:
            assert_safe_html(doc.items[0].content_html)


@settings(max_examples=150, deadline=None)
@given(title=hostile_text, summary=hostile_text, body=hostile_text)
def test_json_feed_stays_valid_and_sanitised(title, summary, body):
    data = json.loads(render_json(document([item(title, summary, body)])))
    entry = data["items"][0]
    assert entry["title"] == clean_title(title)
    assert_safe_html(entry.get("content_html"))


@settings(
    max_examples=15, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=storable_text.filter(lambda t: t.strip()), body=storable_text)
def test_hostile_news_pages_give_valid_served_feeds(client, tree, title, body):
    page = NewsPage(
        title=title, slug=f"hostile-{NewsPage.objects.count()}", date=datetime.date(2030, 1, 1),
        body=body, summary=body,
    )
    tree.news.add_child(instance=page)
    page.save_revision().publish()
    reset_cache()
    for fmt in ("rss", "atom"):
        response = client.get(FEED_URLS[fmt])
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.entries[0].id.endswith(f"/{page.pk}")
    data = json.loads(client.get(FEED_URLS["json"]).content)
    assert_safe_html(data["items"][0].get("content_html"))

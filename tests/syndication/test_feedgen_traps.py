"""One test per feedgen 1.0.0 trap (see syndication/feeds.py)."""

import datetime
import email.utils

import pytest
import time_machine
from feedgen.feed import FeedGenerator

from syndication.cache import invalidate
from tests.syndication.conftest import FEED_URLS, set_feed_settings
from tests.syndication.feedxml import ATOM, NS, xml

Q = f"{{{ATOM}}}"


def test_entries_keep_newest_first_order(client, make_news):
    for title, day in (("middle", 5), ("oldest", 1), ("newest", 9)):
        make_news(title, day=day)
    rss = [i.findtext("title") for i in xml(client.get(FEED_URLS["rss"])).iter("item")]
    atom = [e.findtext(Q + "title") for e in xml(client.get(FEED_URLS["atom"])).iter(Q + "entry")]
    assert rss == atom == ["newest", "middle", "oldest"]


def test_feedgen_refuses_naive_datetimes():
    """The trap itself: why every date handed to feedgen is made aware."""
    entry = FeedGenerator().add_entry()
    with pytest.raises(ValueError):
        entry.published(datetime.datetime(2024, 6, 1))


def test_news_dates_become_aware_midnights_in_the_site_time_zone(client, make_news, settings):
    settings.TIME_ZONE = "Europe/Riga"
    make_news("Summer", day=1)
    item = xml(client.get(FEED_URLS["rss"])).find("channel/item")
    assert item.findtext("pubDate") == "Sat, 01 Jun 2024 00:00:00 +0300"
    entry = xml(client.get(FEED_URLS["atom"])).find(Q + "entry")
    assert entry.findtext(Q + "published") == "2024-06-01T00:00:00+03:00"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_updated_never_defaults_to_now(client, tree, fmt):
    """An empty feed too: its time is the home page's publication, not now."""
    first = client.get(FEED_URLS[fmt]).content
    with time_machine.travel(datetime.timedelta(hours=1)):
        invalidate()
        assert client.get(FEED_URLS[fmt]).content == first
    doc = xml(client.get(FEED_URLS[fmt]))
    tree.home.refresh_from_db()
    published = tree.home.last_published_at
    if fmt == "rss":
        stamp = email.utils.parsedate_to_datetime(doc.findtext("channel/lastBuildDate"))
        assert stamp == published.replace(microsecond=0)
    else:
        assert doc.findtext(Q + "updated") == published.isoformat()


def test_content_is_escaped_html_never_cdata(client, make_news):
    make_news("Item", summary="S", body="<p>a ]]> b</p>")
    atom = client.get(FEED_URLS["atom"]).content.decode()
    assert 'type="CDATA"' not in atom
    content = xml(client.get(FEED_URLS["atom"])).find(f"{Q}entry/{Q}content")
    assert content.get("type") == "html"
    assert content.text == "<p>a ]]&gt; b</p>"
    rss = client.get(FEED_URLS["rss"]).content.decode()
    assert "<![CDATA[" not in rss
    encoded = xml(client.get(FEED_URLS["rss"])).find(".//content:encoded", NS)
    assert encoded.text == "<p>a ]]&gt; b</p>"


def test_atom_enclosure_keeps_rel_type_and_length(client, make_news, make_image):
    page = make_news("With image", image=make_image())
    entry = xml(client.get(FEED_URLS["atom"])).find(Q + "entry")
    links = entry.findall(Q + "link")
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
    enclosures = [link for link in links if link.get("rel") == "enclosure"]
    assert len(alternates) == 1
    assert alternates[0].get("href") == page.get_full_url() == "http://localhost/news/with-image/"
    assert len(enclosures) == 1
    assert enclosures[0].get("type") == "image/jpeg"
    assert enclosures[0].get("length").isdigit()
    assert alternates[0].get("href") != enclosures[0].get("href")


def test_rss_gets_one_self_link_and_the_hub_and_paging_links(client, make_news, tree):
    set_feed_settings(tree, item_count=1, websub_hub="https://hub.example/"
    )
    for day in (1, 2, 3):
        make_news(f"Item {day}", day=day)
    channel = xml(client.get(FEED_URLS["rss"] + "?page=2")).find("channel")
    links = {
        link.get("rel"): link.get("href") for link in channel.findall("atom:link", NS)
    }
    rels = [link.get("rel") for link in channel.findall("atom:link", NS)]
    assert rels.count("self") == 1
    assert links == {
        "self": "http://testserver/feeds/news.rss?page=2",
        "hub": "https://hub.example/",
        "first": "http://testserver/feeds/news.rss",
        "next": "http://testserver/feeds/news.rss?page=3",
        "previous": "http://testserver/feeds/news.rss",
    }


def test_rss_channel_link_is_the_news_page_not_the_last_link_added(client, make_news, tree):
    set_feed_settings(tree, websub_hub="https://hub.example/")
    make_news("Item")
    channel = xml(client.get(FEED_URLS["rss"])).find("channel")
    assert channel.findtext("link") == tree.news.get_full_url() == "http://localhost/news/"

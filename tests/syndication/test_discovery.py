"""Discovery: the /feeds/ page and the feed URLs the API gives frontends."""

from django.urls import reverse

from cms.models import NewsIndexPage


def test_feeds_page_lists_the_feeds_with_alternate_links(client, make_news):
    make_news("Item", tags=["Energy"])
    response = client.get(reverse("syndication:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for fmt, mime in (
        ("rss", "application/rss+xml"),
        ("atom", "application/atom+xml"),
        ("json", "application/feed+json"),
    ):
        url = f"http://testserver/feeds/news.{fmt}"
        assert f'<link rel="alternate" type="{mime}"' in html
        assert f'href="{url}"' in html
    assert 'href="http://testserver/feeds/news.rss?tag=energy"' in html


def test_feeds_page_lists_no_tags_of_hidden_news(client, make_news):
    make_news("Hidden", tags=["Secret"]).unpublish()
    assert "secret" not in client.get("/feeds/").content.decode().lower()


def test_url_names_the_cms_reverses(client, tree, settings):
    settings.WAGTAILAPI_BASE_URL = "https://api.example.org"
    news = NewsIndexPage.objects.get(pk=tree.news.pk)
    assert news.feeds == {
        "rss": "https://api.example.org/feeds/news.rss",
        "atom": "https://api.example.org/feeds/news.atom",
        "json": "https://api.example.org/feeds/news.json",
        "ics": "https://api.example.org/feeds/events.ics",
    }
    for url in news.feeds.values():
        path = url.removeprefix("https://api.example.org")
        assert client.get(path).status_code == 200


def test_the_api_gives_absolute_feed_urls_on_the_site_by_default(client, tree, settings):
    """Without WAGTAILAPI_BASE_URL, on the Site of the news index: a reader
    or frontend can follow them from anywhere."""
    settings.WAGTAILAPI_BASE_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "cms.example.org"]
    site = tree.news.get_site()
    site.hostname, site.port = "cms.example.org", 443
    site.save()
    response = client.get(
        "/api/v2/pages/", {"type": "cms.NewsIndexPage", "fields": "feeds"},
        HTTP_HOST="cms.example.org",
    )
    [item] = response.json()["items"]
    assert item["feeds"] == {
        "rss": "https://cms.example.org/feeds/news.rss",
        "atom": "https://cms.example.org/feeds/news.atom",
        "json": "https://cms.example.org/feeds/news.json",
        "ics": "https://cms.example.org/feeds/events.ics",
    }


def test_every_page_footer_offers_the_feeds_and_the_calendar(client, make_news, tree):
    make_news("Item")
    html = client.get(tree.news.url).content.decode()
    footer = html[html.index('<footer'):]
    for fmt in ("rss", "atom", "json"):
        assert f'/feeds/news.{fmt}" type=' in footer
    assert '/feeds/events.ics" type="text/calendar">Events (iCalendar)</a>' in footer

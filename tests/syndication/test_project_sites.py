"""Two project sites, one cache: each host's feeds and calendar hold only its own news,
and publishing on one site makes only that site's feeds stale."""

import datetime
import json

import pytest

from cms.models import NewsPage
from cms.site_tree import add_project_site
from syndication import cache

INNO, PROMO = "inno.example.test", "promo.example.test"
FEEDS = ["/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json", "/feeds/events.ics"]


@pytest.fixture
def sites(settings, publish):
    settings.ALLOWED_HOSTS = [INNO, PROMO, "testserver"]
    made = {}
    for host, name in ((INNO, "Inno"), (PROMO, "Promo")):
        _site, tree = add_project_site(host, 80, site_name=name)
        publish(tree.news, NewsPage(title=f"{name} seminar", date=datetime.date(2024, 6, 1),
                                    event_start=datetime.date(2024, 7, 1)))
        made[host] = tree
    yield made
    cache.forget()


def body(client, url, host):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.mark.parametrize("url", FEEDS)
def test_each_host_feeds_only_its_own_news(client, sites, url):
    inno, promo = body(client, url, INNO), body(client, url, PROMO)
    assert "Inno seminar" in inno and "Promo seminar" not in inno
    assert "Promo seminar" in promo and "Inno seminar" not in promo
    assert "inno.example.test" in inno and "promo.example.test" not in inno


def test_publishing_on_one_site_leaves_the_others_feeds_in_the_cache(
    client, sites, publish, django_assert_num_queries
):
    body(client, FEEDS[0], INNO)
    body(client, FEEDS[0], PROMO)
    with django_assert_num_queries(0):  # warm: from the cache, nothing read
        body(client, FEEDS[0], PROMO)
    publish(sites[INNO].news, NewsPage(title="Inno conference", date=datetime.date(2024, 6, 2)))
    assert "Inno conference" in body(client, FEEDS[0], INNO)  # the next request shows it
    with django_assert_num_queries(0):  # the other site's feed is still the cached one
        promo = body(client, FEEDS[0], PROMO)
    assert "Inno conference" not in promo


def test_a_change_for_every_site_makes_every_feed_stale(client, sites, django_assert_num_queries,
                                                         django_capture_on_commit_callbacks):
    from wagtail.models import Site

    body(client, FEEDS[0], PROMO)
    promo = Site.objects.get(hostname=PROMO)
    with django_capture_on_commit_callbacks(execute=True):
        promo.site_name = "BaltMet Promo"
        promo.save()
    assert "BaltMet Promo" in body(client, FEEDS[0], PROMO)


def test_each_site_names_its_feeds_and_items_by_its_own_tag_authority(
    client, sites, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from syndication.models import FeedSettings

    with django_capture_on_commit_callbacks(execute=True):
        options = FeedSettings.for_site(Site.objects.get(hostname=PROMO))
        options.tag_authority = "promo.example.org"
        options.save()
    promo, inno = body(client, FEEDS[1], PROMO), body(client, FEEDS[1], INNO)
    assert "<id>tag:promo.example.org,2025:news</id>" in promo
    assert "tag:baltmet-inno,2025:news/" not in promo
    assert "<id>tag:baltmet-inno,2025:news</id>" in inno  # the instance's setting


def test_each_site_titles_its_feeds_by_its_own_name_and_settings(
    client, sites, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from syndication.models import FeedSettings

    assert "<title>Inno</title>" in body(client, FEEDS[1], INNO)
    assert "<title>Promo</title>" in body(client, FEEDS[1], PROMO)
    with django_capture_on_commit_callbacks(execute=True):
        options = FeedSettings.for_site(Site.objects.get(hostname=PROMO))
        options.title = "Promo partners' news"
        options.save()
    assert "<title>Promo partners' news</title>" in body(client, FEEDS[1], PROMO)
    assert "<title>Inno</title>" in body(client, FEEDS[1], INNO)
    assert "Promo partners" not in body(client, FEEDS[1], INNO)
    assert json.loads(body(client, FEEDS[2], PROMO))["title"] == "Promo partners' news"
    assert json.loads(body(client, FEEDS[2], INNO))["title"] == "Inno"

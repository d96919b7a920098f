"""A second site with its own pages and the same legacy paths does not change what the first
site's feed, API news listing and legacy redirect cost: the same queries, exactly.

(``bench/sites/run.py`` times it with a second site of 10,000 pages.)  Not under ``tests/cms``:
it needs the feeds, which the cms-only run leaves out.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from cms.models import NewsPage
from cms.site_tree import add_project_site
from syndication.cache import forget, invalidate
from tests.cms.test_query_count import LISTING, add_news

FIRST, SECOND = "inno.example.test", "promo.example.test"


def legacy_redirects(site, news_index):
    pages = NewsPage.objects.child_of(news_index).order_by("path").values_list("pk", flat=True)
    Redirect.objects.bulk_create(
        Redirect(old_path=f"/pub/index.php?id={n}", site=site, redirect_page_id=pk)
        for n, pk in enumerate(pages)
    )


def costs(client, first_news):
    """Queries of the first site's cold feed, API listing and legacy redirect."""
    counted = {}
    for name, url, before, status in (
        ("feed", "/feeds/news.rss", invalidate, 200),
        ("listing", "/api/v2/pages/?" + "&".join(f"{k}={v}" for k, v in LISTING.items()),
         lambda: None, 200),
        ("redirect", "/pub/index.php?id=3", lambda: None, 301),
    ):
        client.get(url, HTTP_HOST=FIRST)  # Wagtail's own caches (site root paths) warm
        before()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST=FIRST)
        assert response.status_code == status, name
        counted[name] = len(queries)
        if name == "redirect":
            assert response["Location"].endswith(f"{first_news[3].slug}/")
        else:
            assert b"Promo" not in response.content and b"Item 24" in response.content
    return counted


@pytest.mark.django_db
def test_a_second_site_leaves_the_first_sites_query_counts_alone(client, settings):
    settings.ALLOWED_HOSTS = [FIRST, SECOND]
    site, tree = add_project_site(FIRST, 80, site_name="Inno")
    add_news(tree, 25, 0)
    legacy_redirects(site, tree.news)
    first_news = list(NewsPage.objects.child_of(tree.news).order_by("path"))
    alone = costs(client, first_news)

    other, other_tree = add_project_site(SECOND, 80, site_name="Promo")
    for n in range(200):
        other_tree.news.add_child(instance=NewsPage(title=f"Promo item {n}", live=True))
    legacy_redirects(other, other_tree.news)
    forget()
    assert costs(client, first_news) == alone


def feed_queries(client, host):
    invalidate()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/feeds/news.rss", HTTP_HOST=host)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def listing_queries(client, host):
    url = "/api/v2/pages/?" + "&".join(f"{k}={v}" for k, v in LISTING.items())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def news_index_queries(client, host):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/news/", HTTP_HOST=host)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.django_db
@pytest.mark.parametrize("queries_of", [feed_queries, listing_queries, news_index_queries],
                         ids=["feed", "api", "website"])
def test_the_first_sites_news_are_read_from_their_own_part_of_an_index(
        client, settings, queries_of):
    """Beside a site of 10,000 newer news the feed's plan walked the date index
    newest first through all of them before it found the first site's 20, and
    the API listing read every site's news to join them with the first site's pages;
    the website's news index walked the date index as the feed did."""
    settings.ALLOWED_HOSTS = [FIRST, SECOND]
    _, tree = add_project_site(FIRST, 80, site_name="Inno")
    add_news(tree, 25, 0)
    _, other_tree = add_project_site(SECOND, 80, site_name="Promo")
    other_tree.news.add_child(instance=NewsPage(title="Promo item", live=True))
    _, queries = queries_of(client, FIRST)
    [news] = [sql for sql in queries
              if 'ORDER BY "cms_newspage"."date" DESC' in sql and "LIMIT" in sql]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + news)
        shown = "\n".join(row[0] for row in cursor.fetchall())
    assert "cms_news_home_date" in shown, shown


@pytest.mark.django_db
def test_news_moved_to_another_site_are_that_sites_news(client, settings):
    """Wagtail moves a subtree in SQL and saves only the moved page, as a plain
    page: the news below it learn their new home all the same."""
    settings.ALLOWED_HOSTS = [FIRST, SECOND]
    _, tree = add_project_site(FIRST, 80, site_name="Inno")
    _, other_tree = add_project_site(SECOND, 80, site_name="Promo")
    other_tree.news.add_child(instance=NewsPage(title="Promo item", live=True))
    other_tree.news.slug = "promo-news"  # beside the first site's own
    other_tree.news.save()
    other_tree.news.move(tree.home, pos="last-child")  # Wagtail's MovePageAction
    first, _ = feed_queries(client, FIRST)
    second, _ = feed_queries(client, SECOND)
    assert b"Promo item" in first.content and b"Promo item" not in second.content


@pytest.mark.django_db
def test_a_listing_that_names_its_site_reads_the_site_once(client, settings):
    """The site a request names with ``?site=`` was looked up by each part of the
    API that asked for it: three Site queries for one news listing."""
    settings.ALLOWED_HOSTS = [FIRST, SECOND]
    _, tree = add_project_site(FIRST, 80, site_name="Inno")
    add_project_site(SECOND, 80, site_name="Promo")
    add_news(tree, 3, 0)
    url = "/api/v2/pages/?" + "&".join(f"{k}={v}" for k, v in LISTING.items()) + f"&site={FIRST}"
    client.get(url, HTTP_HOST=SECOND)  # Wagtail's own caches (site root paths) warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST=SECOND)
    assert response.status_code == 200 and len(response.json()["items"]) == 3
    sites = [q for q in queries.captured_queries if 'FROM "wagtailcore_site"' in q["sql"]]
    assert len(sites) == 1

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

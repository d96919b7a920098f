"""Sitemap and search benchmark: the sitemap of every public page against
Wagtail's own sitemap view over the same pages, and the search page and the
API's ``?search=`` on PostgreSQL, timed in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_discovery \\
    .venv/bin/python bench/discovery/run.py --pages 10000

News pages are seeded once (through Wagtail's page API, so the search index
is filled as editors fill it) and kept for the next run. Renders are timed
without capturing queries; each view's queries are counted in one separate
captured request. Not a test: it prints figures and asserts nothing.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_discovery"
#: Words the seeded news are written in: each item carries three of them, so
#: a word matches about 3 items in 20, a pair of words fewer.
WORDS = ["conference", "cluster", "harbour", "innovation", "partners", "metropolis",
         "workshop", "transport", "energy", "tourism", "logistics", "university",
         "festival", "housing", "climate", "science", "culture", "market", "design", "water"]
SEARCHES = ["conference", "conferences", "harbour logistics", "riga", "news item 9999"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="news pages (default 10000)")
    parser.add_argument("--renders", type=int, default=10, help="timed requests per URL")
    return parser.parse_args()


def prepare_environment():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("CACHE_KEY_PREFIX", "bench-discovery")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.discovery.settings"
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT))
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (the search target is its)")


def create_database():
    import psycopg
    from psycopg import sql

    base, _, name = os.environ["DATABASE_URL"].rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed(count):
    """Create news pages until the site has ``count``; returns how many it has."""
    from django.core.management import call_command

    from cms.site_tree import ensure_site_tree

    call_command("migrate", verbosity=0)
    return seed_news(ensure_site_tree().news, count)


def seed_news(news_index, count):
    """Add live news pages under ``news_index`` until it has ``count`` (then ANALYZE);
    returns how many it has. Kept for the next run; other benchmarks seed with it too."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cms.models import NewsPage

    existing = NewsPage.objects.child_of(news_index).count()
    started = time.perf_counter()
    first_day = datetime.date(2000, 1, 1)
    for start in range(existing, count, 500):
        with transaction.atomic():
            for n in range(start, min(start + 500, count)):
                words = " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7))
                page = NewsPage(
                    title=f"News item {n}: {words}", slug=f"news-item-{n}",
                    date=first_day + datetime.timedelta(days=n),
                    summary=f"Summary of item {n} about {words}.",
                    body=f"<p>Partners of item {n} met to talk about {words}.</p>" * 3,
                    live=True, first_published_at=timezone.now(),
                    last_published_at=timezone.now(),
                )
                news_index.add_child(instance=page)
        print(f"  seeded {min(start + 500, count)}/{count} news pages", flush=True)
    if existing < count:
        print(f"  seeding took {time.perf_counter() - started:.0f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return NewsPage.objects.child_of(news_index).count()


def measure(client, url, renders):
    """(median seconds, queries, response) of ``url``, warm process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # imports, connection, Wagtail's own caches
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured.captured_queries), response


def main():
    args = parse_args()
    prepare_environment()
    create_database()
    import django

    django.setup()
    from urllib.parse import urlencode

    from django.test import Client

    pages = seed(args.pages)
    client = Client(HTTP_HOST="localhost")
    print(f"\n{pages} news pages, PostgreSQL, in-process (median of {args.renders})\n")
    ours, ours_queries, response = measure(client, "/sitemap.xml", args.renders)
    urls = response.content.count(b"<url>")
    theirs, theirs_queries, _ = measure(client, "/bench/wagtail-sitemap.xml", args.renders)
    api, api_queries, _ = measure(client, "/api/v2/sitemap/", args.renders)
    print("| sitemap | time | queries |")
    print("| --- | --- | --- |")
    print(f"| /sitemap.xml ({urls} URLs) | {ours * 1000:.0f} ms | {ours_queries} |")
    print(f"| /api/v2/sitemap/ | {api * 1000:.0f} ms | {api_queries} |")
    print(f"| Wagtail's sitemap view | {theirs * 1000:.0f} ms | {theirs_queries} |")
    print(f"| ours / Wagtail's | {ours / theirs:.2f}× | |\n")
    print("| search | /search/?q= | queries | /api/v2/pages/?search= | target |")
    print("| --- | --- | --- | --- | --- |")
    for words in SEARCHES:
        page, page_queries, _ = measure(client, "/search/?" + urlencode({"q": words}),
                                        args.renders)
        api_url = "/api/v2/pages/?" + urlencode({"search": words, "type": "cms.NewsPage"})
        listing, _queries, _ = measure(client, api_url, args.renders)
        print(f"| {words!r} | {page * 1000:.1f} ms | {page_queries} | "
              f"{listing * 1000:.1f} ms | < 50 ms |")


if __name__ == "__main__":
    main()

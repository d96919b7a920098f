"""Second-site benchmark: the first site's feed (a cold render), API news listing and legacy
redirect, alone in its database and beside a second site with 10,000 news pages, timed
in-process on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_sites \\
    .venv/bin/python bench/sites/run.py --pages 1000 --second 10000

Two databases, seeded once and kept for the next run (seeding as the sitemap and search
benchmark seeds, ``bench.discovery.run.seed_news``): ``<database>`` holds the first site
alone, ``<database>_two`` the same first site and a second Site with ``--second`` news
pages, each site with a redirect from ``/pub/index.php?id=N`` to its N-th news page (the
same legacy paths on both). Each database is measured in a child process of its own; the
renders are timed without capturing queries, the queries counted in one separate captured
request (as ``bench.feeds.run`` does). Not a test: it prints figures and asserts nothing
(``tests/test_second_site_cost.py`` asserts the query counts).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.discovery import run as discovery  # noqa: E402
from bench.feeds.run import timed_renders  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_sites"
#: Neither is Wagtail's placeholder address (localhost:80), which a project
#: site takes over (cms.site_tree.add_project_site): two sites, not one renamed.
FIRST_HOST = "inno.localhost"
SECOND_HOST = "promo.localhost"
LISTING = "/api/v2/pages/?type=cms.NewsPage&fields=*&order=-date&limit=20"
FEED = "/feeds/news.rss"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="first site's news (1000)")
    parser.add_argument("--second", type=int, default=10_000,
                        help="second site's news pages (default 10000)")
    parser.add_argument("--renders", type=int, default=10, help="timed requests per URL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def legacy_redirects(site, news_index):
    """A redirect per news page, ``/pub/index.php?id=N`` → the N-th, for ``site`` alone."""
    from wagtail.contrib.redirects.models import Redirect

    from cms.models import NewsPage

    if Redirect.objects.filter(site=site).exists():
        return
    pages = NewsPage.objects.child_of(news_index).order_by("path").values_list("pk", flat=True)
    Redirect.objects.bulk_create(
        Redirect(old_path=f"/pub/index.php?id={n}", site=site, redirect_page_id=pk)
        for n, pk in enumerate(pages)
    )


def seed(pages, second):
    from django.core.management import call_command

    from cms.site_tree import add_project_site

    call_command("migrate", verbosity=0)
    first, tree = add_project_site(FIRST_HOST, 80, site_name="First site")
    discovery.seed_news(tree.news, pages)
    legacy_redirects(first, tree.news)
    if second:
        site, other = add_project_site(SECOND_HOST, 80, site_name="Second site")
        discovery.seed_news(other.news, second)
        legacy_redirects(site, other.news)


def measure(url, before, renders, status):
    """(median seconds, queries) of ``url`` on the first site, warm process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=FIRST_HOST)
    client.get(url)  # imports, connection, Wagtail's own caches
    median = timed_renders(client, url, before, renders, status=status)
    before()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == status
    return median, len(captured.captured_queries)


def child(args):
    """In a child process, on its ``DATABASE_URL``: seed (once), then measure; JSON out."""
    import django

    django.setup()
    from syndication.cache import invalidate

    seed(args.pages, args.second)
    middle = f"/pub/index.php?id={args.pages // 2}"
    print(json.dumps({
        "feed": measure(FEED, invalidate, args.renders, 200),
        "listing": measure(LISTING, lambda: None, args.renders, 200),
        "redirect": measure(middle, lambda: None, args.renders, 301),
    }))


def run_child(database, args, second):
    env = {**os.environ, "DATABASE_URL": database}
    command = [sys.executable, __file__, "--child", "--pages", str(args.pages),
               "--second", str(second), "--renders", str(args.renders)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600,
                          check=True)
    for line in done.stdout.splitlines()[:-1]:
        print(line)  # seeding progress
    return json.loads(done.stdout.splitlines()[-1])


def main():
    args = parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    discovery.prepare_environment()  # its settings: the product's, loopback, tasks inline
    if args.child:
        child(args)
        return
    one = os.environ["DATABASE_URL"]
    two = f"{one}_two"
    for database in (one, two):
        os.environ["DATABASE_URL"] = database
        discovery.create_database()
    alone = run_child(one, args, 0)
    beside = run_child(two, args, args.second)
    print(f"\nThe first site ({args.pages} news), alone and beside a second site with "
          f"{args.second} news, PostgreSQL, in-process (median of {args.renders})\n")
    print("| first site's | alone | queries | beside the second | queries | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, label in (("feed", "feed, cold render"), ("listing", "API news listing"),
                        ("redirect", "legacy redirect")):
        (t1, q1), (t2, q2) = alone[name], beside[name]
        print(f"| {label} | {t1 * 1000:.1f} ms | {q1} | {t2 * 1000:.1f} ms | {q2} | "
              f"{t2 / t1:.2f}× |")


if __name__ == "__main__":
    main()

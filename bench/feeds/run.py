"""Feed benchmark: warm feed and 304 revalidation against constant bytes on
the same gunicorn server, and a cold render against a plain
django.contrib.syndication feed over the same news pages, under local
memory and under Redis; a feed request while Redis is down against a cold
render under Redis; and a cold render on a freshly loaded PostgreSQL
database that was never analysed, against the same after ANALYZE.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_feeds \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/feeds/run.py --pages 1000

The news pages are seeded once into ``<database>_unanalysed`` (autovacuum
off for its tables, never analysed); each run copies it into ``<database>``
(``CREATE DATABASE … TEMPLATE``), so every run starts on a never-analysed
database. Each cache mode is measured in a child process of its own.
Loopback only, bounded in time, stops the servers it starts. Not a test:
it prints figures (ratios measured in one run) and asserts nothing.
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.feeds.load import fetch, free_port, load_python, load_wrk, start_server  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_feeds"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="news pages (default 10000)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--renders", type=int, default=15, help="cold renders timed")
    parser.add_argument("--child", choices=["seed", "cold", "outage"], help=argparse.SUPPRESS)
    parser.add_argument("--unanalysed", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare_environment():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ.setdefault("CACHE_KEY_PREFIX", "bench-feeds")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.feeds.settings"
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT))
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")


def postgres(sql, *names):
    import psycopg
    from psycopg import sql as psql

    base, _, _name = os.environ["DATABASE_URL"].rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        statement = psql.SQL(sql).format(*(psql.Identifier(name) for name in names))
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else None


def fresh_database():
    """(re)create the working database as a copy of the seeded, never-analysed one."""
    base, _, name = os.environ["DATABASE_URL"].rpartition("/")
    template = f"{name}_unanalysed"
    if not postgres(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
        postgres("CREATE DATABASE {}", template)
    return name, template


def seed(count):
    """Create news pages until the site has ``count``; returns how many it has."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cms.models import NewsPage
    from cms.site_tree import ensure_site_tree
    from syndication.cache import invalidate

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        # Never analysed until the benchmark says so: no autovacuum here.
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
    tree = ensure_site_tree()
    existing = NewsPage.objects.child_of(tree.news).count()
    started = time.perf_counter()
    first_day = datetime.date(2000, 1, 1)
    for start in range(existing, count, 500):
        with transaction.atomic():
            for n in range(start, min(start + 500, count)):
                page = NewsPage(
                    title=f"News item {n}", slug=f"news-item-{n}",
                    date=first_day + datetime.timedelta(days=n),
                    summary=f"Summary of item {n}.",
                    body=f'<p>Body of item {n}, see <a linktype="page" id="{tree.news.pk}">'
                    f'news</a> and <a href="/about/">about</a>.</p>' * 3,
                    live=True, first_published_at=timezone.now(),
                    last_published_at=timezone.now(),
                )
                page.tags.add(f"topic-{n % 20}", f"area-{n % 7}")
                tree.news.add_child(instance=page)
        print(f"  seeded {min(start + 500, count)}/{count} news pages", flush=True)
    if existing < count:
        print(f"  seeding took {time.perf_counter() - started:.0f}s")
    invalidate()
    return NewsPage.objects.child_of(tree.news).count()


def timed_renders(client, url, before, renders, status=200):
    """Median seconds of ``renders`` requests of ``url``, each after ``before()``."""
    times = []
    for _ in range(renders):
        before()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == status, (url, response.status_code)
    return statistics.median(times)


def cold_renders(renders):
    """Median time and query count of a render with the feed not cached.

    Renders are timed without capturing queries (capturing adds a cost per
    query, which would penalise the side with more queries); the queries are
    counted in one separate captured render.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from syndication.cache import invalidate

    client = Client(HTTP_HOST="localhost")
    results = {}
    for name, url, before in (
        ("syndication", "/feeds/news.rss", invalidate),
        ("plain Feed", "/bench/plain.rss", lambda: None),
    ):
        client.get(url)  # import, connect, Wagtail's own caches
        median = timed_renders(client, url, before, renders)
        before()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        results[name] = (median, len(captured.captured_queries), response.content)
    return results


def never_analysed():
    """Whether no page table has planner statistics yet."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname LIKE 'wagtailcore_page%%' "
            "AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"
        )
        return cursor.fetchone()[0] == 0


def child_cold(args):
    """In a child process: cold renders under this process's cache settings."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from syndication.cache import invalidate

    out = {}
    if args.unanalysed:
        assert never_analysed(), "the database has statistics already"
        client = Client(HTTP_HOST="localhost")
        client.get("/feeds/news.rss")
        out["unanalysed_ms"] = timed_renders(client, "/feeds/news.rss", invalidate, 5) * 1000
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out["analysed_ms"] = timed_renders(client, "/feeds/news.rss", invalidate, 5) * 1000
    cold = cold_renders(args.renders)
    ours_time, ours_queries, feed_bytes = cold["syndication"]
    plain_time, plain_queries, _plain = cold["plain Feed"]
    with tempfile.NamedTemporaryFile(suffix=".rss", delete=False) as constant:
        constant.write(feed_bytes)
    out.update(
        ours_ms=ours_time * 1000, ours_queries=ours_queries, plain_ms=plain_time * 1000,
        plain_queries=plain_queries, constant_file=constant.name, bytes=len(feed_bytes),
    )
    print(json.dumps(out))


def child_outage(args):
    """In a child process: a feed request with Redis down (a closed port),
    each one rendering (no feed kept in the process between them: the worst
    case, every request after the recheck), interleaved with cold renders
    under the real Redis, so both see the same machine."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    from syndication.cache import invalidate

    settings.SYNDICATION_GENERATION_RECHECK = 0
    down = {**settings.CACHES, "default": {
        **settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }}
    client = Client(HTTP_HOST="localhost")
    times = {"down": [], "cold": []}
    for index in range(args.renders + 1):
        with override_settings(CACHES=down):
            started = time.perf_counter()
            assert client.get("/feeds/news.rss").status_code == 200
            down_time = time.perf_counter() - started
        invalidate()
        started = time.perf_counter()
        assert client.get("/feeds/news.rss").status_code == 200
        cold_time = time.perf_counter() - started
        if index:  # the first of each: imports, connections
            times["down"].append(down_time)
            times["cold"].append(cold_time)
    print(json.dumps({
        "outage_ms": statistics.median(times["down"]) * 1000,
        "cold_ms": statistics.median(times["cold"]) * 1000,
    }))


def child(kind, env, args, *extra):
    command = [sys.executable, __file__, "--child", kind, "--pages", str(args.pages),
               "--renders", str(args.renders), *extra]
    output = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    return output


def serve_and_load(env, args, constant_file):
    load = load_wrk if shutil.which("wrk") else load_python
    port = free_port()
    server = start_server(port, args.workers, constant_file, env)
    try:
        status, headers = fetch(port, "/feeds/news.rss")
        etag = headers["ETag"]
        assert status == 200 and fetch(port, "/feeds/news.rss", {"If-None-Match": etag})[0] == 304
        targets = {
            "constant bytes": ("/bench/constant", {}),
            "warm feed": ("/feeds/news.rss", {}),
            "304 revalidation": ("/feeds/news.rss", {"If-None-Match": etag}),
        }
        rates = {name: [] for name in targets}
        for _round in range(args.rounds):
            for name, (path, extra) in targets.items():
                rates[name].append(load(port, path, extra, args.duration, args.connections))
    finally:
        server.terminate()
        server.wait(30)
    return load.__name__, {name: statistics.median(values) for name, values in rates.items()}


def main():
    args = parse_args()
    prepare_environment()
    if args.child == "seed":
        import django

        django.setup()
        print(seed(args.pages))
        return
    if args.child == "cold":
        child_cold(args)
        return
    if args.child == "outage":
        child_outage(args)
        return
    name, template = fresh_database()
    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    print(f"Seeding {args.pages} news pages in {template} (once; never analysed) …", flush=True)
    seeded = child("seed", dict(os.environ, DATABASE_URL=f"{base}/{template}"), args)
    pages = int(seeded.strip().splitlines()[-1])
    postgres("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    postgres("CREATE DATABASE {} TEMPLATE {}", name, template)
    local = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    modes = {"local memory": dict(local, CACHE_BACKEND="locmem")}
    if os.environ.get("REDIS_URL"):
        modes["Redis"] = dict(os.environ)
    results = {}
    for index, (mode, env) in enumerate(modes.items()):
        print(f"{mode}: cold renders in a child process …", flush=True)
        extra = ["--unanalysed"] if index == 0 else []
        cold = json.loads(child("cold", env, args, *extra).strip().splitlines()[-1])
        print(f"{mode}: load, gunicorn {args.workers} workers, {args.connections} connections, "
              f"{args.rounds}×{args.duration:g}s per target …", flush=True)
        try:
            loader, rate = serve_and_load(env, args, cold["constant_file"])
        finally:
            os.unlink(cold["constant_file"])
        results[mode] = (cold, loader, rate)
    outage = None
    if "Redis" in modes:
        print("Redis down (a closed port) and up: feed requests in a child process …",
              flush=True)
        outage = json.loads(child("outage", modes["Redis"], args).strip().splitlines()[-1])
    report(pages, results, outage)


def report(pages, results, outage):
    print()
    print(f"News pages: {pages}; CPUs: {os.cpu_count()}")
    for mode, (cold, loader, rate) in results.items():
        print()
        print(f"== {mode} (load: {loader}; feed body {cold['bytes']} bytes)")
        print(f"{'target':<20}{'req/s (median)':>16}{'× constant':>12}")
        for name in rate:
            print(f"{name:<20}{rate[name]:>16.0f}{rate[name] / rate['constant bytes']:>12.2f}")
        print(f"{'cold render':<20}{'median ms':>16}{'queries':>12}")
        print(f"{'syndication':<20}{cold['ours_ms']:>16.1f}{cold['ours_queries']:>12}")
        print(f"{'plain Feed':<20}{cold['plain_ms']:>16.1f}{cold['plain_queries']:>12}")
        print(f"cold render speed-up vs plain Feed: {cold['plain_ms'] / cold['ours_ms']:.1f}×")
        if "unanalysed_ms" in cold:
            print(f"cold render, never-analysed database: {cold['unanalysed_ms']:.1f} ms; "
                  f"after ANALYZE: {cold['analysed_ms']:.1f} ms "
                  f"({cold['unanalysed_ms'] / cold['analysed_ms']:.2f}×)")
    if outage is not None:
        down, cold = outage["outage_ms"], outage["cold_ms"]
        print()
        print(f"Redis down: a feed request {down:.1f} ms (median, each rendering); "
              f"a cold render under Redis, interleaved: {cold:.1f} ms ({down / cold:.2f}×)")


if __name__ == "__main__":
    main()

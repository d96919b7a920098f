"""Feed benchmark: warm feed and 304 revalidation against constant bytes on
the same gunicorn server, and a cold render against a plain
django.contrib.syndication feed over the same news pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_feeds \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/feeds/run.py --pages 1000

Loopback only, bounded in time, stops the server it starts. Not a test:
it prints figures (ratios measured in one run) and asserts nothing.
"""

import argparse
import datetime
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_feeds"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="news pages (default 10000)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--renders", type=int, default=15, help="cold renders timed")
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
    create_database(os.environ["DATABASE_URL"])


def create_database(url):
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed(count):
    """Create news pages until the site has ``count``; returns how many it has."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cms.models import NewsPage
    from cms.site_tree import ensure_site_tree
    from syndication.cache import invalidate

    call_command("migrate", verbosity=0)
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
    if existing < count:
        # What autovacuum does after a bulk load; stale statistics give plans
        # that scan every page for every page.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    invalidate()
    return NewsPage.objects.child_of(tree.news).count()


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
        times = []
        for _ in range(renders):
            before()
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        before()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        results[name] = (statistics.median(times), len(captured.captured_queries), response.content)
    return results


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, workers, constant_file):
    env = dict(os.environ, BENCH_CONSTANT_FILE=constant_file)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _headers = fetch(port, "/bench/constant")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def load_wrk(port, path, headers, duration, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(duration)}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True, timeout=duration + 30,
    ).stdout
    if "Non-2xx or 3xx" in output:
        raise RuntimeError(f"errors while loading {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def load_python(port, path, headers, duration, connections):
    """Fallback without wrk: keep-alive connections from threads."""
    counts = [0] * connections
    stop = time.monotonic() + duration

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    return sum(counts) / duration


def main():
    args = parse_args()
    prepare_environment()
    import django

    django.setup()
    print(f"Seeding {args.pages} news pages in {os.environ['DATABASE_URL']} …", flush=True)
    pages = seed(args.pages)

    print("Cold renders (in process, feed not cached) …", flush=True)
    cold = cold_renders(args.renders)
    ours_time, ours_queries, feed_bytes = cold["syndication"]
    plain_time, plain_queries, _plain = cold["plain Feed"]

    load = load_wrk if shutil.which("wrk") else load_python
    with tempfile.NamedTemporaryFile(suffix=".rss", delete=False) as constant:
        constant.write(feed_bytes)
    port = free_port()
    server = start_server(port, args.workers, constant.name)
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
        print(f"Load: {load.__name__}, {args.connections} connections, "
              f"{args.rounds}×{args.duration:g}s per target, gunicorn {args.workers} workers …",
              flush=True)
        for _round in range(args.rounds):
            for name, (path, extra) in targets.items():
                rates[name].append(load(port, path, extra, args.duration, args.connections))
    finally:
        server.terminate()
        server.wait(30)
        os.unlink(constant.name)

    rate = {name: statistics.median(values) for name, values in rates.items()}
    print()
    print(f"News pages: {pages}; feed body {len(feed_bytes)} bytes; CPUs: {os.cpu_count()}")
    print(f"{'target':<20}{'req/s (median)':>16}{'× constant':>12}")
    for name in targets:
        print(f"{name:<20}{rate[name]:>16.0f}{rate[name] / rate['constant bytes']:>12.2f}")
    print()
    print(f"{'cold render':<20}{'median ms':>16}{'queries':>12}")
    print(f"{'syndication':<20}{ours_time * 1000:>16.1f}{ours_queries:>12}")
    print(f"{'plain Feed':<20}{plain_time * 1000:>16.1f}{plain_queries:>12}")
    print(f"cold render speed-up vs plain Feed: {plain_time / ours_time:.1f}×")


if __name__ == "__main__":
    main()

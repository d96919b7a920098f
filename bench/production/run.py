"""Production benchmark: two gunicorn instances and the task worker on one
PostgreSQL and one Redis.

1. Freshness across instances: an editor publishes a news page through
   instance A's admin, 50 times; for each, the time from the publication's
   commit (seen by polling the database) to instance B's first answer that
   shows the page, in its feed and in its API.
2. ``/healthz`` under wrk on a fresh instance: latency percentiles, and the
   rows PostgreSQL counts as inserted, updated or deleted meanwhile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_production \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/production/run.py

Loopback only, bounded in time, stops every process it starts. Not a test:
it prints figures and asserts nothing.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.production.health_probe import PROBE_PAUSE, HealthProber, probe_health  # noqa: E402
from tests.production.editor import Editor  # noqa: E402
from tests.production.servers import Gunicorn, TaskWorker, manage, production_env  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_production"
PASSWORD = "bench-editor-password"
#: How long one publication may take to show before it counts as lost.
GIVE_UP = 30.0
#: Seconds between two asks to B for the same page (the resolution).
POLL_PAUSE = 0.002
#: Seconds B may take to act on an invalidation seen here, beyond the feeds'
#: SYNDICATION_SHARED_RECHECK (each B worker reads the generation at most that often).
HEARING = 0.005


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk on /healthz")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections")
    parser.add_argument("--probe", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args()


def create_database(url):
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(env):
    """Schema, site tree and an editor, by the commands a deploy runs."""
    create_database(env["DATABASE_URL"])
    steps = [
        ["migrate", "--noinput"],
        ["create_project_site", "--hostname", "127.0.0.1"],
        ["shell", "--no-imports", "-c", (
            "from django.contrib.auth import get_user_model\n"
            "User = get_user_model()\n"
            "user = User.objects.filter(username='bench').first() or "
            "User.objects.create_superuser('bench', 'bench@example.org', None)\n"
            f"user.set_password({PASSWORD!r}); user.save()\n"
        )],
    ]
    for step in steps:
        result = manage(*step, env=env, timeout=900)
        if result.returncode != 0:
            sys.exit(f"{step[0]} failed:\n{result.stderr}")


def news_index_id(instance):
    import requests

    items = requests.get(
        instance.url + "/api/v2/pages/?type=cms.NewsIndexPage", timeout=30
    ).json()["items"]
    return items[0]["id"]


def publish_and_watch(editor, index_id, b_url, database_url, number, tag, invalidations):
    """Publish one page on A; seconds from its commit to B serving it in its
    feed and in its API, and how many of B's answers after the commit were
    still without it.

    A thread polls the database (every millisecond) for the commit; from
    then on, B is asked for its feed and its API, every ``POLL_PAUSE``,
    until each shows the page. B is not asked before the commit, so the
    measurement adds no load to it while A publishes.
    """
    import psycopg
    import requests

    slug = f"bench-{tag}-{number}"
    title = f"Bench {tag} {number}"
    committed, seen, stale = threading.Event(), {}, {"feed": [], "api": []}
    database = psycopg.connect(database_url, autocommit=True)

    def watch_commit():
        deadline = time.monotonic() + GIVE_UP
        while time.monotonic() < deadline:
            if database.execute(
                "SELECT 1 FROM wagtailcore_page WHERE slug = %s AND live", [slug]
            ).fetchone():
                seen["commit"] = time.time()
                committed.set()
                return
            time.sleep(0.001)

    def watch_b(key, path):
        session = requests.Session()
        if not committed.wait(GIVE_UP):
            return
        deadline = time.monotonic() + GIVE_UP
        while time.monotonic() < deadline:
            asked = time.time()
            if title in session.get(b_url + path, timeout=30).text:
                seen[key] = time.time()
                return
            stale[key].append(asked)
            # A pause between asks: spinning would starve A of the CPU it
            # needs to finish publishing (this machine has two cores).
            time.sleep(POLL_PAUSE)

    watchers = [
        threading.Thread(target=watch_commit),
        threading.Thread(target=watch_b, args=("feed", "/feeds/news.rss")),
        threading.Thread(target=watch_b, args=(
            "api", "/api/v2/pages/?type=cms.NewsPage&fields=title&order=-id&limit=5")),
    ]
    for watcher in watchers:
        watcher.start()
    started = time.time()
    invalidations.arm()
    try:
        editor.publish_news(index_id, title, slug, follow=False)
    finally:
        for watcher in watchers:
            watcher.join(GIVE_UP * 2)
        database.close()
    invalidated = invalidations.first_after(started)
    if len(seen) < 3 or invalidated is None:
        return None
    # Answers without the page to requests made after B must have heard of it.
    allowed = HEARING + shared_recheck()
    late = {
        key: sum(asked > invalidated + allowed for asked in times) for key, times in stale.items()
    }
    return (
        seen["feed"] - seen["commit"], seen["api"] - seen["commit"],
        {key: len(times) for key, times in stale.items()}, invalidated - seen["commit"], late,
    )


def served_durations(log_path, path):
    """Milliseconds B spent on each answer for ``path`` (its access lines)."""
    durations = []
    for line in Path(log_path).read_text().splitlines():
        if line.startswith("{") and '"config.access"' in line:
            record = json.loads(line)
            if record["path"] == path:
                durations.append(record["duration_ms"])
    return durations


class Invalidations:
    """Notes when A's feed invalidation reaches the cache (the feeds'
    generations in Redis, of every site and of each Site, read every
    millisecond from :meth:`arm` until it changes), to tell A's part of a
    delay (committing, then invalidating) from B's (answering). Idle
    otherwise, so its reads take no CPU from B while B answers."""

    def __init__(self, env):
        for key in ("DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "SECRET_KEY"):
            os.environ[key] = str(env[key])
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        from wagtail.models import Site

        from syndication.cache import GENERATION_KEY, site_generation_key

        # A publication makes its own Site's feeds stale, a Site's change every site's.
        sites = Site.objects.values_list("pk", flat=True)
        self.keys = [GENERATION_KEY, *map(site_generation_key, sites)]
        self.heard, self.known = [], None
        self.armed, self.stopping = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def generations(self):
        from django.core.cache import cache

        return cache.get_many(self.keys)

    def arm(self):
        """Watch for the next change (call before publishing)."""
        self.known = self.generations()
        self.armed.set()

    def watch(self):
        while not self.stopping.is_set():
            if not self.armed.wait(0.1):
                continue
            if self.generations() != self.known:
                self.heard.append(time.time())
                self.armed.clear()
            else:
                time.sleep(0.001)

    def first_after(self, moment):
        return next((heard for heard in self.heard if heard >= moment), None)

    def stop(self):
        self.stopping.set()
        self.thread.join(5)


def shared_recheck():
    from syndication import conf

    return conf.shared_recheck()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def written_rows(database_url):
    """Rows inserted, updated or deleted in the database since statistics began."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(
            "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()[0]


def wait_for_statistics(database_url, seconds=12):
    """PostgreSQL's counters reach pg_stat_database when backends end or go
    idle for a while; wait until they stop moving."""
    last, deadline = written_rows(database_url), time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1.5)
        current = written_rows(database_url)
        if current == last:
            return current
        last = current
    return last


def wrk_health(url, duration, connections):
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url + "/healthz"],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, flags=re.M))
    requests_per_second = float(re.search(r"Requests/sec:\s+(\S+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return latency, requests_per_second, int(errors.group(1)) if errors else 0, output


def main():
    args = parse_args()
    if args.probe:
        probe_health(args.probe)
        return
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench-production does it)")
    work = Path(tempfile.mkdtemp(prefix="bench-production-"))
    env = production_env(
        DATABASE_URL=database_url, REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=os.environ.get("CACHE_KEY_PREFIX", "bench-production"),
        STATIC_ROOT=work / "static", SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0,
        LOG_LEVEL="INFO",  # B's access lines tell how long its own answers took
    )
    print("Preparing the database and static files …", flush=True)
    prepare(env)
    result = manage("collectstatic", "--noinput", env=env)
    if result.returncode != 0:
        sys.exit(result.stderr)

    processes = []
    try:
        a = Gunicorn(env, work / "a.log", workers=args.workers)
        processes.append(a)
        b = Gunicorn(env, work / "b.log", workers=args.workers)
        processes.append(b)
        processes.append(TaskWorker(env, work / "worker.log", "bench-worker"))
        editor = Editor(a.url, "bench", PASSWORD)
        index_id = news_index_id(a)
        tag = datetime.datetime.now().strftime("%H%M%S")
        print(f"Publishing {args.publishes} pages on A, watching B …", flush=True)
        invalidations = Invalidations(env)
        prober = HealthProber(a, b)
        feed, api, lost, heard = [], [], 0, []
        stale, late = {"feed": 0, "api": 0}, {"feed": 0, "api": 0}
        for number in range(args.publishes):
            measured = publish_and_watch(
                editor, index_id, b.url, database_url, number, tag, invalidations
            )
            if measured is None:
                lost += 1
                continue
            feed.append(measured[0] * 1000)
            api.append(measured[1] * 1000)
            heard.append(measured[3] * 1000)
            for key in stale:
                stale[key] += measured[2][key]
                late[key] += measured[4][key]
        invalidations.stop()
        probes = prober.stop()
        for process in processes:
            process.stop()
        processes = []

        print("Loading /healthz with wrk on a fresh instance …", flush=True)
        before = wait_for_statistics(database_url)
        health = Gunicorn(env, work / "health.log", workers=args.workers)
        processes.append(health)
        latency, rate, failures, _output = wrk_health(
            health.url, args.duration, args.connections
        )
        health.stop()
        processes = []
        after = wait_for_statistics(database_url)
    finally:
        for process in processes:
            process.stop()

    print()
    print(f"| {len(feed)} publishes on A, {args.workers} workers per instance, "
          "PostgreSQL + Redis | p50 | p99 | max |")
    print("| --- | --- | --- | --- |")
    rows = (
        ("commit → A's feed invalidation heard on Redis", heard),
        ("commit → B's feed", feed),
        ("commit → B's API", api),
        ("B's own time per feed answer", served_durations(work / "b.log", "/feeds/news.rss")),
        ("B's own time per API answer", served_durations(work / "b.log", "/api/v2/pages/")),
    )
    for name, values in rows:
        print(f"| {name} | {statistics.median(values):.1f} ms | "
              f"{percentile(values, 0.99):.1f} ms | {max(values):.1f} ms |")
    print(f"Answers from B after a commit that did not show it yet: feed {stale['feed']}, "
          f"API {stale['api']} (of {len(feed)} publishes); of those asked more than "
          f"{(HEARING + shared_recheck()) * 1000:g} ms after the invalidation was heard: "
          f"feed {late['feed']}, "
          f"API {late['api']}.")
    if probes["durations"]:
        durations = probes["durations"]
        print(f"| /healthz of A and B while publishing (every {PROBE_PAUSE * 1000:g} ms, "
              f"from another process) | {statistics.median(durations):.1f} ms | "
              f"{percentile(durations, 0.99):.1f} ms | {max(durations):.1f} ms |")
    if lost:
        print(f"{lost} publications never showed on B within {GIVE_UP:g} s")
    if probes["failures"]:
        print(f"/healthz answers other than 200 while publishing: {probes['failures']}")
    print()
    print(f"/healthz, wrk {args.connections} connections × {args.duration} s: "
          f"{rate:.0f} req/s, p50 {latency.get('50')}, p90 {latency.get('90')}, "
          f"p99 {latency.get('99')}, non-2xx {failures}, rows written {after - before}")


if __name__ == "__main__":
    main()

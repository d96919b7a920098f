"""Feed benchmark: how fast the warm feed comes back after a Redis outage.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_feeds \\
    .venv/bin/python bench/feeds/recovery.py [--seconds 3]

Runs on the database ``bench/feeds/run.py`` made (run that first). Starts a
Redis server of its own on 127.0.0.1 (the machine's shared one is never
stopped), serves the site with gunicorn on it, and loads the warm feed and
the constant-bytes view with wrk one second at a time: before the outage,
while Redis is stopped, and in each of the first ``--seconds`` seconds after
it is started again (empty, as a restarted Redis without persistence is).
Not a test: it prints figures (ratios measured in one run) and asserts nothing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.feeds.load import fetch, free_port, load_wrk, start_server  # noqa: E402
from bench.feeds.run import prepare_environment  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="seconds measured after the return")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="outages measured")
    return parser.parse_args()


class Redis:
    """A Redis server of the benchmark's own, stopped and started at will on one port."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"],
                             capture_output=True, text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                sys.exit("redis-server did not start")
            time.sleep(0.02)

    def stop(self):
        self.process.kill()
        self.process.wait(10)


def constant_file(env):
    """The feed's own bytes, rendered in a child process, for the constant view."""
    code = ("import django, sys; django.setup(); from django.test import Client; "
            "sys.stdout.buffer.write(Client().get('/feeds/news.rss').content)")
    body = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                          capture_output=True).stdout
    handle, path = tempfile.mkstemp(suffix=".rss")
    with os.fdopen(handle, "wb") as file:
        file.write(body)
    return path


def second(port, path, connections):
    return load_wrk(port, path, {}, 1, connections)


def main():
    args = parse_args()
    prepare_environment()
    if not shutil.which("wrk") or not shutil.which("redis-server"):
        sys.exit("needs wrk and redis-server (apt-get install wrk redis-server)")
    redis = Redis()
    redis.start()
    env = dict(os.environ, REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    constant = constant_file(env)
    port = free_port()
    server = start_server(port, args.workers, constant, env)
    rows = []
    try:
        for _ in range(3):  # both workers render and keep the feed
            fetch(port, "/feeds/news.rss")
        for _round in range(args.rounds):
            before = second(port, "/feeds/news.rss", args.connections)
            base = second(port, "/bench/constant", args.connections)
            redis.stop()
            down = second(port, "/feeds/news.rss", args.connections)
            redis.start()
            after = [second(port, "/feeds/news.rss", args.connections)
                     for _ in range(args.seconds)]
            base_after = second(port, "/bench/constant", args.connections)
            rows.append((base, before, down, after, base_after))
    finally:
        server.terminate()
        server.wait(30)
        redis.stop()
        os.unlink(constant)
    print()
    print(f"gunicorn {args.workers} workers, {args.connections} connections, wrk 1 s per figure")
    header = " | ".join(f"{n + 1}. s after" for n in range(args.seconds))
    print(f"| round | constant req/s | warm before | Redis down | {header} |")
    for number, (base, before, down, after, base_after) in enumerate(rows, 1):
        constant_rate = (base + base_after) / 2
        cells = " | ".join(f"{rate / constant_rate:.2f}×" for rate in after)
        print(f"| {number} | {constant_rate:.0f} | {before / constant_rate:.2f}× | "
              f"{down / constant_rate:.2f}× | {cells} |")


if __name__ == "__main__":
    main()

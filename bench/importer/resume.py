"""Benchmark of a continued import (not a test): ``python bench/importer/resume.py [--pages N]``.

Generates a legacy site of N pages (default 2,000), serves it on 127.0.0.1
with a fixed latency per answer (``--latency``, default 0.1 s: a distant
server), and measures with ``manage.py import_legacy`` on fresh SQLite
databases: a whole import, and the run that continues an import killed
(``kill -9``) once half of the pages were fetched.  Target: the continued run
≤ 0.6 × the whole import.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.importer.run import ORIGIN, _fresh_db, _migrated  # noqa: E402
from bench.importer.sitegen import generate  # noqa: E402


def _command(source: str, db: Path, media: Path) -> tuple[list[str], dict]:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}",
           "MEDIA_ROOT": str(media), "LOG_LEVEL": "ERROR"}
    return [sys.executable, "manage.py", "import_legacy", source, "--origin", ORIGIN,
            "-v", "0"], env


def _timed(source: str, db: Path, media: Path) -> float:
    args, env = _command(source, db, media)
    began = time.perf_counter()
    subprocess.run(args, cwd=REPO, env=env, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="size of the site (2000)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer (0.1)")
    options = parser.parse_args()
    from tests.importers.legacy_server import LegacyServer

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = generate(work / "site", options.pages)
        template = _migrated(work)
        with LegacyServer() as server:
            server.serve_directory(work / "site", content_type="text/html; charset=iso-8859-1")
            server.latency = options.latency
            source = server.url("index.php?id=1")
            whole = _timed(source, _fresh_db(template, work, "whole"), work / "m1")
            fetched = len(server.requests)
            db = _fresh_db(template, work, "killed")
            args, env = _command(source, db, work / "m2")
            del server.requests[:]
            run = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
            while len(server.requests) < fetched // 2 and run.poll() is None:
                time.sleep(0.01)
            run.send_signal(signal.SIGKILL)
            run.wait()
            killed_after = len(server.requests)
            del server.requests[:]
            resumed = _timed(source, db, work / "m2")
            again = len(server.requests)
    print(f"{pages} pages, {options.latency * 1000:.0f} ms per answer")
    print(f"whole import:                  {whole:7.1f} s ({fetched} requests)")
    print(f"killed after {killed_after} requests; continued: {resumed:7.1f} s "
          f"({again} requests)")
    print(f"continued / whole: {resumed / whole:.2f}  (target ≤ 0.6)")


if __name__ == "__main__":
    main()

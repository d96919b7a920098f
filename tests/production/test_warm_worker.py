"""A warmed-up worker keeps its long-lived objects out of the garbage
collector's full collections: without that, one request in a few dozen
waited about 90 ms while the collector walked the whole application."""

import json
import subprocess
import sys
from pathlib import Path

from tests.production.servers import production_env

REPORT = """
import gc, json
from config.wsgi import warm_up
warm_up()
print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}))
"""


def test_a_warmed_up_worker_leaves_its_startup_objects_out_of_full_collections(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", SECURE_SSL_REDIRECT=0,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", REPORT], env=env, cwd=Path(__file__).parents[2],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    # The application's modules, URL patterns and models: many thousands of
    # objects, of which the collector still tracks almost none.
    assert counts["frozen"] > 50_000
    assert counts["tracked"] < counts["frozen"] / 100

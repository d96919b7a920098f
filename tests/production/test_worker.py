"""The task worker, as the README's runbook runs it: a clean first start."""

import json

from tests.production.servers import manage, production_env


def log_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_the_first_worker_start_after_the_runbook_logs_no_error(site_databases):
    """``create_project_site`` replaces Wagtail's welcome page; the index
    updates of a page it then deletes must not reach the worker as errors."""
    env = production_env(DATABASE_URL=site_databases.fresh(), LOG_LEVEL="INFO")
    setup = manage("create_project_site", "--hostname", "cms.example.org", "--port", "443", env=env)
    assert setup.returncode == 0, setup.stderr

    worker = manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
                    env=env)

    assert worker.returncode == 0, worker.stderr
    records = log_lines(worker.stderr)
    assert any(r["message"].endswith("state=SUCCESSFUL") for r in records), worker.stderr
    assert [r for r in records if r["level"] in {"WARNING", "ERROR", "CRITICAL"}] == []

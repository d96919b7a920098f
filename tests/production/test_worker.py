"""The task worker, as the README's runbook runs it: a clean first start,
and a worker killed mid-task whose work the next worker start finishes."""

import datetime
import json
import os

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from cms.models import NewsPage
from cms.site_tree import ensure_site_tree
from cms.tasks import publish_scheduled_pages
from tests.production.servers import (
    TaskWorker,
    committed_database_url,
    manage,
    production_env,
    wait_until,
)


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


@pytest.fixture
def scheduled_page(transactional_db, tasks_in_database):
    """A news page whose go-live time has passed, and the queued task that
    publishes it, committed where the worker processes see them."""
    tree = ensure_site_tree()
    page = NewsPage(title="Due", slug="due", live=False)
    tree.news.add_child(instance=page)
    past = timezone.now() - datetime.timedelta(minutes=1)
    page.go_live_at = past
    page.save_revision(approved_go_live_at=past)
    task = publish_scheduled_pages.enqueue()
    return page, task.id


def blocked_on_the_page_row():
    """Whether some session waits for a row lock on the page table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            ['UPDATE "wagtailcore_page"%'],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="a row lock held across processes: runs on PostgreSQL")
def test_a_worker_killed_during_publish_scheduled_loses_nothing(scheduled_page, tmp_path):
    page, task_id = scheduled_page
    env = production_env(DATABASE_URL=committed_database_url(), LOG_LEVEL="INFO")
    with psycopg.connect(committed_database_url()) as holder:
        # The page's row, locked: the worker's publish waits on it, mid-run.
        holder.execute("SELECT id FROM wagtailcore_page WHERE id = %s FOR UPDATE", [page.pk])
        first = TaskWorker(env, tmp_path / "first.log", "first-worker")
        try:
            wait_until(blocked_on_the_page_row, timeout=60,
                       message="the worker never reached the page")
            first.process.kill()  # kill -9: no handler, no clean-up
            first.process.wait(timeout=30)
        finally:
            first.stop()

        holder.rollback()

    assert DBTaskResult.objects.get(id=task_id).status == "RUNNING"
    page.refresh_from_db()
    assert not page.live

    second = TaskWorker(env, tmp_path / "second.log", "second-worker")
    try:
        wait_until(lambda: DBTaskResult.objects.get(id=task_id).status == "SUCCESSFUL",
                   timeout=60, message="the interrupted task was never run again")
    finally:
        second.stop()
    page.refresh_from_db()
    assert page.live and page.live_revision_id is not None
    assert DBTaskResult.objects.get(id=task_id).worker_ids == ["first-worker", "second-worker"]
    # Its effect, once: one scheduled publication in the page's history.
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").count() == 1
    assert "Traceback" not in second.output(), second.output()


def test_the_worker_runs_at_a_lower_cpu_priority_than_the_web_processes(site_databases, tmp_path):
    """Right after a publication the worker updates Wagtail's indexes while the
    web processes answer the readers who look for it: on one machine, the
    readers come first."""
    env = production_env(DATABASE_URL=site_databases.fresh())
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    worker = TaskWorker(env, tmp_path / "worker.log", "nice-worker")
    try:
        wait_until(
            lambda: os.getpriority(os.PRIO_PROCESS, worker.process.pid) == min(19, ours + 10),
            60, f"the worker kept its priority:\n{worker.output()}",
        )
    finally:
        worker.stop()

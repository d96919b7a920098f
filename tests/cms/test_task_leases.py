"""A task left RUNNING by a worker that died is queued again when a worker
starts; a task a live worker runs is left alone (see cms.compat.task_leases)."""

import psycopg
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from cms.compat import task_leases
from cms.tasks import publish_scheduled_pages


@pytest.fixture
def interrupted(transactional_db, tasks_in_database):
    """A task some worker claimed and never finished."""
    result = publish_scheduled_pages.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=["gone"])
    return result.id


def test_a_worker_start_runs_a_task_whose_worker_died(interrupted, run_worker, caplog):
    run_worker()

    task = DBTaskResult.objects.get(pk=interrupted)
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "gone" and len(task.worker_ids) == 2
    assert f"Task id={interrupted}" in caplog.text and "queued again" in caplog.text


def test_a_task_that_kills_its_worker_each_time_is_failed_at_last(interrupted, run_worker):
    DBTaskResult.objects.filter(pk=interrupted).update(
        worker_ids=["w"] * task_leases.MAX_ATTEMPTS
    )
    run_worker()

    task = DBTaskResult.objects.get(pk=interrupted)
    assert task.status == "FAILED"
    assert task.exception_class_path == "cms.compat.task_leases.WorkerDied"


def advisory_locks_held():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                       "AND pid = pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="leases are PostgreSQL locks")
def test_a_task_a_live_worker_runs_is_left_alone(interrupted, run_worker):
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, autocommit=True,
    ) as live_worker:
        live_worker.execute("SELECT pg_advisory_lock(%s)", [task_leases.lease_key(interrupted)])
        run_worker()
    assert DBTaskResult.objects.get(pk=interrupted).status == "RUNNING"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="leases are PostgreSQL locks")
def test_the_lease_is_held_while_the_task_runs_and_freed_after(interrupted, run_worker):
    """The worker's own session holds the lease from its claim to its result."""
    seen = {}

    def probe(sender, task_result, **kwargs):
        seen["held"] = advisory_locks_held()

    from django_tasks.signals import task_started

    task_started.connect(probe)
    try:
        run_worker()
    finally:
        task_started.disconnect(probe)
    assert DBTaskResult.objects.get(pk=interrupted).status == "SUCCESSFUL"
    assert seen["held"] == 1
    assert advisory_locks_held() == 0


def test_the_check_says_when_the_librarys_own_worker_would_run(monkeypatch):
    import django.core.management

    monkeypatch.setattr(django.core.management, "get_commands",
                        lambda: {"db_worker": "django_tasks_db"})
    [message] = task_leases.RELIES_ON.messages(task_leases.mismatch())
    assert message.id == "cms.W012" and "INSTALLED_APPS" in message.msg

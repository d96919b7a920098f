"""A task whose worker died is run again: a lease per running task.

django-tasks-db marks a task ``RUNNING`` when a worker claims it and never
looks at it again, so a worker killed mid-task (``kill -9``, the OOM killer,
a lost machine) leaves it ``RUNNING`` for ever. The library has no lease or
heartbeat; this module adds one through public hooks:

- While a worker runs a task, its database session holds a PostgreSQL
  advisory lock keyed by the task's id. The lock is taken by a ``post_save``
  receiver in the very transaction that claims the task, released when the
  task's result is saved, and ends with the session, i.e. when the process
  dies.
- At start, the worker (``manage.py db_worker``, cms's extension of
  django-tasks-db's command) queues again every ``RUNNING`` task whose lock
  is free: no live worker runs it. After :data:`MAX_ATTEMPTS` starts a task
  that kills its worker each time is marked failed instead.

SQLite has no advisory locks; it is for the demo and the tests, with one
worker, so there every ``RUNNING`` task found at start was interrupted.
The guarantee is "at least once": a task must be idempotent (ours are).
"""

import logging
import uuid

from django.db import connections, router
from django.utils import timezone

from cms.compat.reliance import Reliance

logger = logging.getLogger(__name__)

RELIES_ON = Reliance(
    check_id="cms.W012",
    names=(
        "django_tasks_db.models.DBTaskResult.claim",
        "django_tasks_db.models.DBTaskResult.set_successful",
        "django_tasks_db.models.DBTaskResult.set_failed",
        "django_tasks_db.management.commands.db_worker.Command.handle",
    ),
    fingerprint="39cef8a838eaede6",
    recheck="that a worker still claims a task by saving status RUNNING with started_at in "
    "update_fields inside the claiming transaction and saves SUCCESSFUL or FAILED with "
    "finished_at when it ends (hold_lease in cms.compat.task_leases), and that cms's "
    "db_worker command can still run requeue_interrupted before the library's handle.",
    risk="A task whose worker died could stay RUNNING for ever, or run twice.",
)

#: Worker starts after which a task that dies with its worker each time is failed.
MAX_ATTEMPTS = 3


def applies():
    """Only where the runnable site's worker (django-tasks-db) is installed."""
    from django.apps import apps

    return apps.is_installed("django_tasks_db")


def mismatch():
    """cms's ``db_worker`` must be the one ``manage.py`` runs (cms before
    django_tasks_db in INSTALLED_APPS), or nothing recovers interrupted tasks."""
    from django.core.management import get_commands

    if get_commands().get("db_worker") != "cms":
        return (
            "manage.py db_worker is django_tasks_db's own, which never runs again a task "
            "whose worker died: list 'cms' before 'django_tasks_db' in INSTALLED_APPS."
        )
    return None


def lease_key(task_id):
    """The advisory lock of one task: 64 bits of its UUID."""
    return int.from_bytes(uuid.UUID(str(task_id)).bytes[:8], "big", signed=True)


def _advisory(connection, function, task_id):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [lease_key(task_id)])
        return cursor.fetchone()[0]


def hold_lease(sender, instance, using, update_fields=None, **kwargs):
    """``post_save`` of a task result: the claim takes the lease, the result frees it."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not update_fields:
        return
    if instance.status == "RUNNING" and "started_at" in update_fields:
        _advisory(connection, "pg_advisory_lock", instance.pk)
    elif instance.status in {"SUCCESSFUL", "FAILED"} and "finished_at" in update_fields:
        _advisory(connection, "pg_advisory_unlock", instance.pk)


def _worker_gone(connection, task_id):
    """Whether no live session holds the task's lease; if so, now this one does."""
    if connection.vendor != "postgresql":
        return True
    return _advisory(connection, "pg_try_advisory_lock", task_id)


def requeue_interrupted(backend_name):
    """Queue again the ``RUNNING`` tasks of ``backend_name`` whose worker died."""
    from django_tasks_db.models import DBTaskResult

    using = router.db_for_write(DBTaskResult)
    connection = connections[using]
    running = DBTaskResult.objects.using(using).running().filter(backend_name=backend_name)
    for result in running.only("id", "task_path", "worker_ids"):
        if not _worker_gone(connection, result.pk):
            continue
        try:
            stuck = DBTaskResult.objects.using(using).filter(pk=result.pk, status="RUNNING")
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                stuck.update(
                    status="FAILED", finished_at=timezone.now(),
                    exception_class_path="cms.compat.task_leases.WorkerDied",
                    traceback=f"Its worker died {len(result.worker_ids)} times while running it.",
                )
                logger.error("Task id=%s path=%s failed: its worker died %d times while running it",
                             result.pk, result.task_path, len(result.worker_ids))
            elif stuck.update(status="READY", started_at=None):
                logger.warning("Task id=%s path=%s was interrupted (worker %s stopped mid-run); "
                               "queued again", result.pk, result.task_path, result.worker_ids[-1])
        finally:
            if connection.vendor == "postgresql":
                _advisory(connection, "pg_advisory_unlock", result.pk)


def register():
    from django.db.models.signals import post_save
    from django_tasks_db.models import DBTaskResult

    post_save.connect(hold_lease, sender=DBTaskResult, dispatch_uid="cms-task-lease")

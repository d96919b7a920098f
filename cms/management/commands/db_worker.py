"""django-tasks-db's worker, which first queues again the tasks of workers
that died mid-run (see :mod:`cms.compat.task_leases`)."""

from django_tasks_db.management.commands import db_worker

from cms.compat.task_leases import requeue_interrupted


class Command(db_worker.Command):
    help = f"{db_worker.Command.help}; first queues again tasks whose worker died mid-run"

    def handle(self, *args, backend_name, **options):
        requeue_interrupted(backend_name)
        super().handle(*args, backend_name=backend_name, **options)

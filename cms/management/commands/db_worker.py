"""django-tasks-db's worker, which first queues again the tasks of workers
that died mid-run (see :mod:`cms.compat.task_leases`), and runs at a lower
CPU priority than the web processes: its work (Wagtail's search-index and
reference-index updates, right after each publication) can wait, the
answers that show the publication on the same machine should not."""

import os

from django_tasks_db.management.commands import db_worker

from cms.compat.task_leases import requeue_interrupted

#: How much lower than the process that starts it the worker runs (as `nice -n`).
NICENESS = 10


class Command(db_worker.Command):
    help = (
        f"{db_worker.Command.help}; first queues again tasks whose worker died mid-run, "
        "and runs at a lower CPU priority than the web processes"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--nice", type=int, default=NICENESS,
            help=f"Lower the worker's CPU priority by this much, as nice -n (default "
                 f"{NICENESS}; 0 keeps it)",
        )

    def handle(self, *args, backend_name, nice, **options):
        if nice > 0 and hasattr(os, "nice"):
            os.nice(nice)
        requeue_interrupted(backend_name)
        super().handle(*args, backend_name=backend_name, **options)

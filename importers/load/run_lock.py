"""One import run at a time per site: a lock that a ``kill -9`` cannot leave stuck.

On PostgreSQL a session advisory lock on the run's own connection: the
server releases it when the session ends, however the process ended.  On
SQLite (one machine by nature) an exclusive ``flock`` on a file next to the
database: the kernel releases it when the process dies.  Per-page
transactions commit and roll back underneath either without touching it.
A second run gets :class:`RunInProgress` naming the run that holds the lock
(its :class:`~importers.models.ImportRun`: when it started, from which
sources), or waits for it with ``wait=True``.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

from importers.models import ImportRun

#: Key of the advisory lock (any fixed 64-bit number; "IMPORTRN").
ADVISORY_KEY = 0x494D504F5254524E


class RunInProgress(Exception):
    """Another import run holds the lock: the command exits 2 with this message."""


class _AdvisoryLock:
    def __init__(self, connection) -> None:
        self.connection = connection

    def acquire(self, wait: bool) -> bool:
        with self.connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
                return True
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            return bool(cursor.fetchone()[0])

    def release(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])


class _FileLock:
    def __init__(self, connection) -> None:
        name = str(connection.settings_dict["NAME"])
        if not connection.is_in_memory_db():
            self.path = Path(f"{name}.import.lock")
        else:  # an in-memory database: one per process, so a per-process file will do
            digest = hashlib.sha256(f"{name}:{os.getpid()}".encode()).hexdigest()[:16]
            self.path = Path(tempfile.gettempdir()) / f"import_legacy-{digest}.lock"
        self.file = None

    def acquire(self, wait: bool) -> bool:
        self.file = open(self.path, "a")  # noqa: SIM115  (held open for the run)
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            return False
        return True

    def release(self) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _describe() -> str:
    # The lock holder recorded its run as soon as it had the lock: the newest unfinished one.
    running = ImportRun.objects.filter(finished_at=None).order_by("-started_at", "-pk").first()
    if running is None:
        return "another import run is in progress"
    started = running.started_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    sources = " ".join(running.sources) or "?"
    return (f"another import run is in progress: started {started} from {sources} "
            f"({running.holder}); try again when it has finished, or pass --wait")


@contextlib.contextmanager
def one_run_at_a_time(*, wait: bool = False, using: str = DEFAULT_DB_ALIAS):
    """Hold the site's import lock for the block; :class:`RunInProgress` if another run has it."""
    connection = connections[using]
    connection.ensure_connection()
    lock = _AdvisoryLock(connection) if connection.vendor == "postgresql" else _FileLock(connection)
    if not lock.acquire(wait):
        raise RunInProgress(_describe())
    try:
        yield
    finally:
        lock.release()

"""One import run at a time per site: a lock that a ``kill -9`` cannot leave stuck.

On PostgreSQL a session advisory lock on the run's own connection: the
server releases it when the session ends, however the process ended.  On
SQLite (one machine by nature) an exclusive ``flock`` on a file next to the
database: the kernel releases it when the process dies.  Per-page
transactions commit and roll back underneath either without touching it.
A second run gets :class:`RunInProgress` naming the run that holds the lock
(its :class:`~importers.models.ImportRun`: when it started, from which
sources), or waits for it with ``wait=True``.

The lock can still be lost under a live process: the database session ends
(a failover, a restart, a proxy's idle timeout, ``pg_terminate_backend``)
and Django reconnects without it, or the lock file is removed.  The run
asks :meth:`RunLock.check` before each page and stops with
:class:`RunLockLost` rather than write beside a run that took the lock since.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from importers.models import ImportRun

#: Key of the advisory lock (any fixed 64-bit number; "IMPORTRN").
ADVISORY_KEY = 0x494D504F5254524E


class RunInProgress(Exception):
    """Another import run holds the lock: the command exits 2 with this message."""


class RunLockLost(Exception):
    """The run no longer holds the import lock: it stops, and a re-run continues."""


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
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        except DatabaseError:  # the session is gone, and the lock with it
            self.connection.close()

    def lost(self) -> str:
        # A bigint key shows in pg_locks as its high and low 32 bits.
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted AND objsubid = 1 "
                    "AND classid = %s AND objid = %s)",
                    [ADVISORY_KEY >> 32, ADVISORY_KEY & 0xFFFFFFFF],
                )
                if cursor.fetchone()[0]:
                    return ""
        except DatabaseError:
            self.connection.close()  # dead: the run's record is completed on a new one
        return ("the database session that held the import lock ended (a failover, a "
                "restart, a proxy's timeout or pg_terminate_backend)")


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

    def lost(self) -> str:
        # Another run locks whatever file is at the path now: ours must still be it.
        try:
            same = os.stat(self.path).st_ino == os.fstat(self.file.fileno()).st_ino
        except FileNotFoundError:
            same = False
        return "" if same else f"the lock file {self.path} was removed or replaced"


class RunLock:
    """The lock a run holds; :meth:`check` before each page that the run still holds it."""

    def __init__(self, lock: _AdvisoryLock | _FileLock) -> None:
        self._lock = lock
        self.lost = ""

    def check(self) -> None:
        """:class:`RunLockLost` with the reason if another run could now hold the lock."""
        self.lost = self.lost or self._lock.lost()
        if self.lost:
            raise RunLockLost(
                f"stopped before the end: {self.lost}, so another run may have taken it; "
                "nothing more was written. Run the import again to continue"
            )


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
    """Hold the site's import lock for the block, which gets the :class:`RunLock`;
    :class:`RunInProgress` if another run has it."""
    connection = connections[using]
    connection.ensure_connection()
    lock = _AdvisoryLock(connection) if connection.vendor == "postgresql" else _FileLock(connection)
    if not lock.acquire(wait):
        raise RunInProgress(_describe())
    held = RunLock(lock)
    try:
        yield held
    finally:
        if not held.lost:  # a lost lock has nothing left to release
            lock.release()

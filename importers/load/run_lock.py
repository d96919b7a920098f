"""One import run at a time per site: a lock that a ``kill -9`` cannot leave stuck.

Each Wagtail Site has a lock of its own (keyed by the Site's id), so two
project sites may import at the same time while two runs into one site take
turns.  On PostgreSQL a session advisory lock on the run's own connection:
the server releases it when the session ends, however the process ended.
On SQLite (one machine by nature) an exclusive ``flock`` on a file next to
the database, one file per Site: the kernel releases it when the process
dies.  Per-page
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
from django.db.models import Q
from wagtail.models import Site

from importers.models import ImportRun

#: First key of the advisory lock (any fixed 32-bit number; "IMPR"); the second is the Site's id.
ADVISORY_KEY = 0x494D5052
#: The second key where the database has no Site yet (the run makes the default one).
NO_SITE = 0


class RunInProgress(Exception):
    """Another import run holds the lock: the command exits 2 with this message."""


class RunLockLost(Exception):
    """The run no longer holds the import lock: it stops, and a re-run continues."""


class _AdvisoryLock:
    def __init__(self, connection, key: int) -> None:
        self.connection = connection
        self.keys = [ADVISORY_KEY, key]

    def acquire(self, wait: bool) -> bool:
        with self.connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", self.keys)
                return True
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", self.keys)
            return bool(cursor.fetchone()[0])

    def release(self) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", self.keys)
        except DatabaseError:  # the session is gone, and the lock with it
            self.connection.close()

    def lost(self) -> str:
        # A lock on two int4 keys shows in pg_locks as classid, objid and objsubid 2.
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted AND objsubid = 2 "
                    "AND classid = %s AND objid = %s)",
                    self.keys,
                )
                if cursor.fetchone()[0]:
                    return ""
        except DatabaseError:
            self.connection.close()  # dead: the run's record is completed on a new one
        return ("the database session that held the import lock ended (a failover, a "
                "restart, a proxy's timeout or pg_terminate_backend)")


class _FileLock:
    def __init__(self, connection, key: int) -> None:
        name = str(connection.settings_dict["NAME"])
        if not connection.is_in_memory_db():
            self.path = Path(f"{name}.import-site-{key}.lock")
        else:  # an in-memory database: one per process, so a per-process file will do
            digest = hashlib.sha256(f"{name}:{os.getpid()}".encode()).hexdigest()[:16]
            self.path = Path(tempfile.gettempdir()) / f"import_legacy-{digest}-site-{key}.lock"
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


def _describe(site: Site | None) -> str:
    # The lock holder recorded its run as soon as it had the lock: the newest unfinished one.
    # A run recorded without a Site went into the default one.
    of_site = Q(site=site) | Q(site=None) if site is None or site.is_default_site else Q(site=site)
    running = ImportRun.objects.filter(of_site, finished_at=None).order_by(
        "-started_at", "-pk").first()
    if running is None:
        return "another import run is in progress"
    started = running.started_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    sources = " ".join(running.sources) or "?"
    return (f"another import run is in progress: started {started} from {sources} "
            f"({running.holder}); try again when it has finished, or pass --wait")


@contextlib.contextmanager
def one_run_at_a_time(site: Site | None = None, *, wait: bool = False,
                      using: str = DEFAULT_DB_ALIAS):
    """Hold ``site``'s import lock for the block, which gets the :class:`RunLock`;
    :class:`RunInProgress` if another run has it.

    ``site``: the Site the run imports into; the default Site when None (or,
    on a database without any Site yet, the one its first run makes).
    """
    connection = connections[using]
    connection.ensure_connection()
    if site is None:
        site = Site.objects.using(using).filter(is_default_site=True).first()
    key = site.pk if site is not None else NO_SITE
    lock_type = _AdvisoryLock if connection.vendor == "postgresql" else _FileLock
    lock = lock_type(connection, key)
    if not lock.acquire(wait):
        raise RunInProgress(_describe(site))
    held = RunLock(lock)
    try:
        yield held
    finally:
        if not held.lost:  # a lost lock has nothing left to release
            lock.release()

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
from django.db.models import Q
from wagtail.models import Site

from importers.models import ImportRun

#: First key of the advisory lock (any fixed 32-bit number; "IMPR"); the second is the Site's id.
ADVISORY_KEY = 0x494D5052
#: The second key where the database has no Site yet (the run makes the default one).
NO_SITE = 0


class RunInProgress(Exception):
    """Another import run holds the lock: the command exits 2 with this message."""


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
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", self.keys)


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
    """Hold ``site``'s import lock for the block; :class:`RunInProgress` if another run has it.

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
    try:
        yield
    finally:
        lock.release()

"""Real server processes on a database of their own, for tests with two actors.

A test that runs ``manage.py`` in a second process, or serves the site with
gunicorn, cannot use pytest-django's test database (it lives in a
transaction, or in memory). :func:`site_database` gives it a fresh, migrated
database of the same kind the suite runs on: a copy of an SQLite file, or a
PostgreSQL database made from a template, both migrated once per session.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def base_environment(**extra):
    """The environment of a server or command: the runnable site's settings,
    none of the suite's database or cache choices unless given."""
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_BACKEND", "CACHE_LOCATION",
                       "CACHE_KEY_PREFIX", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DEBUG="1", SECRET_KEY="test-only-secret-key", LOG_LEVEL="ERROR",
               ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    env.update(extra)
    return env


def manage(env, *args, timeout=120, check=True):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        command = " ".join(args)
        raise AssertionError(f"manage.py {command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def shell(env, code, timeout=120):
    """Run ``code`` with the ORM in a second process (``manage.py shell -c``)."""
    return manage(env, "shell", "-c", code, timeout=timeout).stdout


def suite_database_url():
    return os.environ.get("DATABASE_URL", "")


def postgres(url):
    """(server URL, database name) of a PostgreSQL URL."""
    base, _slash, name = url.rpartition("/")
    return base, name


def postgres_command(server, sql):
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(sql)


class Databases:
    """Fresh migrated databases, copied from one migrated once."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.url = suite_database_url()
        self.made = []
        token = uuid.uuid4().hex[:8]
        if self.url.startswith("postgres"):
            self.server, name = postgres(self.url)
            self.prefix = f"{name}_site_{token}"
            self.template = f"{self.prefix}_template"
            postgres_command(self.server, f'CREATE DATABASE "{self.template}"')
            template_url = f"{self.server}/{self.template}"
        else:
            self.server = None
            self.template = self.workdir / "template.sqlite3"
            template_url = f"sqlite:///{self.template}"
        env = base_environment(DATABASE_URL=template_url)
        manage(env, "migrate", "--noinput", timeout=600)
        manage({**env, "CACHE_BACKEND": "database"}, "createcachetable")

    def fresh(self):
        """The URL of a new database, migrated."""
        if self.server is None:
            path = self.workdir / f"site-{len(self.made)}.sqlite3"
            shutil.copyfile(self.template, path)
            self.made.append(path)
            return f"sqlite:///{path}"
        name = f"{self.prefix}_{len(self.made)}"
        postgres_command(self.server, f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.made.append(name)
        return f"{self.server}/{name}"

    def drop(self):
        if self.server is None:
            return
        for name in [*self.made, self.template]:
            postgres_command(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(url, headers=None, timeout=10):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A server process whose output goes to a file (a pipe could fill up
    and stall it), stopped with SIGTERM as a service manager would."""

    def __init__(self, args, env, log_path):
        self.log_path = Path(log_path)
        self.log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
        )

    def output(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.log_file.close()


class Gunicorn(Process):
    def __init__(self, env, log_path, workers=1, app="config.wsgi", args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [GUNICORN, app, "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), *args],
            env, log_path,
        )
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()  # never leave a server behind
            raise

    def wait_until_serving(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive(), self.output()
            try:
                # The first answer waits for a worker to load the site.
                requests.get(self.url + "/healthz", timeout=timeout)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"the server did not answer in {timeout} s:\n{self.output()}")


class Runserver(Gunicorn):
    """``manage.py runserver`` as ``make demo`` runs it: with DEBUG it serves
    the admin's static files too, which gunicorn leaves to WhiteNoise and a
    collectstatic."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        Process.__init__(
            self, [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            env, log_path,
        )
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise


@contextmanager
def gunicorn(env, log_path, workers=2):
    """The runnable site served by gunicorn for the ``with`` block; its base URL."""
    server = Gunicorn(env, log_path, workers=workers)
    try:
        yield server.url
    finally:
        server.stop()


class TaskWorker(Process):
    """``manage.py db_worker``, the production worker command."""

    def __init__(self, env, log_path, worker_id):
        self.worker_id = worker_id
        super().__init__(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
             "--worker-id", worker_id],
            env, log_path,
        )


class RedisServer:
    """A redis-server of the test's own on a free port (never the machine's
    shared one), to stop, pause and start again. Its data is kept in an
    append-only file, so a restarted server comes back with what it held,
    as a production Redis with persistence does."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self):
        self.process = Process(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.workdir)],
            os.environ.copy(), self.workdir / "redis.log",
        )
        wait_until(self.answers, timeout=30, message="redis-server did not start")

    def answers(self):
        with socket.socket() as sock:
            sock.settimeout(1)
            try:
                sock.connect(("127.0.0.1", self.port))
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

    def stop(self):
        """Shut it down (SIGTERM: what it holds stays in its file)."""
        if self.process is not None:
            self.resume()  # a frozen server would not act on SIGTERM
            self.process.stop()
            self.process = None

    def pause(self):
        """Freeze it: connections open, nothing answered (a hung server)."""
        self.process.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.process.send_signal(signal.SIGCONT)


def wait_until(condition, timeout, message, interval=0.05):
    """Poll ``condition`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(interval)

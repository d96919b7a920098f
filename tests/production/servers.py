"""Real server processes of the runnable site, started and stopped by a
test: gunicorn instances and the task worker, with the environment a
production machine would give them."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: A key as `check --deploy` wants it: long, varied, not Django's insecure default.
SECRET_KEY = "Zt7-production-test-key-9qLx2vR8mWc4Hy6NbJ0sKf3TdPgA1eUo5iY"
#: Variables of the site (see the README's Configuration table) that the
#: environment of the test run must not leak into a "production" process.
SITE_VARIABLES = {
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "ALLOWED_HOSTS",
    "STATIC_ROOT", "MEDIA_ROOT", "MEDIA_STORAGE_BACKEND", "MEDIA_STORAGE_OPTIONS",
    "TASKS_BACKEND", "LOG_LEVEL", "SECURE_SSL_REDIRECT", "CMS_API_MAX_AGE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES", "TRUST_X_FORWARDED_PROTO", "DJANGO_SETTINGS_MODULE", "PYTHONPATH",
    "WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL", "WAGTAIL_FRONTEND_BASE_URL",
    "SYNDICATION_BASE_URL", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "PORT",
}


def production_env(**variables):
    """The environment of a production process: only what is given, on top
    of the machine's own (PATH and the like)."""
    env = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    env.update(SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1")
    env.update({key: str(value) for key, value in variables.items()})
    return env


def manage(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=timeout,
    )


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
            args, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
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
    def __init__(self, env, log_path, workers=1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers)],
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
        raise AssertionError(f"gunicorn did not answer in {timeout} s:\n{self.output()}")


class TaskWorker(Process):
    """``manage.py db_worker``, the production worker command."""

    def __init__(self, env, log_path, worker_id):
        self.worker_id = worker_id
        super().__init__(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
             "--worker-id", worker_id],
            env, log_path,
        )


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

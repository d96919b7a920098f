"""A WebSub ping whose worker is killed mid-send is sent after a restart, once in effect.

A real hub on 127.0.0.1 that takes the first ping and holds its answer, so the
``kill -9`` lands while the worker waits for it; the next worker start queues
the interrupted task again and the hub gets the same ping, answered this time.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.production.servers import TaskWorker, production_env, wait_until
from tests.serving import shell

TOPICS = ["https://cms.example.org/feeds/news.rss", "https://cms.example.org/feeds/news.atom"]


class Hub(ThreadingHTTPServer):
    """Records each ping's body; holds the answer to the first until ``release``."""

    daemon_threads = True

    def __init__(self) -> None:
        self.pings: list[bytes] = []
        self.answered = 0
        self.release = threading.Event()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hub.pings.append(body)
                if len(hub.pings) == 1:
                    hub.release.wait(timeout=60)  # the worker is killed meanwhile
                    return  # no answer: its client is gone
                self.send_response(204)
                self.end_headers()
                hub.answered += 1

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hub"


@pytest.fixture
def hub():
    server = Hub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def task_state(env, task_id):
    code = (
        "import json; from django_tasks_db.models import DBTaskResult; "
        "from syndication.tasks import ping_hub; "
        f"r = DBTaskResult.objects.get(id={task_id!r}); "
        "print(json.dumps({'status': r.status, 'workers': r.worker_ids, "
        "'pings': DBTaskResult.objects.filter(task_path=r.task_path).count()}))"
    )
    return json.loads(shell(env, code).strip().splitlines()[-1])


def test_a_ping_killed_mid_send_is_sent_after_a_restart(site_databases, hub, tmp_path):
    env = production_env(DATABASE_URL=site_databases.fresh(), LOG_LEVEL="INFO")
    task_id = shell(env, (
        "from syndication.tasks import ping_hub; "
        f"print(ping_hub.enqueue({hub.url!r}, {TOPICS!r}).id)"
    )).strip().splitlines()[-1]

    first = TaskWorker(env, tmp_path / "first.log", "first-worker")
    try:
        wait_until(lambda: hub.pings, timeout=60, message="the worker never sent the ping")
        first.process.kill()  # kill -9 while it waits for the hub's answer
        first.process.wait(timeout=30)
    finally:
        first.stop()
    hub.release.set()
    assert hub.answered == 0
    assert task_state(env, task_id)["status"] == "RUNNING"

    second = TaskWorker(env, tmp_path / "second.log", "second-worker")
    try:
        wait_until(lambda: hub.answered, timeout=60, message="the ping was never sent again")
        wait_until(lambda: task_state(env, task_id)["status"] == "SUCCESSFUL", timeout=60,
                   message="the interrupted ping task never finished", interval=0.5)
    finally:
        second.stop()
    state = task_state(env, task_id)
    assert state["workers"] == ["first-worker", "second-worker"]
    # Once in effect: the same notification, answered once, and no further task queued.
    assert len(hub.pings) == 2 and hub.pings[0] == hub.pings[1] and hub.answered == 1
    assert state["pings"] == 1
    assert "Traceback" not in second.output(), second.output()

"""A gunicorn server of the product on 127.0.0.1 and HTTP load on it, for the
feed benchmarks (``run.py``, ``recovery.py``): wrk when installed (``make
wrk``), else keep-alive connections from threads."""

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, workers, constant_file, env):
    env = dict(env, BENCH_CONSTANT_FILE=constant_file)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _headers = fetch(port, "/bench/constant")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def load_wrk(port, path, headers, duration, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(duration)}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True, timeout=duration + 30,
    ).stdout
    if "Non-2xx or 3xx" in output:
        raise RuntimeError(f"errors while loading {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def load_python(port, path, headers, duration, connections):
    """Fallback without wrk: keep-alive connections from threads."""
    counts = [0] * connections
    stop = time.monotonic() + duration

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    return sum(counts) / duration

"""Health probes of bench-production's instances while the editor publishes:
in a process of its own, as a load balancer's would be, so they neither
wait for the benchmark's own threads nor slow them."""

import json
import subprocess
import sys
import time
from pathlib import Path

#: The benchmark, which runs :func:`probe_health` when given ``--probe``.
RUN = Path(__file__).with_name("run.py")
#: Seconds between two health probes of each instance.
PROBE_PAUSE = 0.05


def probe_health(urls):
    """In a process of its own (``--probe``), as a load balancer would: each
    instance's ``/healthz`` every ``PROBE_PAUSE`` until terminated; then the
    milliseconds each probe took, and the statuses other than 200, as JSON."""
    import signal

    import requests

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sessions = {url: requests.Session() for url in urls}
    durations, failures = [], []
    try:
        while True:
            for url, session in sessions.items():
                started = time.perf_counter()
                status = session.get(url + "/healthz", timeout=30).status_code
                durations.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    failures.append(status)
            time.sleep(PROBE_PAUSE)
    finally:
        print(json.dumps({"durations": durations, "failures": failures}), flush=True)


class HealthProber:
    def __init__(self, *instances):
        self.process = subprocess.Popen(
            [sys.executable, str(RUN), "--probe", *(i.url for i in instances)],
            stdout=subprocess.PIPE, text=True,
        )

    def stop(self):
        self.process.terminate()
        output, _ = self.process.communicate(timeout=30)
        return json.loads(output.strip().splitlines()[-1])

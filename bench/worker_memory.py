"""Resident memory of a gunicorn worker with every installed plugin, idle and after requests.

Serves ``ent_core:create_app()`` with the settings ``ent serve`` uses (``gunicorn_options``:
gthread, 4 threads; 2 workers), reads each worker's RSS and PSS (``/proc/<pid>/smaps_rollup``)
once the workers answer, then again after ``--requests`` rounds over a few pages. The database
must be migrated (``ent db upgrade``); production settings come from the environment
(``ENT_ENV``, ``DATABASE_URL``, ``REDIS_URL``, ...). Loopback only, bounded in time.

    .venv/bin/python bench/worker_memory.py [--requests 50]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

#: Pages any visitor can ask for: health, sign-in form, portal, API document and a 404.
PAGES = ("/healthz", "/auth/sign-in", "/portal/", "/api/v1/openapi.json", "/no-such-page")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory(pid: int) -> dict[str, float]:
    """RSS, peak RSS and PSS of ``pid`` in MB."""
    fields: dict[str, float] = {}
    for name in ("status", "smaps_rollup"):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Pss") and value.strip().endswith("kB"):
                fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields["VmRSS"], "peak_mb": fields["VmHWM"], "pss_mb": fields["Pss"]}


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="rounds over the pages")
    parser.add_argument("--workers", type=int, default=2)
    opts = parser.parse_args()

    port = free_port()
    code = (
        "from ent_core.serve import PlatformApplication, gunicorn_options;"
        f"o = gunicorn_options('127.0.0.1', {port}, {opts.workers}, 4);"
        "o.update(accesslog=None, max_requests=0, max_requests_jitter=0);"
        "PlatformApplication(o).run()"
    )
    master = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(base + "/healthz") == 200 and len(workers_of(master.pid)) == opts.workers:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or master.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.5)
        time.sleep(2)  # both workers done building the app
        idle = {pid: memory(pid) for pid in workers_of(master.pid)}
        statuses: dict[str, int] = {}
        for _ in range(opts.requests):
            for page in PAGES:
                statuses[page] = get(base + page)
        after = {pid: memory(pid) for pid in workers_of(master.pid)}
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=60)
    result: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load": os.getloadavg()[0],
        "statuses": statuses,
        "idle": idle,
        "after_requests": after,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

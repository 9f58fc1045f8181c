"""``ent serve`` in production: gunicorn run from Python, so one command serves the platform.

Equivalent to ``gunicorn 'ent_core:create_app()' --worker-class gthread --workers N --threads T``
(see docs/deployment.md). Options from ``GUNICORN_CMD_ARGS`` apply on top, as with the
``gunicorn`` command itself.
"""

from __future__ import annotations

import os
import shlex
from typing import Any

from gunicorn.app.base import BaseApplication

#: Threads per worker: requests mostly wait on PostgreSQL, so a few threads per process
#: keep both cores busy without the memory of extra processes (docs/performance.md).
DEFAULT_THREADS = 4


class PlatformApplication(BaseApplication):
    """A gunicorn application whose workers each build the platform after the fork."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)
        extra = os.environ.get("GUNICORN_CMD_ARGS", "")
        if extra:
            parsed = self.cfg.parser().parse_args(shlex.split(extra))
            for key, value in vars(parsed).items():
                if key in self.cfg.settings and value is not None and key != "args":
                    self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported here so that each worker builds its own app, engine and connection pool.
        from ent_core import create_app

        return create_app()


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The settings ``ent serve`` uses; ``bench/run.py`` serves with the same ones."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 30,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle workers now and then so a slow leak in any plugin cannot grow without bound.
        "max_requests": 10_000,
        "max_requests_jitter": 1_000,
    }


def run_gunicorn(host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> None:
    """Serve ``ent_core:create_app()`` with gunicorn until stopped (blocks)."""
    PlatformApplication(gunicorn_options(host, port, workers, threads)).run()

"""``ent serve`` in production runs gunicorn (ent_core/serve.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from ent_core.serve import PlatformApplication, gunicorn_options


def test_gunicorn_settings_follow_the_arguments_and_gunicorn_cmd_args(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--threads 8 --timeout 60")
    cfg = PlatformApplication(gunicorn_options("127.0.0.1", 8123, 3, 4)).cfg
    assert cfg.bind == ["127.0.0.1:8123"]
    assert cfg.workers == 3
    assert cfg.worker_class_str == "gthread"
    assert (cfg.threads, cfg.timeout) == (8, 60)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ent_serve_in_production_answers_health_checks_through_gunicorn(tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "ENT_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "SMTP_URL": "smtp://127.0.0.1:2525",
        "ENT_BASE_URL": "https://ent.example.ma",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # never contacted by /healthz
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ent.sqlite3'}",
        "ENT_INSTANCE_PATH": str(tmp_path),
    }
    ent = Path(sys.executable).with_name("ent")
    process = subprocess.Popen(
        [str(ent), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.3)
        else:
            pytest.fail("ent serve did not answer within 45 s")
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    log = process.stdout.read().decode()
    assert "Using worker: gthread" in log


@pytest.mark.parametrize(
    ("ent_env", "setting", "frozen"),
    [("production", None, True), ("production", "0", False), ("development", None, False)],
)
def test_production_processes_freeze_what_start_up_built(
    tmp_path: Path, ent_env: str, setting: str | None, frozen: bool
) -> None:
    """A worker hides its start-up objects from the garbage collector (docs/performance.md):
    full collections then stop rescanning them, the long pauses that stalled its threads."""
    env = {
        **os.environ,
        "ENT_ENV": ent_env,
        "SECRET_KEY": "s" * 40,
        "SMTP_URL": "smtp://127.0.0.1:2525",
        "ENT_BASE_URL": "https://ent.example.ma",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ent.sqlite3'}",
        "ENT_INSTANCE_PATH": str(tmp_path),
    }
    env.pop("ENT_GC_FREEZE", None)
    if setting is not None:
        env["ENT_GC_FREEZE"] = setting
    script = "import gc, ent_core; ent_core.create_app(); print(gc.get_freeze_count())"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert (int(done.stdout.split()[-1]) > 10_000) is frozen


def test_a_gc_freeze_setting_other_than_0_or_1_is_refused() -> None:
    from ent_core.config import ConfigurationError, load

    with pytest.raises(ConfigurationError, match="ENT_GC_FREEZE must be 0 or 1, not 'yes'"):
        load({"ENT_GC_FREEZE": "yes"})


def test_ent_serve_refuses_a_thread_count_below_one(app) -> None:
    result = app.test_cli_runner().invoke(args=["serve", "--threads", "0"])
    assert result.exit_code == 2
    assert "--threads" in result.output

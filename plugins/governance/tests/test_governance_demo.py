"""``ent demo`` (real migrations, a fresh instance) gives Souss Green a registry with dues, a
past assembly with votes and minutes, an open consultation and a plan, once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _demo(instance: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(ENT_INSTANCE_PATH=str(instance), ENT_ENV="development")
    ent = Path(sys.executable).with_name("ent")
    result = subprocess.run(
        [str(ent), "demo"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_gives_souss_green_its_association_once(tmp_path: Path) -> None:
    first = _demo(tmp_path)
    assert "switched on governance for souss-green" in first
    assert "created Souss Green's registry (20 members with dues)" in first
    second = _demo(tmp_path)
    assert "kept the governance demo of Souss Green" in second
    assert "created Souss Green's registry" not in second

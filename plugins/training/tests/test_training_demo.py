"""``ent demo`` (real migrations, a fresh instance) gives the training centre a course, a
cohort and an issued certificate, and changes nothing the second time."""

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


def test_demo_issues_one_certificate_and_keeps_it(tmp_path):
    first = _demo(tmp_path)
    assert "created training course" in first
    assert "created cohort" in first
    issued = [line for line in first.splitlines() if "issued certificate" in line]
    assert len(issued) == 1 and "journaliste@demo.ent.ma" in issued[0]
    assert "/s/cime/training/certificates/" in issued[0]
    second = _demo(tmp_path)
    assert "kept training course" in second and "created cohort" not in second
    number = issued[0].split("issued certificate ")[1].split()[0]
    assert f"kept certificate {number}" in second

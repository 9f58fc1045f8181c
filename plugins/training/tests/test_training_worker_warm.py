"""The certificate job's work horses start warm: ``ent worker`` forks one per job, and the
training plugin loads its signing stack in the parent just before (plugin.py)."""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import os, sys
import ent_plugins.training.plugin  # what create_app imports in every process
assert "pyld.jsonld" not in sys.modules, "web workers must not load the signing stack"
pid = os.fork()
if pid == 0:
    warm = "pyld.jsonld" in sys.modules and "ent_plugins.training.jobs" in sys.modules
    os._exit(0 if warm else 3)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_a_forked_work_horse_inherits_the_signing_stack() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]

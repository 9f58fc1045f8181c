"""A web worker does not load, at start, the libraries only a rare page or command uses.

Each of them cost every gunicorn worker megabytes for its whole life (docs/performance.md,
"Worker memory, 2026-12-07"); they are imported where they are used. The app is built in a
fresh interpreter with every installed plugin, as ``ent serve`` builds it in each worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

#: Loaded on first use only: a resident cost per worker in MB (measured 2026-12-07), and why.
LOADED_ON_FIRST_USE = {
    "cryptography.hazmat.primitives.asymmetric.ed25519": "6: signing credentials, keys CLI",
    "feedgen": "1: Atom and RSS feeds",
    "lxml": "4: feeds and the sitemap",
    "PIL": "2: image uploads and covers",
    "nh3": "1.5: cleaning HTML and Markdown",
    "markdown_it": "1: rendering Markdown",
    "fpdf": "36: PDF invoices, receipts, minutes, certificates",
    "pypdf": "16: PDF checks",
    "pyld": "10: credentials' JSON-LD",
    "pyoxigraph": "10: credentials' canonicalisation",
    "joserfc": "9: credentials as JWT",
    "icalendar": "3: calendars",
    "authlib": "OpenID Connect sign-in",
    "alembic": "migrations (ent db)",
    "hypothesis": "tests only",
}

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from ent_core import create_app

    app = create_app()
    print(json.dumps({
        "plugins": [p.name for p in app.extensions["ent"].ordered()],
        "loaded": sorted(m for m in sys.argv[1:] if m in sys.modules),
    }))
    """
)


def test_a_worker_with_every_plugin_loads_no_rare_library_at_start(tmp_path: Path) -> None:
    installed = {entry.name for entry in entry_points(group="ent.plugins")}
    for module in LOADED_ON_FIRST_USE:  # else the check below would pass for nothing
        assert find_spec(module.split(".")[0]) is not None, f"{module} is not installed"

    env = {"PATH": "/usr/bin:/bin", "ENT_INSTANCE_PATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *LOADED_ON_FIRST_USE],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert installed <= set(answer["plugins"])
    assert answer["loaded"] == [], {m: LOADED_ON_FIRST_USE[m] for m in answer["loaded"]}

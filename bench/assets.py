"""Static files and public pages, in process: what one answer costs (docs/performance.md).

    .venv/bin/python bench/assets.py                   # 5 rounds of 300 requests per target
    .venv/bin/python bench/assets.py --rounds 3 --requests 100
    .venv/bin/python bench/assets.py --root /tmp/before   # another checkout (git worktree)

Builds the platform on a temporary SQLite database with the demo data (``ent demo``), then
sends each target ``--requests`` times through Flask's test client (no server, no network) and
prints the median of the rounds, in microseconds of CPU per answer (the machine is shared: CPU
time moves less than the clock). The addresses are read from the pages themselves, so the
script measures whatever the templates link: the core's style sheet as ``base.html`` links it,
and anonymous public pages of the demo workspaces (publishing's home and an article of
``lematin-tech``, training's course list of ``cime``). As a yardstick measured in the same
rounds, ``/bench/flask-static/ent.css`` serves the same file the way Flask's own static route
does (``send_from_directory`` with Flask's default cache settings). Targets take turns within
each round, so a change in the machine's load moves them all alike.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _use_checkout(root: Path) -> None:
    """Import ``ent_core`` and the bundled plugins from ``root`` instead of this checkout."""
    import types

    sys.path.insert(0, str(root))
    package = types.ModuleType("ent_plugins")
    package.__path__ = [str(root / "plugins")]
    sys.modules["ent_plugins"] = package


def _app(folder: str) -> Any:
    os.environ.update(
        ENT_INSTANCE_PATH=folder,
        DATABASE_URL=f"sqlite:///{folder}/bench.db",
        ENT_ENV="testing",
        SECRET_KEY="bench",  # noqa: S106 - a throw-away database
    )
    os.environ.pop("REDIS_URL", None)
    from flask import send_from_directory

    from ent_core import create_app
    from ent_core.demo import load_demo
    from ent_core.migrate import upgrade_all

    app = create_app()
    folder_of_core = Path(app.root_path) / "static"
    app.add_url_rule(
        "/bench/flask-static/<path:filename>",
        "bench_flask_static",
        lambda filename: send_from_directory(folder_of_core, filename),
    )
    with app.app_context():
        upgrade_all(app)
        for _line in load_demo():
            pass
    return app


def _targets(client: Any) -> dict[str, str]:
    home = client.get("/s/lematin-tech/publishing/").get_data(as_text=True)
    sheet = re.search(r'<link rel="stylesheet" href="([^"]+ent\.css[^"]*)"', home)
    article = re.search(r'href="(/s/lematin-tech/publishing/[^"?]*articles/[^"?]+)"', home)
    targets = {"ent.css (as linked)": sheet.group(1).replace("&amp;", "&") if sheet else ""}
    targets["ent.css (plain)"] = "/static/ent.css"
    targets["ent.css (Flask's route)"] = "/bench/flask-static/ent.css"
    targets["publishing home"] = "/s/lematin-tech/publishing/"
    if article:
        targets["publishing article"] = article.group(1)
    targets["training courses"] = "/s/cime/training/"
    return targets


def _calls(client: Any, url: str) -> int:
    """Python calls of one answer: unlike time, the machine's load does not move them."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        client.get(url).close()
    finally:
        sys.setprofile(None)
    return count


def _time(client: Any, url: str, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        response = client.get(url)
        response.close()
    return (time.process_time() - started) / requests * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--root",
        help="measure another checkout of the platform (its ent_core and plugins), for a before",
    )
    args = parser.parse_args(argv)
    if args.root:
        _use_checkout(Path(args.root).resolve())
    with tempfile.TemporaryDirectory() as folder:
        app = _app(folder)
        client = app.test_client()
        targets = _targets(client)
        rounds: dict[str, list[float]] = {name: [] for name in targets}
        for url in targets.values():
            _time(client, url, 20)  # warm up: templates compiled, caches filled
        for _ in range(args.rounds):
            for name, url in targets.items():
                rounds[name].append(_time(client, url, args.requests))
        for name, url in targets.items():
            status = client.get(url).status_code
            print(
                f"{name:24} {status}  {_calls(client, url):6} calls  "
                f"{statistics.median(rounds[name]):8.0f} µs  "
                f"(rounds {', '.join(f'{r:.0f}' for r in rounds[name])})  {url}"
            )


if __name__ == "__main__":
    main()

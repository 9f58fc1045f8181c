"""``ent demo`` (real migrations, a fresh instance): Le Matin Tech's places join the network,
Atlas Digital's two campaigns run there, paid and approved, classified ads fill the IT board;
a second run adds nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _ent(instance: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(ENT_INSTANCE_PATH=str(instance), ENT_ENV="development")
    ent = Path(sys.executable).with_name("ent")
    result = subprocess.run(
        [str(ent), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_demo_runs_two_campaigns_on_le_matin_tech_once(tmp_path: Path) -> None:
    first = _ent(tmp_path, "demo")
    assert "  ads: lematin-tech joined the network with publishing.article.aside" in first
    assert "  ads: atlas-digital runs 'Sites web pour TPE' (CPM, paid, approved)" in first
    assert "  ads: atlas-digital runs 'Atelier SEO' (CPC, paid, approved)" in first
    campaigns = json.loads(_ent(tmp_path, "ads", "campaigns", "list", "--json"))
    assert sorted((c["workspace"], c["name"], c["status"]) for c in campaigns) == [
        ("atlas-digital", "Atelier SEO", "approved"),
        ("atlas-digital", "Sites web pour TPE", "approved"),
    ]
    places = json.loads(_ent(tmp_path, "ads", "placements", "list", "--json"))
    assert {p["code"] for p in places if p["workspace"] == "lematin-tech"} >= {
        "publishing.article.aside",
        "publishing.home.top",
    }
    second = _ent(tmp_path, "demo")
    assert "  ads:" not in second
    assert len(json.loads(_ent(tmp_path, "ads", "campaigns", "list", "--json"))) == 2

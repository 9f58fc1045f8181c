"""``ent ads ...``: placements, statistics and campaigns from the command line."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from ent_plugins.ads.tests.ads_reports_kit import make_campaign, traffic

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def run(app_ctx: Any) -> Any:
    runner = app_ctx.test_cli_runner()

    def invoke(*args: str) -> Any:
        return runner.invoke(args=["ads", *args])

    return invoke


@pytest.fixture
def served(publisher: Any, advertiser: Any) -> Any:
    return traffic(publisher, advertiser)


def test_placements_list_across_workspaces_and_in_one(
    run: Any, served: Any, make_workspace: Any
) -> None:
    result = run("placements", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["workspace"], r["code"], r["kind"]) for r in rows] == [
        ("matin-tech", "publishing.article.aside", "slot"),
        ("matin-tech", "external.1", "external"),
    ]
    assert rows[0]["public_id"] == "pub-publishing.article.aside"
    text = run("placements", "list", "--workspace", "matin-tech")
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0].split("\t") == ["id", "workspace", "kind", "code", "active", "sizes", "name"]
    assert lines[1].split("\t")[2:6] == ["slot", "publishing.article.aside", "in", "300x250"]
    empty = run("placements", "list", "--workspace", "atlas-telecom", "--json")
    assert json.loads(empty.output) == []


def test_an_unknown_workspace_or_one_without_ads_exits_non_zero(
    run: Any, make_workspace: Any
) -> None:
    result = run("placements", "list", "--workspace", "nowhere")
    assert result.exit_code == 1
    assert "no workspace is named 'nowhere'" in result.output
    make_workspace("sans-pub", plugins=("publishing",))
    off = run("stats", "--workspace", "sans-pub")
    assert off.exit_code == 1 and "the ads module is off" in off.output


DAYS_13_14 = ("--from", "2026-06-13", "--to", "2026-06-14")
DAY_14 = ("--from", "2026-06-14", "--to", "2026-06-14")


def test_stats_of_a_campaign_by_day_as_json_and_csv(run: Any, served: Any) -> None:
    cid = str(served.campaign.id)
    args = ["stats", "--workspace", "atlas-telecom", "--campaign", cid, *DAYS_13_14]
    data = json.loads(run(*args, "--json").output)
    assert data["by"] == "day" and data["from"] == "2026-06-13"
    assert [(i["key"], i["impressions"], i["clicks"]) for i in data["items"]] == [
        ("2026-06-13", 100, 2),
        ("2026-06-14", 700, 8),
    ]
    assert data["items"][1]["viewable_rate"] == 0.6286
    assert data["items"][1]["spend"] == {"amount": "28.00", "currency": "MAD"}
    assert data["totals"]["impressions"] == 800
    rows = list(csv.reader(io.StringIO(run(*args, "--csv").output), delimiter=";"))
    assert rows[0][0] == "date"
    assert rows[2][3:] == ["700", "440", "0.6286", "8", "0.0114", "28.00"]
    text = [line.split("\t") for line in run(*args).output.splitlines()]
    assert text[0] == ["key", "name", "impressions", "viewable_rate", "clicks", "ctr", "spend"]
    assert text[-1] == ["total", "total", "800", "0.6250", "10", "0.0125", "32.00"]


def test_stats_per_campaign_and_of_the_publishers_placements(run: Any, served: Any) -> None:
    per_campaign = json.loads(
        run("stats", "--workspace", "atlas-telecom", *DAY_14, "--json").output
    )
    assert [(i["name"], i["impressions"]) for i in per_campaign["items"]] == [("Fibre 2026", 700)]
    args = ("stats", "--workspace", "matin-tech", "--placements", *DAY_14, "--json")
    placements = json.loads(run(*args).output)
    assert [(i["name"], i["requests"], i["fill_rate"]) for i in placements["items"]] == [
        ("Article: à côté du texte", 600, 0.6667),
        ("Blog partenaire", 500, 0.8),
    ]
    assert placements["totals"]["earnings"] == {"amount": "18.80", "currency": "MAD"}  # x 0.60


def test_stats_refuse_what_makes_no_sense(run: Any, served: Any) -> None:
    base = ["stats", "--workspace", "atlas-telecom"]
    assert run(*base, "--campaign", "999").exit_code == 1
    assert "has no campaign 999" in run(*base, "--campaign", "999").output
    other = run("stats", "--workspace", "matin-tech", "--campaign", str(served.campaign.id))
    assert other.exit_code == 1  # another workspace's campaign is not there
    assert run(*base, "--from", "2026-06-14", "--to", "2026-06-01").exit_code == 1
    assert run(*base, "--from", "14/06/2026").exit_code == 2
    assert run(*base, "--json", "--csv").exit_code == 2


def test_campaigns_list_across_workspaces_with_a_status(
    run: Any, served: Any, advertiser: Any
) -> None:
    make_campaign(advertiser, name="Brouillon", status="draft")
    sdk.db.session.commit()
    everything = json.loads(run("campaigns", "list", "--json").output)
    assert [(c["workspace"], c["name"], c["status"]) for c in everything] == [
        ("atlas-telecom", "Brouillon", "draft"),
        ("atlas-telecom", "Fibre 2026", "approved"),
    ]
    assert everything[1]["budget"] == {"amount": "1000.00", "currency": "MAD"}
    drafts = run("campaigns", "list", "--status", "draft")
    assert drafts.exit_code == 0
    assert [line.split("\t")[-1] for line in drafts.output.splitlines()[1:]] == ["Brouillon"]
    wrong = run("campaigns", "list", "--status", "live")
    assert wrong.exit_code == 2 and "'live' is not one of" in wrong.output

"""The module's home: there for an association that has it on, invisible elsewhere."""

from __future__ import annotations

from typing import Any


def test_home_answers_where_the_module_is_on(signed_in_client: Any, association: Any) -> None:
    r = signed_in_client.get("/w/souss/governance/")
    assert r.status_code == 200
    assert "Association" in r.get_data(as_text=True)


def test_home_is_404_where_the_module_is_off(signed_in_client: Any, make_workspace: Any) -> None:
    ws = make_workspace("other", name="Other", kind="association")
    ws.status = "approved"
    r = signed_in_client.get("/w/other/governance/")
    assert r.status_code == 404


def test_settings_are_read_for_the_workspace_a_job_works_in(
    association: Any, api_client: Any
) -> None:
    """Schedules and jobs run outside any request: ``in_workspace`` says whose settings."""
    from ent_core import sdk

    r = api_client.put("/api/v1/workspaces/souss/plugins/governance", json={"grace_days": 30})
    assert r.status_code == 200, r.json
    with sdk.in_workspace(association):
        assert sdk.plugin_settings("governance")["grace_days"] == 30
    assert sdk.plugin_settings("governance", association)["notice_days"] == 15

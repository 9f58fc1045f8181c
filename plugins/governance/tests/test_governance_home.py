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
